import { sql, type Kysely } from 'kysely';

import { formatMinorUnits } from '../../money/index.js';
import type { DB } from '../../platform/schema.js';
import { AGING_BUCKETS, ageOpenItems, type AgingBucket } from '../rules/aging.js';

export interface AgingRow {
  customerCode: string;
  customerName: string;
  currency: string;
  buckets: Record<AgingBucket, string>;
  openInvoices: string;
  /** Open credit notes and unapplied payments, which lower the balance but are not aged. */
  unappliedCredits: string;
  balance: string;
}

export interface AgingReport {
  asOf: string;
  /** Totals per currency; amounts in different currencies are never added. */
  totals: Record<string, { buckets: Record<AgingBucket, string>; openInvoices: string; unappliedCredits: string; balance: string }>;
  customers: AgingRow[];
}

interface OpenItemRow {
  customer_id: string;
  code: string;
  name: string;
  currency: string;
  kind: 'invoice' | 'credit_note' | 'payment';
  due_date: string;
  open_minor: bigint;
}

/** Receivables aging by days past due, per customer and per currency, as of a date. */
export async function getAgingReport(db: Kysely<DB>, companyId: string, asOf: string): Promise<AgingReport> {
  const items = await sql<OpenItemRow>`
    SELECT c.id AS customer_id, c.code, c.name, c.currency, i.kind, i.due_date::text AS due_date, i.open_minor
    FROM invoice i JOIN customer c ON c.id = i.customer_id
    WHERE i.company_id = ${companyId} AND i.open_minor > 0 AND i.issue_date <= ${asOf}::date
    UNION ALL
    SELECT c.id, c.code, c.name, c.currency, 'payment', p.received_on::text, p.unapplied_minor
    FROM payment p JOIN customer c ON c.id = p.customer_id
    WHERE p.company_id = ${companyId} AND p.unapplied_minor > 0 AND p.received_on <= ${asOf}::date
    ORDER BY 2
  `.execute(db);

  const byCustomer = new Map<string, OpenItemRow[]>();
  for (const item of items.rows) byCustomer.set(item.customer_id, [...(byCustomer.get(item.customer_id) ?? []), item]);

  const customers: AgingRow[] = [];
  const totals: Record<string, { buckets: Record<AgingBucket, bigint>; openInvoices: bigint; credits: bigint }> = {};

  for (const rows of byCustomer.values()) {
    const first = rows[0]!;
    const invoices = rows.filter((row) => row.kind === 'invoice');
    const credits = rows.filter((row) => row.kind !== 'invoice').reduce((sum, row) => sum + BigInt(row.open_minor), 0n);
    const buckets = ageOpenItems(invoices.map((row) => ({ dueDate: row.due_date, openMinor: BigInt(row.open_minor) })), asOf);
    const openInvoices = invoices.reduce((sum, row) => sum + BigInt(row.open_minor), 0n);

    const total = (totals[first.currency] ??= { buckets: emptyBuckets(), openInvoices: 0n, credits: 0n });
    for (const bucket of AGING_BUCKETS) total.buckets[bucket] += buckets[bucket];
    total.openInvoices += openInvoices;
    total.credits += credits;

    customers.push({
      customerCode: first.code,
      customerName: first.name,
      currency: first.currency,
      buckets: formatBuckets(buckets, first.currency),
      openInvoices: formatMinorUnits(openInvoices, first.currency),
      unappliedCredits: formatMinorUnits(credits, first.currency),
      balance: formatMinorUnits(openInvoices - credits, first.currency),
    });
  }

  return {
    asOf,
    totals: Object.fromEntries(
      Object.entries(totals).map(([currency, total]) => [
        currency,
        {
          buckets: formatBuckets(total.buckets, currency),
          openInvoices: formatMinorUnits(total.openInvoices, currency),
          unappliedCredits: formatMinorUnits(total.credits, currency),
          balance: formatMinorUnits(total.openInvoices - total.credits, currency),
        },
      ]),
    ),
    customers,
  };
}

function emptyBuckets(): Record<AgingBucket, bigint> {
  return { current: 0n, days_1_30: 0n, days_31_60: 0n, days_61_90: 0n, days_over_90: 0n };
}

function formatBuckets(buckets: Record<AgingBucket, bigint>, currency: string): Record<AgingBucket, string> {
  return Object.fromEntries(AGING_BUCKETS.map((bucket) => [bucket, formatMinorUnits(buckets[bucket], currency)])) as Record<AgingBucket, string>;
}
