import { sql, type Kysely } from 'kysely';

import { checkInvariants } from '../checker/invariants.js';
import { Dec, formatMinorUnits } from '../money/index.js';
import type { DB } from '../platform/schema.js';
import { computeLineAmount } from '../pricing/rules/line-amount.js';
import { getAgingReport } from '../receivables/queries/aging-report.js';
import { getDaysSalesOutstanding } from '../receivables/queries/days-sales-outstanding.js';
import { getOrderKpis } from '../reporting/queries/order-kpis.js';
import type { ReplayDataset } from './model.js';
import type { DeskTally } from './replay-desk.js';

export interface ReplayReport {
  dataset: string;
  currency: string;
  asOf: string;
  rowsRead: number;
  orders: {
    /** Orders in the source: submitted plus rejected at intake. */
    inSource: number;
    received: number;
    rejectedAtIntake: number;
    confirmed: number;
    touchless: number;
    held: Record<string, number>;
    stillHeld: Record<string, number>;
    cancelled: number;
    closed: number;
    /** Orders confirmed and still open at the end: not shipped by the end date, or without a ship date. */
    open: number;
    /** Orders the desk rejected after waiting too long for a hold to clear. */
    givenUp: number;
  };
  lines: { inSource: number; submitted: number };
  rejectedRows: { file: string; row: number; code: string; reason: string }[];
  shipments: number;
  invoices: { count: number; total: string };
  creditNotes: { count: number; total: string };
  payments: { count: number; total: string; scheduledAfterEnd: number };
  touchlessRate: string | null;
  /** Wall time of intake (receipt to confirmation) of the orders confirmed at intake. */
  processingMs: { p50: string | null; p95: string | null; p99: string | null; orders: number };
  orderToCashDays: { p50: string | null; p90: string | null; orders: number };
  onTimeShipmentRate: string | null;
  dso: string | null;
  openAr: Record<string, string>;
  reconciliation: { invoicedNet: string; recomputedNet: string; invoicedTax: string; taxBreakdown: string; invoicedGross: string; matches: boolean };
  invariantViolations: number;
  notes: string[];
  wallSeconds: string;
}

/** Builds the replay report from the database and the desk's tally. */
export async function buildReplayReport(
  db: Kysely<DB>,
  input: { companyId: string; dataset: ReplayDataset; tally: DeskTally; asOf: string; wallMs: number },
): Promise<ReplayReport> {
  const { companyId, dataset, tally, asOf } = input;
  const currency = dataset.currency;

  const kpis = await getOrderKpis(db, companyId);
  const documents = await sql<{ kind: string; count: string; total: string }>`
    SELECT kind, COUNT(*)::text AS count, COALESCE(SUM(gross_minor), 0)::text AS total FROM invoice WHERE company_id = ${companyId} GROUP BY kind
  `.execute(db);
  const invoices = documents.rows.find((row) => row.kind === 'invoice');
  const creditNotes = documents.rows.find((row) => row.kind === 'credit_note');
  const payments = await sql<{ count: string; total: string }>`
    SELECT COUNT(*)::text AS count, COALESCE(SUM(amount_minor), 0)::text AS total FROM payment WHERE company_id = ${companyId}
  `.execute(db);
  const shipments = await sql<{ count: string }>`
    SELECT COUNT(*)::text AS count FROM shipment WHERE company_id = ${companyId} AND status = 'confirmed'
  `.execute(db);

  const aging = await getAgingReport(db, companyId, asOf);
  const dso = await getDaysSalesOutstanding(db, companyId, asOf);
  const checks = await checkInvariants(db);
  const reconciliation = await reconcileInvoices(db, companyId, currency);

  const rejectedRows = [...dataset.rejectedRows, ...tally.intakeRejections, ...tally.rejectedReturns].sort(
    (a, b) => a.file.localeCompare(b.file) || a.row - b.row,
  );
  const sourceLines = dataset.orders.reduce((sum, order) => sum + order.lines.length, 0);

  return {
    dataset: dataset.name,
    currency,
    asOf,
    rowsRead: dataset.rowsRead,
    orders: {
      inSource: dataset.orders.length,
      received: kpis.received,
      rejectedAtIntake: tally.intakeRejections.length,
      confirmed: kpis.confirmed,
      touchless: kpis.touchless,
      held: kpis.heldByReason,
      stillHeld: kpis.stillHeldByReason,
      cancelled: kpis.cancelled,
      closed: kpis.closed,
      open: kpis.open,
      givenUp: tally.ordersGivenUp,
    },
    lines: { inSource: sourceLines, submitted: tally.linesSubmitted },
    rejectedRows,
    shipments: Number(shipments.rows[0]?.count ?? '0'),
    invoices: { count: Number(invoices?.count ?? '0'), total: formatMinorUnits(BigInt(invoices?.total ?? '0'), currency) },
    creditNotes: { count: Number(creditNotes?.count ?? '0'), total: formatMinorUnits(BigInt(creditNotes?.total ?? '0'), currency) },
    payments: {
      count: Number(payments.rows[0]?.count ?? '0'),
      total: formatMinorUnits(BigInt(payments.rows[0]?.total ?? '0'), currency),
      scheduledAfterEnd: tally.paymentsAfterEnd,
    },
    touchlessRate: kpis.touchlessRate,
    processingMs: { ...percentiles(tally.touchlessIntakeMs), orders: tally.touchlessIntakeMs.length },
    orderToCashDays: kpis.orderToCashDays,
    onTimeShipmentRate: kpis.onTimeShipmentRate,
    dso: dso[currency] ?? null,
    openAr: aging.totals[currency]?.buckets ?? {},
    reconciliation,
    invariantViolations: checks.violations.length,
    notes: dataset.notes,
    wallSeconds: (input.wallMs / 1000).toFixed(1),
  };
}

/**
 * Recomputes every invoice line from its shipped quantity, price and
 * discount, and compares the sums with the invoices, so the report shows
 * that billing matches what left the warehouse.
 */
async function reconcileInvoices(db: Kysely<DB>, companyId: string, currency: string): Promise<ReplayReport['reconciliation']> {
  const lines = await sql<{ quantity: string; unit_price: string; discount_percent: string; line_net_minor: string; prices_include_tax: boolean }>`
    SELECT sl.quantity::text, l.unit_price::text, l.discount_percent::text, il.line_net_minor::text, o.prices_include_tax
    FROM shipment_line sl
    JOIN shipment s ON s.id = sl.shipment_id AND s.status = 'confirmed'
    JOIN sales_order_line l ON l.id = sl.order_line_id
    JOIN sales_order o ON o.id = l.order_id
    JOIN invoice_line il ON il.shipment_line_id = sl.id
    WHERE s.company_id = ${companyId}
  `.execute(db);
  const totals = await sql<{ net: string; tax: string; gross: string; breakdown: string }>`
    SELECT COALESCE(SUM(net_minor), 0)::text AS net, COALESCE(SUM(tax_minor), 0)::text AS tax, COALESCE(SUM(gross_minor), 0)::text AS gross,
           COALESCE((SELECT SUM(t.tax_minor) FROM invoice_tax t JOIN invoice i2 ON i2.id = t.invoice_id
                     WHERE i2.company_id = ${companyId} AND i2.kind = 'invoice'), 0)::text AS breakdown
    FROM invoice WHERE company_id = ${companyId} AND kind = 'invoice'
  `.execute(db);

  // Tax-inclusive lines carry gross amounts before the split, so only
  // tax-exclusive lines are compared line by line.
  let recomputed = 0n;
  let invoicedLines = 0n;
  for (const line of lines.rows) {
    if (line.prices_include_tax) continue;
    recomputed += computeLineAmount({
      quantity: new Dec(line.quantity),
      unitPrice: new Dec(line.unit_price),
      discountPercent: new Dec(line.discount_percent),
      currency,
    });
    invoicedLines += BigInt(line.line_net_minor);
  }

  const row = totals.rows[0]!;
  const matches = recomputed === invoicedLines && row.tax === row.breakdown && BigInt(row.net) + BigInt(row.tax) === BigInt(row.gross);
  return {
    invoicedNet: formatMinorUnits(BigInt(row.net), currency),
    recomputedNet: formatMinorUnits(recomputed + (BigInt(row.net) - invoicedLines), currency),
    invoicedTax: formatMinorUnits(BigInt(row.tax), currency),
    taxBreakdown: formatMinorUnits(BigInt(row.breakdown), currency),
    invoicedGross: formatMinorUnits(BigInt(row.gross), currency),
    matches,
  };
}

/** Nearest-rank percentiles of wall-clock timings, in milliseconds with three decimals. */
function percentiles(values: readonly number[]): { p50: string | null; p95: string | null; p99: string | null } {
  if (values.length === 0) return { p50: null, p95: null, p99: null };
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!.toFixed(3);
  return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99) };
}
