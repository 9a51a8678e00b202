import { performance } from 'node:perf_hooks';

import type pg from 'pg';

import { minorUnitExponent } from '../src/money/index.js';
import { jsonReplacer } from '../src/platform/history.js';
import { toCalendarDate } from '../src/shared/calendar-date.js';
import * as statements from './plain-sql-statements.js';
import type { BenchPurchaseOrder } from './purchase-orders.js';

export interface PlainIntakeOutcome {
  orderId: string;
  status: 'confirmed' | 'on_hold';
  /** False when the customer PO number repeated an earlier order and nothing was created. */
  created: boolean;
}

interface CustomerRow {
  id: string;
  code: string;
  currency: string;
  payment_terms_code: string;
  credit_limit_minor: bigint | null;
  tax_exempt: boolean;
  blocked: boolean;
  price_list_id: string | null;
}

interface ShipToRow {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country_code: string;
}

interface PricedLineRow {
  position: number;
  product_id: string | null;
  sku: string | null;
  name: string;
  unit_code: string;
  tax_category: string;
  stocked: boolean;
  replenishment_lead_time_days: number;
  quantity: string;
  unit_price: string | null;
  line_amount_minor: bigint | null;
}

interface TaxedLine extends PricedLineRow {
  product_id: string;
  sku: string;
  unit_price: string;
  line_amount_minor: bigint;
  vatCategoryCode: string;
  ratePercent: string;
}

interface Hold {
  reason: 'credit_limit' | 'stock_shortage' | 'customer_blocked';
  facts: Record<string, unknown>;
}

/**
 * Runs order intake written by hand with pg, the benchmark's baseline. One
 * transaction locks the customer, prices and taxes the lines, checks credit
 * exposure and inserts the order and its lines. It then reserves stock and
 * confirms the order or puts it on hold, with the history rows that intake
 * writes. It leaves out what submitOrder adds around that work: input
 * validation, Kysely, the deadlock retry, the lifecycle table, and the reads
 * that build the response (getOrder) and the lifecycle snapshot.
 *
 * It covers the purchase orders the benchmark sends: no expected prices,
 * discounts, requested dates, explicit ship-to or Idempotency-Key, and a
 * price list with tax-exclusive prices. Anything else throws.
 */
export async function submitOrderWithPlainSql(
  pool: pg.Pool,
  companyId: string,
  po: BenchPurchaseOrder,
  actor: string,
): Promise<PlainIntakeOutcome> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const outcome = await intake(client, companyId, po, actor);
    await client.query('COMMIT');
    client.release();
    return outcome;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    // A connection in an unknown state is closed rather than returned to the pool.
    client.release(true);
    throw error;
  }
}

async function intake(client: pg.PoolClient, companyId: string, po: BenchPurchaseOrder, actor: string): Promise<PlainIntakeOutcome> {
  const startedAt = performance.now();
  const receivedAt = new Date();
  const orderDate = toCalendarDate(receivedAt);

  const customer = (await client.query<CustomerRow>(statements.LOCK_CUSTOMER, [companyId, po.customerCode])).rows[0];
  if (customer === undefined) throw new Error(`Plain-SQL intake: customer ${po.customerCode} was not found.`);

  const repeated = await client.query<{ id: string; status: string }>(statements.FIND_REPEATED_ORDER, [companyId, customer.id, po.customerPoNumber]);
  if (repeated.rows[0] !== undefined) {
    return { orderId: repeated.rows[0].id, status: repeated.rows[0].status as PlainIntakeOutcome['status'], created: false };
  }

  const priceList = (
    customer.price_list_id === null
      ? await client.query<{ id: string; currency: string; prices_include_tax: boolean }>(statements.DEFAULT_PRICE_LIST, [companyId, customer.currency])
      : await client.query<{ id: string; currency: string; prices_include_tax: boolean }>(statements.CUSTOMER_PRICE_LIST, [companyId, customer.price_list_id])
  ).rows[0];
  if (priceList === undefined || priceList.currency !== customer.currency || priceList.prices_include_tax) {
    throw new Error(`Plain-SQL intake: customer ${customer.code} needs a tax-exclusive price list in ${customer.currency}.`);
  }

  const shipTo = (await client.query<ShipToRow>(statements.DEFAULT_SHIP_TO, [customer.id])).rows[0];
  if (shipTo === undefined) throw new Error(`Plain-SQL intake: customer ${customer.code} has no ship-to address.`);

  const lines = await priceAndTaxLines(client, { companyId, customer, priceListId: priceList.id, orderDate, shipToCountry: shipTo.country_code, po });
  const netMinor = lines.reduce((sum, line) => sum + line.line_amount_minor, 0n);
  const taxMinor = documentTax(lines);
  const grossMinor = netMinor + taxMinor;

  const holds: Hold[] = [];
  if (customer.blocked) holds.push({ reason: 'customer_blocked', facts: { customerCode: customer.code } });
  const creditHold = await checkCredit(client, customer, grossMinor);
  if (creditHold !== null) holds.push(creditHold);

  const orderId = (
    await client.query<{ id: string }>(statements.INSERT_ORDER, [
      companyId,
      customer.id,
      po.customerPoNumber,
      customer.currency,
      false,
      priceList.id,
      customer.payment_terms_code,
      JSON.stringify({
        name: shipTo.name,
        line1: shipTo.line1,
        line2: shipTo.line2,
        city: shipTo.city,
        region: shipTo.region,
        postalCode: shipTo.postal_code,
        countryCode: shipTo.country_code,
      }),
      orderDate,
      receivedAt,
      netMinor,
      taxMinor,
      grossMinor,
    ])
  ).rows[0]!.id;

  const inserted = await client.query<{ id: string; line_number: number }>(statements.INSERT_LINES, [
    companyId,
    orderId,
    lines.map((line) => line.position),
    lines.map((line) => line.product_id),
    lines.map((line) => line.sku),
    lines.map((line) => line.name),
    lines.map((line) => line.unit_code),
    lines.map((line) => line.quantity),
    lines.map((line) => line.unit_price),
    lines.map((line) => line.line_amount_minor),
    lines.map((line) => line.vatCategoryCode),
    lines.map((line) => line.ratePercent),
  ]);
  const lineIds = new Map(inserted.rows.map((row) => [row.line_number, row.id]));

  const history = [
    historyRow('received', null, 'draft', null, { channel: 'api', customerPoNumber: po.customerPoNumber, lines: po.lines.length }),
  ];
  await insertHistory(client, companyId, orderId, actor, receivedAt, history);

  const shortage = await reserveLines(client, companyId, orderDate, lines, lineIds);
  if (shortage !== null) holds.push(shortage);

  if (holds.length > 0) {
    await client.query(statements.INSERT_HOLDS, [
      companyId,
      orderId,
      receivedAt,
      holds.map((hold) => hold.reason),
      holds.map((hold) => JSON.stringify(hold.facts, jsonReplacer)),
    ]);
  }

  const status = holds.length > 0 ? 'on_hold' : 'confirmed';
  const processingMs = (performance.now() - startedAt).toFixed(3);
  await client.query(statements.FINISH_ORDER, [orderId, status, receivedAt, processingMs]);

  const closing = [
    ...holds.map((hold) => historyRow('hold_placed', null, null, hold.reason, hold.facts)),
    historyRow(
      status === 'confirmed' ? 'confirmed' : 'submit',
      'draft',
      status,
      holds.length > 0 ? holds.map((hold) => hold.reason).join(', ') : null,
      {},
    ),
  ];
  await insertHistory(client, companyId, orderId, actor, receivedAt, closing);

  return { orderId, status, created: true };
}

async function priceAndTaxLines(
  client: pg.PoolClient,
  order: { companyId: string; customer: CustomerRow; priceListId: string; orderDate: string; shipToCountry: string; po: BenchPurchaseOrder },
): Promise<TaxedLine[]> {
  const { companyId, customer, po } = order;
  const priced = await client.query<PricedLineRow>(statements.PRICE_LINES, [
    companyId,
    po.lines.map((line) => line.sku),
    po.lines.map((line) => line.quantity),
    order.priceListId,
    customer.id,
    order.orderDate,
    minorUnitExponent(customer.currency),
  ]);
  const rates = (await client.query<{ country_code: string; tax_category: string; vat_category_code: string; rate_percent: string }>(statements.TAX_RATES, [companyId])).rows;

  return priced.rows.map((line) => {
    const sku = po.lines[line.position - 1]!.sku;
    if (line.product_id === null || line.sku === null) throw new Error(`Plain-SQL intake: unknown SKU ${sku}.`);
    if (line.unit_price === null || line.line_amount_minor === null) {
      throw new Error(`Plain-SQL intake: no price for SKU ${sku} on ${order.orderDate}.`);
    }

    // A tax-exempt customer gets category E at 0 %. Otherwise the ship-to country's rate wins over the '*' rate.
    let vatCategoryCode = 'E';
    let ratePercent = '0';
    if (!customer.tax_exempt) {
      const rate =
        rates.find((row) => row.country_code === order.shipToCountry && row.tax_category === line.tax_category) ??
        rates.find((row) => row.country_code === '*' && row.tax_category === line.tax_category);
      if (rate === undefined) throw new Error(`Plain-SQL intake: no tax rate for ${line.tax_category} shipped to ${order.shipToCountry}.`);
      vatCategoryCode = rate.vat_category_code;
      ratePercent = rate.rate_percent;
    }
    return { ...line, product_id: line.product_id, sku: line.sku, unit_price: line.unit_price, line_amount_minor: line.line_amount_minor, vatCategoryCode, ratePercent };
  });
}

/**
 * Tax of a document with tax-exclusive prices: per VAT category and rate,
 * the sum of the rounded line nets times the rate, rounded once, half away
 * from zero, as computeTaxBreakdown does. Amounts are never negative here.
 */
function documentTax(lines: readonly TaxedLine[]): bigint {
  const taxable = new Map<string, { rate: string; sum: bigint }>();
  for (const line of lines) {
    const key = `${line.vatCategoryCode} ${line.ratePercent}`;
    const group = taxable.get(key) ?? { rate: line.ratePercent, sum: 0n };
    group.sum += line.line_amount_minor;
    taxable.set(key, group);
  }

  let tax = 0n;
  for (const { rate, sum } of taxable.values()) {
    const [whole = '0', fraction = ''] = rate.split('.');
    const rateScaled = BigInt(whole + fraction);
    const divisor = 100n * 10n ** BigInt(fraction.length);
    tax += (sum * rateScaled * 2n + divisor) / (2n * divisor);
  }
  return tax;
}

async function checkCredit(client: pg.PoolClient, customer: CustomerRow, orderGrossMinor: bigint): Promise<Hold | null> {
  if (customer.credit_limit_minor === null) return null;

  const receivables = await client.query<{ open_minor: string }>(statements.OPEN_RECEIVABLES, [customer.id]);
  const orders = await client.query<{ shipped_not_invoiced: string; confirmed_not_shipped: string }>(statements.ORDER_EXPOSURE, [customer.id, null]);
  const openReceivablesMinor = BigInt(receivables.rows[0]?.open_minor ?? '0');
  const shippedNotInvoicedMinor = BigInt(orders.rows[0]?.shipped_not_invoiced ?? '0');
  const confirmedNotShippedMinor = BigInt(orders.rows[0]?.confirmed_not_shipped ?? '0');

  const exposureMinor = openReceivablesMinor + shippedNotInvoicedMinor + confirmedNotShippedMinor + orderGrossMinor;
  if (exposureMinor <= customer.credit_limit_minor) return null;
  return {
    reason: 'credit_limit',
    facts: {
      currency: customer.currency,
      creditLimitMinor: customer.credit_limit_minor,
      exposureMinor,
      openReceivablesMinor,
      shippedNotInvoicedMinor,
      confirmedNotShippedMinor,
      thisOrderMinor: orderGrossMinor,
      overLimitMinor: exposureMinor - customer.credit_limit_minor,
    },
  };
}

/**
 * Reserves every stocked line in product order, as intake does, so that
 * concurrent orders lock stock rows in the same order and do not deadlock
 * each other. Returns a `stock_shortage` hold for lines not fully reserved.
 */
async function reserveLines(
  client: pg.PoolClient,
  companyId: string,
  orderDate: string,
  lines: readonly TaxedLine[],
  lineIds: Map<number, string>,
): Promise<Hold | null> {
  const ordered = [...lines].sort((a, b) => {
    if (a.product_id === b.product_id) return a.position - b.position;
    return a.product_id < b.product_id ? -1 : 1;
  });

  const shortLines: Record<string, unknown>[] = [];
  for (const line of ordered) {
    const lineId = lineIds.get(line.position)!;
    // Services and charges are never in stock, so the whole quantity counts as available.
    if (!line.stocked) {
      await client.query('UPDATE sales_order_line SET promised_ship_date = $2 WHERE id = $1', [lineId, orderDate]);
      continue;
    }

    const taken = await client.query<{ warehouse_id: string; take: string }>(statements.RESERVE_STOCK, [line.product_id, companyId, line.quantity]);
    if (taken.rows.length > 0) {
      await client.query(statements.INSERT_RESERVATIONS, [
        companyId,
        lineId,
        line.product_id,
        taken.rows.map((row) => row.warehouse_id),
        taken.rows.map((row) => row.take),
      ]);
    }
    const recorded = await client.query<{ reserved: string; short: string; fully_reserved: boolean; promised_ship_date: string }>(statements.RECORD_LINE_RESERVATION, [
      lineId,
      taken.rows.map((row) => row.take),
      orderDate,
      line.replenishment_lead_time_days,
    ]);
    const result = recorded.rows[0]!;
    if (!result.fully_reserved) {
      shortLines.push({
        line: line.position,
        sku: line.sku,
        requested: line.quantity,
        reserved: result.reserved,
        short: result.short,
        promisedShipDate: result.promised_ship_date,
      });
    }
  }
  return shortLines.length > 0 ? { reason: 'stock_shortage', facts: { lines: shortLines } } : null;
}

interface HistoryRow {
  event: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  details: string;
}

function historyRow(event: string, fromStatus: string | null, toStatus: string | null, reason: string | null, details: Record<string, unknown>): HistoryRow {
  return { event, fromStatus, toStatus, reason, details: JSON.stringify(details, jsonReplacer) };
}

async function insertHistory(client: pg.PoolClient, companyId: string, orderId: string, actor: string, at: Date, rows: readonly HistoryRow[]): Promise<void> {
  await client.query(statements.INSERT_HISTORY, [
    companyId,
    orderId,
    actor,
    at,
    rows.map((row) => row.event),
    rows.map((row) => row.fromStatus),
    rows.map((row) => row.toStatus),
    rows.map((row) => row.reason),
    rows.map((row) => row.details),
  ]);
}
