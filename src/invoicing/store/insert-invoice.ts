import { Dec, formatMinorUnits } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';
import { postLedgerEntry } from '../../ledger/store/post-entry.js';
import { appendHistory } from '../../platform/history.js';
import type { InvoiceKind } from '../../platform/schema.js';
import { computeLineAmount } from '../../pricing/rules/line-amount.js';
import { computeDocumentTotals } from '../../tax/rules/document-totals.js';
import { discountDeadline, dueDate } from '../rules/payment-terms.js';
import { nextDocumentNumber } from './document-number.js';
import { loadPaymentTerms } from './payment-terms-store.js';

export interface DocumentLineInput {
  orderLineId: string;
  shipmentLineId: string | null;
  correctedLineId: string | null;
  productId: string;
  sku: string;
  description: string;
  unitCode: string;
  quantity: Dec;
  unitPrice: Dec;
  discountPercent: Dec;
  vatCategoryCode: string;
  ratePercent: Dec;
}

export interface DocumentInput {
  companyId: string;
  kind: InvoiceKind;
  customerId: string;
  orderId: string;
  shipmentId: string | null;
  correctedInvoiceId: string | null;
  reason: string | null;
  currency: string;
  pricesIncludeTax: boolean;
  paymentTermsCode: string;
  issueDate: string;
  lines: readonly DocumentLineInput[];
  actor: string;
  at: Date;
}

export interface InsertedDocument {
  id: string;
  invoiceNumber: string;
  grossMinor: bigint;
}

/**
 * Inserts an invoice or credit note with its lines and EN 16931 tax
 * breakdown. Each line amount is rounded once from quantity × price; tax is
 * computed per rate from those rounded nets. The number is the next one of
 * the gapless series for the issue year.
 */
export async function insertInvoiceDocument(trx: Tx, document: DocumentInput): Promise<InsertedDocument> {
  const lineAmounts = document.lines.map((line) =>
    computeLineAmount({ quantity: line.quantity, unitPrice: line.unitPrice, discountPercent: line.discountPercent, currency: document.currency }),
  );
  const totals = computeDocumentTotals(
    document.lines.map((line, index) => ({ lineAmountMinor: lineAmounts[index]!, vatCategoryCode: line.vatCategoryCode, ratePercent: line.ratePercent })),
    document.pricesIncludeTax,
    document.currency,
  );

  const terms = await loadPaymentTerms(trx, document.companyId, document.paymentTermsCode);
  const fiscalYear = Number(document.issueDate.slice(0, 4));
  const number = await nextDocumentNumber(trx, {
    companyId: document.companyId,
    series: document.kind === 'invoice' ? 'INV' : 'CN',
    fiscalYear,
  });

  const invoice = await trx
    .insertInto('invoice')
    .values({
      company_id: document.companyId,
      kind: document.kind,
      series: document.kind === 'invoice' ? 'INV' : 'CN',
      fiscal_year: fiscalYear,
      sequence_number: number.sequenceNumber,
      invoice_number: number.documentNumber,
      customer_id: document.customerId,
      order_id: document.orderId,
      shipment_id: document.shipmentId,
      corrected_invoice_id: document.correctedInvoiceId,
      reason: document.reason,
      currency: document.currency,
      issue_date: document.issueDate,
      // A credit note is due at once: it is settled against the invoice it corrects.
      due_date: document.kind === 'invoice' ? dueDate(document.issueDate, terms) : document.issueDate,
      payment_terms_code: document.paymentTermsCode,
      discount_deadline: document.kind === 'invoice' ? discountDeadline(document.issueDate, terms) : null,
      net_minor: totals.netMinor,
      tax_minor: totals.taxMinor,
      gross_minor: totals.grossMinor,
      open_minor: totals.grossMinor,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  await trx
    .insertInto('invoice_line')
    .values(
      document.lines.map((line, index) => ({
        company_id: document.companyId,
        invoice_id: invoice.id,
        line_number: index + 1,
        order_line_id: line.orderLineId,
        shipment_line_id: line.shipmentLineId,
        corrected_line_id: line.correctedLineId,
        product_id: line.productId,
        sku: line.sku,
        description: line.description,
        unit_code: line.unitCode,
        quantity: line.quantity.toString(),
        unit_price: line.unitPrice.toString(),
        discount_percent: line.discountPercent.toString(),
        line_net_minor: totals.lineNetMinor[index]!,
        vat_category_code: line.vatCategoryCode,
        tax_rate_percent: line.ratePercent.toString(),
      })),
    )
    .execute();

  if (totals.breakdown.length > 0) {
    await trx
      .insertInto('invoice_tax')
      .values(
        totals.breakdown.map((row) => ({
          invoice_id: invoice.id,
          company_id: document.companyId,
          vat_category_code: row.vatCategoryCode,
          rate_percent: row.ratePercent.toString(),
          taxable_minor: row.taxableMinor,
          tax_minor: row.taxMinor,
        })),
      )
      .execute();
  }

  const isInvoice = document.kind === 'invoice';
  await postLedgerEntry(trx, {
    companyId: document.companyId,
    entryDate: document.issueDate,
    sourceType: document.kind,
    sourceId: invoice.id,
    currency: document.currency,
    description: `${isInvoice ? 'Invoice' : 'Credit note'} ${number.documentNumber}`,
    lines: isInvoice
      ? [
          { account: 'accounts_receivable', customerId: document.customerId, debitMinor: totals.grossMinor },
          { account: 'sales_revenue', creditMinor: totals.netMinor },
          { account: 'output_tax', creditMinor: totals.taxMinor },
        ]
      : [
          { account: 'sales_returns', debitMinor: totals.netMinor },
          { account: 'output_tax', debitMinor: totals.taxMinor },
          { account: 'accounts_receivable', customerId: document.customerId, creditMinor: totals.grossMinor },
        ],
  });

  await appendHistory(trx, {
    companyId: document.companyId,
    entityType: 'invoice',
    entityId: invoice.id,
    orderId: document.orderId,
    event: document.kind === 'invoice' ? 'invoiced' : 'credit_note_issued',
    toStatus: 'open',
    actor: document.actor,
    reason: document.reason,
    details: {
      invoiceNumber: number.documentNumber,
      gross: formatMinorUnits(totals.grossMinor, document.currency),
      net: formatMinorUnits(totals.netMinor, document.currency),
      tax: formatMinorUnits(totals.taxMinor, document.currency),
      currency: document.currency,
    },
    occurredAt: document.at,
  });

  return { id: invoice.id, invoiceNumber: number.documentNumber, grossMinor: totals.grossMinor };
}
