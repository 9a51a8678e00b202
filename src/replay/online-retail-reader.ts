import { Dec } from '../money/index.js';
import { lookUpCountry } from './countries.js';
import { type CsvTable, readCsvTable } from './csv-file.js';
import { assignCustomerTerms } from './customer-terms.js';
import { londonTimeToUtcInstant } from './dates.js';
import { ProblemList } from './input-error.js';
import {
  PAYMENT_TERMS,
  UNIT_CODES,
  type ReplayCustomer,
  type ReplayDataset,
  type ReplayOrder,
  type ReplayProduct,
  type ReplayReturn,
} from './model.js';
import { buildRetailNotes, type RetailCounts } from './online-retail-notes.js';
import { ONLINE_RETAIL_COLUMNS, type RetailRow, classifyStockCode, parseRetailRows } from './online-retail-rows.js';
import { derivePriceListWithQuantityBreaks, PriceListIndex } from './price-list.js';
import { RowAccounting } from './row-accounting.js';
import { planStock } from './stock-plan.js';

const CURRENCY = 'GBP';
const SELLER_COUNTRY = 'GB';
export const RETAIL_LEAD_TIME_DAYS = 14;
/** Standard cost as a share of the first list price, because the data records no cost. */
const STANDARD_COST_SHARE = new Dec('0.6');
export const GUEST_CODE_PREFIX = 'GUEST-';

interface InvoiceDraft {
  order: ReplayOrder;
  firstRow: number;
  customerId: string | null;
  country: string;
  /** Earliest InvoiceDate among the invoice's rows, as a UTC instant. */
  earliestInstant: string;
}

/** Working state while the rows are sorted into orders, returns and rejections. */
class RetailAssembly {
  readonly accounting = new RowAccounting();
  readonly customers = new Map<string, Omit<ReplayCustomer, 'paymentTermsCode' | 'creditLimitMinor'>>();
  readonly invoices = new Map<string, InvoiceDraft>();
  readonly returns: ReplayReturn[] = [];
  readonly skuRows = new Map<string, RetailRow[]>();
  readonly counts: RetailCounts = {
    guestRows: 0,
    zeroPriceLines: 0,
    serviceLines: 0,
    manualLines: 0,
    emptyDescriptions: 0,
    otherCountryRows: 0,
  };

  constructor(readonly table: CsvTable) {
    this.accounting.register(table);
  }

  reject(row: RetailRow, code: string, reason: string): void {
    this.accounting.reject(this.table, row.row, code, reason);
  }

  use(row: RetailRow): void {
    this.accounting.use(this.table, row.row);
    const rows = this.skuRows.get(row.stockCode) ?? [];
    rows.push(row);
    this.skuRows.set(row.stockCode, rows);
    if (row.description === null) this.counts.emptyDescriptions += 1;
  }

  /** Returns the customer code for a row, registering the customer or guest account on first sight. */
  customerFor(row: RetailRow, countryCode: string): string {
    if (row.customerId === null) {
      const code = `${GUEST_CODE_PREFIX}${countryCode}`;
      if (!this.customers.has(code)) {
        this.customers.set(code, this.draftCustomer(code, `Guest sales, ${row.country}`, countryCode));
      }
      return code;
    }
    const existing = this.customers.get(row.customerId);
    if (existing === undefined) {
      this.customers.set(row.customerId, this.draftCustomer(row.customerId, `Customer ${row.customerId}`, countryCode));
    } else if (existing.countryCode !== countryCode) {
      this.counts.otherCountryRows += 1;
    }
    return row.customerId;
  }

  private draftCustomer(code: string, name: string, countryCode: string): Omit<ReplayCustomer, 'paymentTermsCode' | 'creditLimitMinor'> {
    return {
      code,
      name,
      currency: CURRENCY,
      countryCode,
      // The data records only a country for each customer.
      address: { line1: null, city: null, region: null, postalCode: null, countryCode },
    };
  }
}

/**
 * Reads the UCI Online Retail CSV at `file` and returns the replay input:
 * one order per InvoiceNo, cancellations as returns, and every other row
 * used or rejected with its reason. Throws `ReplayInputError` naming file,
 * row and value when the file is missing, lacks a column or a value does not
 * parse.
 */
export async function readOnlineRetail(file: string): Promise<ReplayDataset> {
  const table = await readCsvTable(file, { requiredColumns: ONLINE_RETAIL_COLUMNS });
  const problems = new ProblemList();
  const rows = parseRetailRows(table, problems);
  problems.throwIfAny();

  const assembly = new RetailAssembly(table);
  const firstRowByContent = new Map<string, number>();
  for (const row of rows) {
    const duplicateOf = firstRowByContent.get(row.contentKey);
    if (duplicateOf !== undefined) {
      assembly.reject(row, 'duplicate_row', `row repeats row ${duplicateOf} in every column but the original row index`);
      continue;
    }
    firstRowByContent.set(row.contentKey, row.row);
    sortRow(assembly, row);
  }

  return assembleDataset(assembly);
}

/** Decides what one row becomes: an order line, a return, or a rejected row. */
function sortRow(assembly: RetailAssembly, row: RetailRow): void {
  const stockCode = classifyStockCode(row.stockCode);
  if (stockCode.kind === 'seller_fee' || stockCode.kind === 'adjustment') {
    assembly.reject(row, stockCode.kind, stockCode.reason);
    return;
  }
  const prefix = row.invoiceNo.charAt(0).toUpperCase();
  if (prefix === 'A') {
    assembly.reject(row, 'adjustment', `invoice ${row.invoiceNo} is a bad-debt adjustment (prefix A), not a sale`);
    return;
  }
  const country = lookUpCountry(row.country, SELLER_COUNTRY);
  if (country.kind === 'unknown') {
    assembly.reject(row, 'unknown_country', `country "${row.country}" has no ISO 3166 code in the replay's country table`);
    return;
  }
  if (prefix === 'C') {
    sortCancellation(assembly, row, country.countryCode);
  } else if (/\d/.test(prefix)) {
    sortSale(assembly, row, country.countryCode, stockCode.kind);
  } else {
    assembly.reject(row, 'unknown_invoice_type', `invoice ${row.invoiceNo} has the prefix ${prefix}, which is neither C (cancellation) nor A (bad-debt adjustment)`);
  }
}

function sortCancellation(assembly: RetailAssembly, row: RetailRow, countryCode: string): void {
  if (!row.quantity.isNegative() || row.quantity.isZero()) {
    assembly.reject(row, 'invalid_quantity', `cancellation ${row.invoiceNo} has quantity ${row.quantity.toString()}; a cancellation needs a negative quantity`);
    return;
  }
  if (row.customerId === null) {
    assembly.reject(row, 'return_without_customer', `cancellation ${row.invoiceNo} has no CustomerID, so it cannot be matched to the invoice it cancels`);
    return;
  }
  const customerCode = assembly.customerFor(row, countryCode);
  assembly.returns.push({
    sourceFile: assembly.table.fileName,
    sourceRow: row.row,
    customerCode,
    sku: row.stockCode,
    quantity: row.quantity.negated(),
    recordedUnitPrice: row.unitPrice,
    date: row.invoicedAt.date,
    reference: row.invoiceNo,
  });
  assembly.use(row);
}

function sortSale(assembly: RetailAssembly, row: RetailRow, countryCode: string, kind: 'goods' | 'service' | 'manual'): void {
  if (row.quantity.isNegative()) {
    assembly.reject(row, 'stock_adjustment', `quantity ${row.quantity.toString()} is negative on invoice ${row.invoiceNo}, which is not a cancellation (no C prefix): a warehouse stock adjustment, not a sale or a return`);
    return;
  }
  if (row.quantity.isZero()) {
    assembly.reject(row, 'invalid_quantity', 'quantity is 0');
    return;
  }
  if (row.unitPrice.isNegative()) {
    assembly.reject(row, 'invalid_price', `unit price ${row.unitPrice.toString()} is negative`);
    return;
  }
  if (row.unitPrice.isZero() && row.customerId === null) {
    assembly.reject(row, 'stock_adjustment', `unit price is 0 and there is no CustomerID: the web shop always charges guests, so this is a stock adjustment, not a sale`);
    return;
  }

  const existing = assembly.invoices.get(row.invoiceNo);
  if (existing !== undefined && (existing.customerId !== row.customerId || existing.country !== row.country)) {
    assembly.reject(
      row,
      'inconsistent_invoice',
      `invoice ${row.invoiceNo} has customer ${row.customerId ?? 'NA'} in ${row.country} here but ${existing.customerId ?? 'NA'} in ${existing.country} on row ${existing.firstRow}`,
    );
    return;
  }

  const customerCode = assembly.customerFor(row, countryCode);
  if (row.customerId === null) assembly.counts.guestRows += 1;
  if (row.unitPrice.isZero()) assembly.counts.zeroPriceLines += 1;
  if (kind === 'service') assembly.counts.serviceLines += 1;
  if (kind === 'manual') assembly.counts.manualLines += 1;

  const instant = londonTimeToUtcInstant(row.invoicedAt);
  const invoice = existing ?? newInvoice(assembly, row, customerCode, countryCode, instant);
  if (instant < invoice.earliestInstant) {
    invoice.earliestInstant = instant;
    invoice.order.orderedAt = instant;
    invoice.order.orderDate = row.invoicedAt.date;
    invoice.order.shipDate = row.invoicedAt.date;
  }
  invoice.order.lines.push({
    sourceFile: assembly.table.fileName,
    sourceRow: row.row,
    sku: row.stockCode,
    quantity: row.quantity,
    expectedUnitPrice: row.unitPrice,
    discountPercent: new Dec(0),
  });
  assembly.use(row);
}

function newInvoice(assembly: RetailAssembly, row: RetailRow, customerCode: string, countryCode: string, instant: string): InvoiceDraft {
  const customerName = assembly.customers.get(customerCode)?.name ?? customerCode;
  const draft: InvoiceDraft = {
    firstRow: row.row,
    customerId: row.customerId,
    country: row.country,
    earliestInstant: instant,
    order: {
      sourceFile: assembly.table.fileName,
      sourceRow: row.row,
      customerPoNumber: row.invoiceNo,
      customerCode,
      orderDate: row.invoicedAt.date,
      orderedAt: instant,
      requestedDeliveryDate: null,
      // The data has no ship date; the seller invoices on shipment, so the invoice date is the ship date.
      shipDate: row.invoicedAt.date,
      shipTo: { name: customerName, line1: null, city: null, region: null, postalCode: null, countryCode },
      carrier: null,
      freightMinor: null,
      lines: [],
    },
  };
  assembly.invoices.set(row.invoiceNo, draft);
  return draft;
}

/** Builds one product per stock code on a used row; postage, carriage and manual lines are not stocked. */
function buildProducts(assembly: RetailAssembly, firstPrices: ReadonlyMap<string, Dec>): ReplayProduct[] {
  const products: ReplayProduct[] = [];
  for (const [sku, rows] of [...assembly.skuRows.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const stockCode = classifyStockCode(sku);
    const stocked = stockCode.kind === 'goods';
    const description = mostCommonDescription(rows) ?? `Stock code ${sku} (no description in the data)`;
    products.push({
      sku,
      name: stockCode.kind === 'service' ? stockCode.name : description,
      unitCode: stocked ? UNIT_CODES.each : UNIT_CODES.serviceCharge,
      taxCategory: 'standard',
      standardCost: (firstPrices.get(sku) ?? new Dec(0)).times(STANDARD_COST_SHARE).toDecimalPlaces(4),
      replenishmentLeadTimeDays: stocked ? RETAIL_LEAD_TIME_DAYS : 0,
      stocked,
    });
  }
  return products;
}

/** Returns the description used most often (ties go to the earliest row), or null when every row's description is empty. */
function mostCommonDescription(rows: readonly RetailRow[]): string | null {
  const counts = new Map<string, number>();
  for (const row of [...rows].sort((a, b) => a.row - b.row)) {
    if (row.description !== null) counts.set(row.description, (counts.get(row.description) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [description, count] of counts) {
    if (count > bestCount) {
      best = description;
      bestCount = count;
    }
  }
  return best;
}

function assembleDataset(assembly: RetailAssembly): ReplayDataset {
  const orders = [...assembly.invoices.values()].map((invoice) => {
    invoice.order.lines.sort((a, b) => a.sourceRow - b.sourceRow);
    return invoice.order;
  });
  orders.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt) || a.sourceRow - b.sourceRow);
  const returns = [...assembly.returns].sort((a, b) => a.date.localeCompare(b.date) || a.sourceRow - b.sourceRow);

  const observations = orders.flatMap((order) =>
    order.lines
      .filter((line) => line.expectedUnitPrice !== null && line.expectedUnitPrice.gt(0))
      .map((line) => ({
        sku: line.sku,
        customerCode: order.customerCode.startsWith(GUEST_CODE_PREFIX) ? order.customerCode : null,
        date: order.orderDate,
        sourceRow: line.sourceRow,
        quantity: line.quantity,
        unitPrice: line.expectedUnitPrice ?? new Dec(0),
      })),
  );
  const priceList = derivePriceListWithQuantityBreaks(observations);
  const index = new PriceListIndex(priceList);

  // The earliest list price per SKU, general entries before guest ones, is the base of its standard cost.
  const firstPrices = new Map<string, Dec>();
  for (const entry of [...priceList].sort((a, b) => Number(a.customerCode !== null) - Number(b.customerCode !== null) || a.validFrom.localeCompare(b.validFrom))) {
    if (!firstPrices.has(entry.sku)) firstPrices.set(entry.sku, entry.unitPrice);
  }
  const products = buildProducts(assembly, firstPrices);
  const stockedSkus = new Set(products.filter((product) => product.stocked).map((product) => product.sku));

  const firstOrderDate = orders[0]?.orderDate ?? '1970-01-01';
  const lastOrderDate = orders.reduce((last, order) => (order.orderDate > last ? order.orderDate : last), firstOrderDate);
  const demand = orders.flatMap((order) =>
    order.lines.filter((line) => stockedSkus.has(line.sku)).map((line) => ({ sku: line.sku, date: order.orderDate, quantity: line.quantity })),
  );
  const stock = planStock(demand, new Map([...stockedSkus].map((sku) => [sku, RETAIL_LEAD_TIME_DAYS])), firstOrderDate, lastOrderDate);

  const accountCodes = [...assembly.customers.keys()].filter((code) => !code.startsWith(GUEST_CODE_PREFIX));
  const terms = assignCustomerTerms(accountCodes, orders.filter((order) => !order.customerCode.startsWith(GUEST_CODE_PREFIX)), CURRENCY);
  const customers: ReplayCustomer[] = [...assembly.customers.values()]
    .map((draft) => {
      if (draft.code.startsWith(GUEST_CODE_PREFIX)) {
        return { ...draft, paymentTermsCode: PAYMENT_TERMS.dueOnReceipt, creditLimitMinor: null };
      }
      const assigned = terms.get(draft.code);
      if (assigned === undefined) throw new Error(`No terms assigned to customer ${draft.code}`);
      return { ...draft, ...assigned };
    })
    .sort((a, b) => a.code.localeCompare(b.code));

  const lines = orders.flatMap((order) => order.lines.map((line) => ({ order, line })));
  const mismatchedLines = lines.filter(({ order, line }) => {
    const listPrice = index.findUnitPrice(line.sku, order.customerCode, line.quantity, order.orderDate);
    return listPrice === null || line.expectedUnitPrice === null || !listPrice.eq(line.expectedUnitPrice);
  }).length;

  const sourceFiles = assembly.accounting.summaries();
  const rejectedRows = assembly.accounting.rejectedRows();
  const notes = buildRetailNotes({
    counts: assembly.counts,
    orders,
    returns,
    customers,
    priceList,
    lineCount: lines.length,
    mismatchedLines,
    stock,
    firstOrderDate,
    rejectedRows,
    fileName: assembly.table.fileName,
  });

  return {
    name: 'online-retail',
    currency: CURRENCY,
    sellerCountryCode: SELLER_COUNTRY,
    pricesIncludeTax: false,
    customers,
    products,
    orders,
    returns,
    priceList,
    openingStock: stock.openingStock,
    replenishments: stock.replenishments,
    rejectedRows,
    rowsRead: sourceFiles.reduce((sum, summary) => sum + summary.rowsRead, 0),
    sourceFiles,
    notes,
  };
}
