import { sql, type Kysely } from 'kysely';

import { formatMinorUnits } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';
import type { DB } from '../../platform/schema.js';
import { postLedgerEntry } from '../../ledger/store/post-entry.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import { earlyPaymentDiscount } from '../../invoicing/rules/payment-terms.js';
import { loadPaymentTerms } from '../../invoicing/store/payment-terms-store.js';

export interface OpenInvoice {
  id: string;
  customer_id: string;
  invoice_number: string;
  order_id: string;
  gross_minor: bigint;
  open_minor: bigint;
  issue_date: string;
  due_date: string;
  payment_terms_code: string;
  currency: string;
}

/** Open invoices of a customer, oldest due first: the order cash is applied in. */
export async function loadOpenInvoices(trx: Tx, customerId: string): Promise<OpenInvoice[]> {
  return trx
    .selectFrom('invoice')
    .select(['id', 'customer_id', 'invoice_number', 'order_id', 'gross_minor', 'open_minor', 'issue_date', 'due_date', 'payment_terms_code', 'currency'])
    .where('customer_id', '=', customerId)
    .where('kind', '=', 'invoice')
    .where('open_minor', '>', 0n)
    .orderBy('due_date')
    .orderBy('invoice_number')
    .execute();
}

/**
 * Returns the early-payment discount a payment on `paymentDate` earns when it
 * settles the whole open amount, or 0 when the terms have none or the
 * deadline passed. The discount is on the invoice less what credit notes
 * took off it, since the customer owes only that.
 */
export async function discountFor(db: Kysely<DB>, companyId: string, invoice: OpenInvoice, paymentDate: string): Promise<bigint> {
  const terms = await loadPaymentTerms(db, companyId, invoice.payment_terms_code);
  const credited = await db
    .selectFrom('application')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<bigint>('amount_minor'), eb.val(0n)).as('total'))
    .where('invoice_id', '=', invoice.id)
    .where('credit_note_id', 'is not', null)
    .executeTakeFirstOrThrow();
  return earlyPaymentDiscount({
    openMinor: invoice.open_minor,
    grossMinor: invoice.gross_minor - BigInt(credited.total),
    terms,
    issueDate: invoice.issue_date,
    paymentDate,
    currency: invoice.currency,
  });
}

/**
 * Applies part of a payment to one invoice. Both counters move by
 * conditional UPDATEs, so neither the invoice's open amount nor the
 * payment's unapplied amount can go below zero, whatever runs concurrently.
 */
export async function applyToInvoice(
  trx: Tx,
  application: {
    companyId: string;
    paymentId: string;
    paymentNumber: string;
    invoice: OpenInvoice;
    amountMinor: bigint;
    discountMinor: bigint;
    appliedOn: string;
    actor: string;
    at: Date;
  },
): Promise<void> {
  const settles = application.amountMinor + application.discountMinor;
  const invoice = await sql<{ open_minor: bigint }>`
    UPDATE invoice SET open_minor = open_minor - ${settles}
    WHERE id = ${application.invoice.id} AND open_minor >= ${settles}
    RETURNING open_minor
  `.execute(trx);
  if (invoice.rows.length === 0) {
    rejectAndRollBack(
      'over_application',
      `Invoice ${application.invoice.invoice_number} has less open than ${formatMinorUnits(settles, application.invoice.currency)} ${application.invoice.currency}; apply at most its open amount.`,
      {
        invoiceNumber: application.invoice.invoice_number,
        currency: application.invoice.currency,
        requested: formatMinorUnits(settles, application.invoice.currency),
        open: formatMinorUnits(application.invoice.open_minor, application.invoice.currency),
      },
    );
  }

  const payment = await sql`
    UPDATE payment SET unapplied_minor = unapplied_minor - ${application.amountMinor}
    WHERE id = ${application.paymentId} AND unapplied_minor >= ${application.amountMinor}
  `.execute(trx);
  if (payment.numAffectedRows !== 1n) {
    const left = await trx.selectFrom('payment').select('unapplied_minor').where('id', '=', application.paymentId).executeTakeFirstOrThrow();
    const currency = application.invoice.currency;
    rejectAndRollBack(
      'over_application',
      `The payment has ${formatMinorUnits(left.unapplied_minor, currency)} ${currency} left to apply, less than the ${formatMinorUnits(application.amountMinor, currency)} requested for invoice ${application.invoice.invoice_number}; apply at most what is left.`,
      {
        invoiceNumber: application.invoice.invoice_number,
        currency,
        requested: formatMinorUnits(application.amountMinor, currency),
        unapplied: formatMinorUnits(left.unapplied_minor, currency),
      },
    );
  }

  await trx
    .insertInto('application')
    .values({
      company_id: application.companyId,
      invoice_id: application.invoice.id,
      payment_id: application.paymentId,
      credit_note_id: null,
      amount_minor: application.amountMinor,
      discount_minor: application.discountMinor,
      applied_on: application.appliedOn,
      actor: application.actor,
    })
    .execute();

  if (application.discountMinor > 0n) {
    await postLedgerEntry(trx, {
      companyId: application.companyId,
      entryDate: application.appliedOn,
      sourceType: 'discount',
      sourceId: application.invoice.id,
      currency: application.invoice.currency,
      description: `Early-payment discount on ${application.invoice.invoice_number}`,
      lines: [
        { account: 'sales_discounts', debitMinor: application.discountMinor },
        { account: 'accounts_receivable', customerId: application.invoice.customer_id, creditMinor: application.discountMinor },
      ],
    });
  }

  const openAfter = BigInt(invoice.rows[0]!.open_minor);
  await appendHistory(trx, {
    companyId: application.companyId,
    entityType: 'invoice',
    entityId: application.invoice.id,
    orderId: application.invoice.order_id,
    event: openAfter === 0n ? 'paid' : 'partially_paid',
    fromStatus: application.invoice.open_minor === application.invoice.gross_minor ? 'open' : 'partially_paid',
    toStatus: openAfter === 0n ? 'paid' : 'partially_paid',
    actor: application.actor,
    details: {
      paymentNumber: application.paymentNumber,
      amount: formatMinorUnits(application.amountMinor, application.invoice.currency),
      discount: formatMinorUnits(application.discountMinor, application.invoice.currency),
      openAfter: formatMinorUnits(openAfter, application.invoice.currency),
      currency: application.invoice.currency,
    },
    occurredAt: application.at,
  });
  application.invoice.open_minor = openAfter;
}
