import { sql, type Kysely } from 'kysely';

import { formatMinorUnits } from '../../money/index.js';
import type { DB, InvoiceKind } from '../../platform/schema.js';
import { invoiceStatus, type InvoiceStatus } from './get-invoice.js';

export interface InvoiceListFilter {
  customerCode?: string | null;
  status?: InvoiceStatus | null;
  kind?: InvoiceKind | null;
  limit: number;
  /** Id of the last document of the previous page; the list continues after it. */
  after?: string | null;
}

/** One invoice or credit note of a list; amounts are decimal strings in `currency`. */
export interface InvoiceSummary {
  id: string;
  kind: InvoiceKind;
  invoiceNumber: string;
  orderNumber: string;
  customerCode: string;
  correctedInvoiceNumber: string | null;
  currency: string;
  issueDate: string;
  dueDate: string;
  status: InvoiceStatus;
  netAmount: string;
  taxAmount: string;
  grossAmount: string;
  openAmount: string;
}

export interface InvoicePage {
  items: InvoiceSummary[];
  /** The `after` value of the next page; null on the last page. */
  nextAfter: string | null;
}

/**
 * Lists invoices and credit notes by issue date, then number, keyset-paginated
 * on that pair. The status filter reads the open amount the same way
 * `invoiceStatus` does, since status is derived and never stored.
 */
export async function listInvoices(db: Kysely<DB>, companyId: string, filter: InvoiceListFilter): Promise<InvoicePage> {
  let query = db
    .selectFrom('invoice as i')
    .innerJoin('sales_order as o', 'o.id', 'i.order_id')
    .innerJoin('customer as c', 'c.id', 'i.customer_id')
    .leftJoin('invoice as corrected', 'corrected.id', 'i.corrected_invoice_id')
    .select([
      'i.id',
      'i.kind',
      'i.invoice_number',
      'o.order_number',
      'c.code as customer_code',
      'corrected.invoice_number as corrected_number',
      'i.currency',
      'i.issue_date',
      'i.due_date',
      'i.net_minor',
      'i.tax_minor',
      'i.gross_minor',
      'i.open_minor',
    ])
    .where('i.company_id', '=', companyId);

  if (filter.customerCode) query = query.where('c.code', '=', filter.customerCode);
  if (filter.kind) query = query.where('i.kind', '=', filter.kind);
  if (filter.status === 'paid') query = query.where('i.open_minor', '=', 0n);
  if (filter.status === 'open') query = query.where('i.open_minor', '>', 0n).whereRef('i.open_minor', '=', 'i.gross_minor');
  if (filter.status === 'partially_paid') query = query.where('i.open_minor', '>', 0n).whereRef('i.open_minor', '<', 'i.gross_minor');
  if (filter.after) {
    query = query.where(
      sql<boolean>`(i.issue_date, i.invoice_number) > (SELECT issue_date, invoice_number FROM invoice WHERE id = ${filter.after} AND company_id = ${companyId})`,
    );
  }

  const rows = await query.orderBy('i.issue_date').orderBy('i.invoice_number').limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);

  return {
    items: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      invoiceNumber: row.invoice_number,
      orderNumber: row.order_number,
      customerCode: row.customer_code,
      correctedInvoiceNumber: row.corrected_number ?? null,
      currency: row.currency,
      issueDate: row.issue_date,
      dueDate: row.due_date,
      status: invoiceStatus(row.gross_minor, row.open_minor, row.kind),
      netAmount: formatMinorUnits(row.net_minor, row.currency),
      taxAmount: formatMinorUnits(row.tax_minor, row.currency),
      grossAmount: formatMinorUnits(row.gross_minor, row.currency),
      openAmount: formatMinorUnits(row.open_minor, row.currency),
    })),
    nextAfter: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}
