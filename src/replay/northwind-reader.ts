import { Dec, toMinorUnits } from '../money/index.js';
import { lookUpCountry } from './countries.js';
import { type CsvTable, readCsvTable } from './csv-file.js';
import { assignCustomerTerms } from './customer-terms.js';
import { addDays } from './dates.js';
import { ProblemList, ReplayInputError } from './input-error.js';
import {
  PAYMENT_TERMS,
  UNIT_CODES,
  type ReplayCustomer,
  type ReplayDataset,
  type ReplayOrder,
  type ReplayOrderLine,
  type ReplayProduct,
} from './model.js';
import { type NorthwindFileKey, locateNorthwindFiles } from './northwind-files.js';
import {
  NORTHWIND_COLUMNS,
  NORTHWIND_COMMA_COLUMNS,
  type CustomerRow,
  type OrderDetailRow,
  type OrderRow,
  parseCustomerRows,
  parseOrderDetailRows,
  parseOrderRows,
  parseProductRows,
  parseShipperRows,
} from './northwind-rows.js';
import { derivePriceListByDate, PriceListIndex } from './price-list.js';
import { RowAccounting } from './row-accounting.js';
import { DEFAULT_STOCK_PLAN_RULE, planStock } from './stock-plan.js';

const CURRENCY = 'USD';
const SELLER_COUNTRY = 'US';
const LEAD_TIME_DAYS = 14;
/** Standard cost as a share of the catalogue price, because Northwind records no cost. */
const STANDARD_COST_SHARE = new Dec('0.6');

type Tables = Record<NorthwindFileKey, CsvTable>;

async function readTables(dir: string): Promise<Tables> {
  const paths = await locateNorthwindFiles(dir);
  const tables: Partial<Tables> = {};
  const problems: ReplayInputError[] = [];
  for (const key of Object.keys(paths) as NorthwindFileKey[]) {
    try {
      tables[key] = await readCsvTable(paths[key], {
        requiredColumns: NORTHWIND_COLUMNS[key],
        commaColumns: key === 'orders' || key === 'customers' ? NORTHWIND_COMMA_COLUMNS[key] : [],
      });
    } catch (error) {
      if (!(error instanceof ReplayInputError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length > 0) throw new ReplayInputError(problems.flatMap((error) => error.problems));
  return tables as Tables;
}

/**
 * Reads the Northwind CSV files in `dir` (orders, order details, customers,
 * products, shippers; plain or prefixed names such as
 * `northwind-csv__orders.csv`) and returns the replay input. Throws
 * `ReplayInputError` naming file, row and value when a file is missing or a
 * value does not parse. Rows that parse but cannot be replayed are returned
 * in `rejectedRows`.
 */
export async function readNorthwind(dir: string): Promise<ReplayDataset> {
  const tables = await readTables(dir);
  const problems = new ProblemList();
  const shipperRows = parseShipperRows(tables.shippers, problems);
  const productRows = parseProductRows(tables.products, problems);
  const customerRows = parseCustomerRows(tables.customers, problems);
  const orderRows = parseOrderRows(tables.orders, problems);
  const detailRows = parseOrderDetailRows(tables.orderDetails, problems);
  problems.throwIfAny();

  const accounting = new RowAccounting();
  for (const table of Object.values(tables)) accounting.register(table);

  const carriers = new Map<string, string>();
  for (const shipper of shipperRows) {
    if (carriers.has(shipper.shipperId)) {
      accounting.reject(tables.shippers, shipper.row, 'duplicate_key', `shipperID ${shipper.shipperId} appears on an earlier row; the first row is used`);
      continue;
    }
    carriers.set(shipper.shipperId, shipper.name);
    accounting.use(tables.shippers, shipper.row);
  }

  const products = new Map<string, ReplayProduct>();
  for (const product of productRows) {
    if (products.has(product.productId)) {
      accounting.reject(tables.products, product.row, 'duplicate_key', `productID ${product.productId} appears on an earlier row; the first row is used`);
      continue;
    }
    products.set(product.productId, {
      sku: product.productId,
      name: product.name,
      unitCode: UNIT_CODES.each,
      taxCategory: 'standard',
      standardCost: product.catalogueUnitPrice.times(STANDARD_COST_SHARE).toDecimalPlaces(4),
      replenishmentLeadTimeDays: LEAD_TIME_DAYS,
      stocked: true,
    });
    accounting.use(tables.products, product.row);
  }

  const customerAddresses = acceptCustomers(customerRows, tables.customers, accounting);
  const orders = acceptOrders(orderRows, tables, accounting, customerAddresses, carriers);
  const linesByOrder = acceptOrderLines(detailRows, orderRows, tables, accounting, products);

  // An order whose every line was rejected cannot be submitted.
  const replayOrders: ReplayOrder[] = [];
  for (const order of orders.values()) {
    order.lines = linesByOrder.get(order.customerPoNumber) ?? [];
    if (order.lines.length === 0) {
      accounting.withdraw(tables.orders, order.sourceRow, 'order_without_lines', `order ${order.customerPoNumber} has no order detail that can be replayed`);
      continue;
    }
    replayOrders.push(order);
  }
  replayOrders.sort((a, b) => a.orderedAt.localeCompare(b.orderedAt) || a.sourceRow - b.sourceRow);

  return assembleDataset(tables, accounting, customerAddresses, products, replayOrders);
}

type CustomerDraft = Omit<ReplayCustomer, 'paymentTermsCode' | 'creditLimitMinor'>;

function acceptCustomers(rows: readonly CustomerRow[], table: CsvTable, accounting: RowAccounting): Map<string, CustomerDraft> {
  const customers = new Map<string, CustomerDraft>();
  for (const row of rows) {
    if (customers.has(row.customerId)) {
      accounting.reject(table, row.row, 'duplicate_key', `customerID ${row.customerId} appears on an earlier row; the first row is used`);
      continue;
    }
    const country = lookUpCountry(row.country ?? '', SELLER_COUNTRY);
    if (country.kind === 'unknown') {
      accounting.reject(table, row.row, 'unknown_country', `customer ${row.customerId} has country "${row.country ?? ''}", which has no ISO 3166 code in the replay's country table`);
      continue;
    }
    customers.set(row.customerId, {
      code: row.customerId,
      name: row.name,
      currency: CURRENCY,
      countryCode: country.countryCode,
      address: { line1: row.address, city: row.city, region: row.region, postalCode: row.postalCode, countryCode: country.countryCode },
    });
    accounting.use(table, row.row);
  }
  return customers;
}

function acceptOrders(
  rows: readonly OrderRow[],
  tables: Tables,
  accounting: RowAccounting,
  customers: ReadonlyMap<string, CustomerDraft>,
  carriers: ReadonlyMap<string, string>,
): Map<string, ReplayOrder> {
  const orders = new Map<string, ReplayOrder>();
  const seenOrderIds = new Set<string>();
  for (const row of rows) {
    const reject = (code: string, reason: string) => accounting.reject(tables.orders, row.row, code, reason);
    if (seenOrderIds.has(row.orderId)) {
      reject('duplicate_key', `orderID ${row.orderId} appears on an earlier row; the first row is used`);
      continue;
    }
    seenOrderIds.add(row.orderId);

    if (row.customerId === null) {
      reject('missing_customer', `order ${row.orderId} has no customerID`);
      continue;
    }
    const customer = customers.get(row.customerId);
    if (customer === undefined) {
      reject('unknown_customer', `order ${row.orderId} refers to customer ${row.customerId}, which is not in the customers file or was rejected`);
      continue;
    }
    const shipCountry = row.shipCountry === null ? { kind: 'mapped' as const, countryCode: customer.countryCode } : lookUpCountry(row.shipCountry, SELLER_COUNTRY);
    if (shipCountry.kind === 'unknown') {
      reject('unknown_country', `order ${row.orderId} has shipCountry "${row.shipCountry ?? ''}", which has no ISO 3166 code in the replay's country table`);
      continue;
    }

    orders.set(row.orderId, {
      sourceFile: tables.orders.fileName,
      sourceRow: row.row,
      customerPoNumber: row.orderId,
      customerCode: customer.code,
      orderDate: row.orderDate,
      // Northwind records no time of day. Noon UTC falls on the order date in every zone from UTC−11 to UTC+11.
      orderedAt: `${row.orderDate}T12:00:00Z`,
      requestedDeliveryDate: row.requiredDate,
      shipDate: row.shippedDate,
      shipTo: {
        name: row.shipName ?? customer.name,
        line1: row.shipAddress,
        city: row.shipCity,
        region: row.shipRegion,
        postalCode: row.shipPostalCode,
        countryCode: shipCountry.countryCode,
      },
      carrier: row.shipVia === null ? null : (carriers.get(row.shipVia) ?? null),
      freightMinor: row.freight === null ? null : toMinorUnits(row.freight, CURRENCY),
      lines: [],
    });
    accounting.use(tables.orders, row.row);
  }
  return orders;
}

/** Groups the order details by orderID, rejecting those that cannot be replayed. */
function acceptOrderLines(
  rows: readonly OrderDetailRow[],
  orderRows: readonly OrderRow[],
  tables: Tables,
  accounting: RowAccounting,
  products: ReadonlyMap<string, ReplayProduct>,
): Map<string, ReplayOrderLine[]> {
  const orderRowById = new Map<string, number>();
  for (const order of orderRows) {
    if (!orderRowById.has(order.orderId)) orderRowById.set(order.orderId, order.row);
  }
  const linesByOrder = new Map<string, ReplayOrderLine[]>();
  const firstLineRow = new Map<string, number>();

  for (const row of rows) {
    const reject = (code: string, reason: string) => accounting.reject(tables.orderDetails, row.row, code, reason);
    const orderRow = orderRowById.get(row.orderId);
    if (orderRow === undefined) {
      reject('unknown_order', `order detail refers to order ${row.orderId}, which is not in the orders file`);
      continue;
    }
    if (accounting.isRejected(tables.orders, orderRow)) {
      reject('order_rejected', `order ${row.orderId} (orders row ${orderRow}) was rejected, so its lines are not replayed`);
      continue;
    }
    if (!products.has(row.productId)) {
      reject('unknown_product', `order ${row.orderId} refers to product ${row.productId}, which is not in the products file`);
      continue;
    }
    const lineKey = `${row.orderId}/${row.productId}`;
    const earlierRow = firstLineRow.get(lineKey);
    if (earlierRow !== undefined) {
      reject('duplicate_line', `order ${row.orderId} already has product ${row.productId} on row ${earlierRow}`);
      continue;
    }
    if (row.quantity.lte(0)) {
      reject('invalid_quantity', `quantity ${row.quantity.toString()} is not positive`);
      continue;
    }
    if (row.unitPrice.lt(0)) {
      reject('invalid_price', `unit price ${row.unitPrice.toString()} is negative`);
      continue;
    }
    if (row.discount.lt(0) || row.discount.gt(1)) {
      reject('invalid_discount', `discount ${row.discount.toString()} is not a fraction between 0 and 1`);
      continue;
    }

    firstLineRow.set(lineKey, row.row);
    const lines = linesByOrder.get(row.orderId) ?? [];
    lines.push({
      sourceFile: tables.orderDetails.fileName,
      sourceRow: row.row,
      sku: row.productId,
      quantity: row.quantity,
      expectedUnitPrice: row.unitPrice,
      discountPercent: row.discount.times(100),
    });
    linesByOrder.set(row.orderId, lines);
    accounting.use(tables.orderDetails, row.row);
  }
  return linesByOrder;
}

function assembleDataset(
  tables: Tables,
  accounting: RowAccounting,
  customerDrafts: ReadonlyMap<string, CustomerDraft>,
  products: ReadonlyMap<string, ReplayProduct>,
  orders: readonly ReplayOrder[],
): ReplayDataset {
  const terms = assignCustomerTerms([...customerDrafts.keys()], orders, CURRENCY);
  const customers: ReplayCustomer[] = [...customerDrafts.values()].map((draft) => {
    const assigned = terms.get(draft.code);
    if (assigned === undefined) throw new Error(`No terms assigned to customer ${draft.code}`);
    return { ...draft, ...assigned };
  });

  const lines = orders.flatMap((order) => order.lines.map((line) => ({ order, line })));
  const pricedLines = lines.filter(({ line }) => line.expectedUnitPrice !== null && line.expectedUnitPrice.gt(0));
  const priceList = derivePriceListByDate(
    pricedLines.map(({ order, line }) => ({
      sku: line.sku,
      customerCode: null,
      date: order.orderDate,
      sourceRow: line.sourceRow,
      quantity: line.quantity,
      unitPrice: line.expectedUnitPrice ?? new Dec(0),
    })),
  );
  const index = new PriceListIndex(priceList);
  const matchingLines = lines.filter(({ order, line }) => {
    const listPrice = index.findUnitPrice(line.sku, order.customerCode, line.quantity, order.orderDate);
    return listPrice !== null && line.expectedUnitPrice !== null && listPrice.eq(line.expectedUnitPrice);
  }).length;

  const firstOrderDate = orders[0]?.orderDate ?? '1970-01-01';
  const lastOrderDate = orders.reduce((last, order) => (order.orderDate > last ? order.orderDate : last), firstOrderDate);
  const stock = planStock(
    lines.map(({ order, line }) => ({ sku: line.sku, date: order.orderDate, quantity: line.quantity })),
    new Map([...products.keys()].map((sku) => [sku, LEAD_TIME_DAYS])),
    firstOrderDate,
    lastOrderDate,
  );

  const sourceFiles = accounting.summaries();
  const discountCustomers = customers.filter((customer) => customer.paymentTermsCode === PAYMENT_TERMS.twoTenNet30).length;
  const unshipped = orders.filter((order) => order.shipDate === null).length;
  const unknownCarriers = orders.filter((order) => order.carrier === null).length;
  const notes = [
    `Prices and amounts are in US dollars, the currency of Northwind's unit prices; the seller is in the US and prices exclude tax.`,
    `${tables.orders.repairedRowCount} order rows and ${tables.customers.repairedRowCount} customer rows had an unquoted comma inside the address (as in "Rua do Paço, 67") and were read with the two parts joined.`,
    `Each order's customer PO number is its orderID, its requested delivery date its requiredDate, and its ship date its shippedDate; ${unshipped} orders have no shippedDate and are left to the driver's rule.`,
    `Orders are placed at 12:00 UTC on their order date, because Northwind records no time of day and noon UTC falls on that date from UTC−11 to UTC+11.`,
    `The price list holds, per product, each distinct unit price of the order details, valid from the first order date it appears on until the day before the next different price: ${priceList.length} entries, matching ${matchingLines} of ${lines.length} lines.`,
    `The order-detail discount fraction becomes the line's discount percent (0.05 becomes 5).`,
    `Each order carries its recorded freight and its carrier, the shipVia shipper's name from the shippers file${unknownCarriers > 0 ? `; ${unknownCarriers} orders name no known shipper and have no carrier` : ''}.`,
    `Opening stock, dated ${addDays(firstOrderDate, -1)}, is per product the quantity ordered in the ${DEFAULT_STOCK_PLAN_RULE.openingCoverDays} days from its first order; the products file's unitsInStock is not used because it is a snapshot taken after the last order.`,
    `Every ${DEFAULT_STOCK_PLAN_RULE.reviewIntervalDays} days from the first order, each product is topped up to what was ordered in the previous ${DEFAULT_STOCK_PLAN_RULE.targetWindowDays} days, less stock on hand and on order, arriving after the lead time: ${stock.replenishments.length} receipts, which leave some orders short when demand grows or comes in bursts.`,
    `Every product has a ${LEAD_TIME_DAYS}-day replenishment lead time, because Northwind records no supplier lead times.`,
    `Standard cost is 60 % of the product's unitPrice in the products file, because Northwind records no cost.`,
    `Every product is sold per unit as described by its quantityPerUnit (UN/ECE code EA) in the standard tax category.`,
    `Payment terms are 2/10 NET30 for the ${discountCustomers} customers in the top fifth by total order value and NET30 for the others.`,
    `Credit limits are twice the customer's largest calendar-month order value rounded up to a whole 1,000.00 (at least 1,000.00), or one month's value for about one customer in ten chosen by a seeded draw, so some orders meet a credit hold.`,
    `The categories, suppliers and employees files are not read; ${sourceFiles.reduce((sum, file) => sum + file.rowsRejected, 0)} rows of the files read were rejected, each listed with its reason.`,
  ];

  return {
    name: 'northwind',
    currency: CURRENCY,
    sellerCountryCode: SELLER_COUNTRY,
    pricesIncludeTax: false,
    customers,
    products: [...products.values()],
    orders: [...orders],
    returns: [],
    priceList,
    openingStock: stock.openingStock,
    replenishments: stock.replenishments,
    rejectedRows: accounting.rejectedRows(),
    rowsRead: sourceFiles.reduce((sum, file) => sum + file.rowsRead, 0),
    sourceFiles,
    notes,
  };
}
