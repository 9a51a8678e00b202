import type { Kysely } from 'kysely';

import { Dec, formatMinorUnits } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB, InvoiceKind } from '../../platform/schema.js';

/** Invoices are paid; credit notes are applied (to invoices or as customer credit). */
export type InvoiceStatus = 'open' | 'partially_paid' | 'paid' | 'partially_applied' | 'applied';

export interface InvoiceView {
  id: string;
  kind: InvoiceKind;
  invoiceNumber: string;
  orderNumber: string;
  customerCode: string;
  correctedInvoiceNumber: string | null;
  reason: string | null;
  currency: string;
  issueDate: string;
  dueDate: string;
  discountDeadline: string | null;
  paymentTermsCode: string;
  status: InvoiceStatus;
  netAmount: string;
  taxAmount: string;
  grossAmount: string;
  openAmount: string;
  taxBreakdown: { vatCategoryCode: string; ratePercent: string; taxableAmount: string; taxAmount: string }[];
  lines: { lineNumber: number; sku: string; description: string; unitCode: string; quantity: string; unitPrice: string; discountPercent: string; lineNetAmount: string; vatCategoryCode: string; taxRatePercent: string }[];
}

/** Derives the status from the open amount; it is never stored. */
export function invoiceStatus(grossMinor: bigint, openMinor: bigint, kind: InvoiceKind = 'invoice'): InvoiceStatus {
  if (openMinor === grossMinor && grossMinor !== 0n) return 'open';
  if (kind === 'credit_note') return openMinor === 0n ? 'applied' : 'partially_applied';
  return openMinor === 0n ? 'paid' : 'partially_paid';
}

export async function getInvoice(db: Kysely<DB>, companyId: string, invoiceId: string): Promise<InvoiceView> {
  const invoice = await db
    .selectFrom('invoice')
    .innerJoin('sales_order', 'sales_order.id', 'invoice.order_id')
    .innerJoin('customer', 'customer.id', 'invoice.customer_id')
    .leftJoin('invoice as corrected', 'corrected.id', 'invoice.corrected_invoice_id')
    .selectAll('invoice')
    .select(['sales_order.order_number', 'customer.code as customer_code', 'corrected.invoice_number as corrected_number'])
    .where('invoice.company_id', '=', companyId)
    .where('invoice.id', '=', invoiceId)
    .executeTakeFirst();
  if (!invoice) {
    rejectAndRollBack('invoice_not_found', `Invoice ${invoiceId} was not found.`, { invoiceId });
  }

  const lines = await db.selectFrom('invoice_line').selectAll().where('invoice_id', '=', invoice.id).orderBy('line_number').execute();
  const taxes = await db.selectFrom('invoice_tax').selectAll().where('invoice_id', '=', invoice.id).orderBy('vat_category_code').orderBy('rate_percent').execute();
  const currency = invoice.currency;

  return {
    id: invoice.id,
    kind: invoice.kind,
    invoiceNumber: invoice.invoice_number,
    orderNumber: invoice.order_number,
    customerCode: invoice.customer_code,
    correctedInvoiceNumber: invoice.corrected_number ?? null,
    reason: invoice.reason,
    currency,
    issueDate: invoice.issue_date,
    dueDate: invoice.due_date,
    discountDeadline: invoice.discount_deadline,
    paymentTermsCode: invoice.payment_terms_code,
    status: invoiceStatus(invoice.gross_minor, invoice.open_minor, invoice.kind),
    netAmount: formatMinorUnits(invoice.net_minor, currency),
    taxAmount: formatMinorUnits(invoice.tax_minor, currency),
    grossAmount: formatMinorUnits(invoice.gross_minor, currency),
    openAmount: formatMinorUnits(invoice.open_minor, currency),
    taxBreakdown: taxes.map((row) => ({
      vatCategoryCode: row.vat_category_code,
      ratePercent: new Dec(row.rate_percent).toString(),
      taxableAmount: formatMinorUnits(row.taxable_minor, currency),
      taxAmount: formatMinorUnits(row.tax_minor, currency),
    })),
    lines: lines.map((line) => ({
      lineNumber: line.line_number,
      sku: line.sku,
      description: line.description,
      unitCode: line.unit_code,
      quantity: new Dec(line.quantity).toString(),
      unitPrice: new Dec(line.unit_price).toString(),
      discountPercent: new Dec(line.discount_percent).toString(),
      lineNetAmount: formatMinorUnits(line.line_net_minor, currency),
      vatCategoryCode: line.vat_category_code,
      taxRatePercent: new Dec(line.tax_rate_percent).toString(),
    })),
  };
}
