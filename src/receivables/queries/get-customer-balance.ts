import { sql, type Kysely } from 'kysely';

import { formatMinorUnits } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';
import { daysBetween } from '../../shared/calendar-date.js';
import { agingBucket, type AgingBucket } from '../rules/aging.js';

/** An open invoice, credit note or unapplied payment of one customer; amounts are decimal strings. */
export interface OpenItemView {
  kind: 'invoice' | 'credit_note' | 'payment';
  /** Invoice, credit note or payment number. */
  number: string;
  /** Issue date of a document, or the day a payment was received. */
  date: string;
  /** Due date of an invoice; null for credits, which are not aged. */
  dueDate: string | null;
  amount: string;
  openAmount: string;
  /** open or partially_paid for an invoice; open or partially_applied for a credit. */
  status: 'open' | 'partially_paid' | 'partially_applied';
  /** Days after the due date on `asOf`, 0 when not yet due; null for credits. */
  daysPastDue: number | null;
  agingBucket: AgingBucket | null;
}

export interface CustomerBalanceView {
  customerCode: string;
  customerName: string;
  currency: string;
  asOf: string;
  /** Open invoices first by due date, then credit notes and payments by date. */
  openItems: OpenItemView[];
  openInvoices: string;
  /** The part of openInvoices that is past due on `asOf`. */
  overdue: string;
  /** Open credit notes and unapplied payments, which lower the balance. */
  unappliedCredits: string;
  /** openInvoices − unappliedCredits; negative when the customer is in credit. */
  balance: string;
}

interface OpenItemRow {
  kind: OpenItemView['kind'];
  number: string;
  date: string;
  due_date: string | null;
  currency: string;
  amount_minor: string;
  open_minor: string;
}

/**
 * Reads a customer's open items as of a date, the way the aging report
 * counts them: documents issued and payments received on or before `asOf`
 * with their open amounts now. Rejects with `customer_not_found`.
 */
export async function getCustomerBalance(db: Kysely<DB>, companyId: string, customerCode: string, asOf: string): Promise<CustomerBalanceView> {
  const customer = await db
    .selectFrom('customer')
    .select(['id', 'code', 'name', 'currency'])
    .where('company_id', '=', companyId)
    .where('code', '=', customerCode)
    .executeTakeFirst();
  if (!customer) {
    rejectAndRollBack('customer_not_found', `Customer ${customerCode} was not found; create the customer or correct the customer code.`, {
      customerCode,
    });
  }

  const rows = await sql<OpenItemRow>`
    SELECT * FROM (
      SELECT kind, invoice_number AS number, issue_date::text AS date,
             CASE WHEN kind = 'invoice' THEN due_date::text END AS due_date,
             currency, gross_minor::text AS amount_minor, open_minor::text AS open_minor
      FROM invoice
      WHERE customer_id = ${customer.id} AND open_minor > 0 AND issue_date <= ${asOf}::date
      UNION ALL
      SELECT 'payment', payment_number, received_on::text, NULL,
             currency, amount_minor::text, unapplied_minor::text
      FROM payment
      WHERE customer_id = ${customer.id} AND unapplied_minor > 0 AND received_on <= ${asOf}::date
    ) items
    ORDER BY kind <> 'invoice', due_date, date, number
  `.execute(db);

  let openInvoices = 0n;
  let overdue = 0n;
  let credits = 0n;
  const openItems = rows.rows.map((row): OpenItemView => {
    if (row.currency !== customer.currency) {
      throw new Error(`Open item ${row.number} is in ${row.currency}, but customer ${customer.code} is invoiced in ${customer.currency}`);
    }
    const amount = BigInt(row.amount_minor);
    const open = BigInt(row.open_minor);
    const partly = open < amount;

    if (row.kind !== 'invoice' || row.due_date === null) {
      credits += open;
      return {
        kind: row.kind,
        number: row.number,
        date: row.date,
        dueDate: null,
        amount: formatMinorUnits(amount, row.currency),
        openAmount: formatMinorUnits(open, row.currency),
        status: partly ? 'partially_applied' : 'open',
        daysPastDue: null,
        agingBucket: null,
      };
    }

    const daysPastDue = Math.max(0, daysBetween(row.due_date, asOf));
    openInvoices += open;
    if (daysPastDue > 0) overdue += open;
    return {
      kind: row.kind,
      number: row.number,
      date: row.date,
      dueDate: row.due_date,
      amount: formatMinorUnits(amount, row.currency),
      openAmount: formatMinorUnits(open, row.currency),
      status: partly ? 'partially_paid' : 'open',
      daysPastDue,
      agingBucket: agingBucket(row.due_date, asOf),
    };
  });

  return {
    customerCode: customer.code,
    customerName: customer.name,
    currency: customer.currency,
    asOf,
    openItems,
    openInvoices: formatMinorUnits(openInvoices, customer.currency),
    overdue: formatMinorUnits(overdue, customer.currency),
    unappliedCredits: formatMinorUnits(credits, customer.currency),
    balance: formatMinorUnits(openInvoices - credits, customer.currency),
  };
}
