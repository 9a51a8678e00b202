import { parseDecimal, toMinorUnits, minorUnitExponent } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import { applyToInvoice, discountFor, loadOpenInvoices } from './apply-to-invoice.js';

export interface PaymentToApply {
  companyId: string;
  id: string;
  paymentNumber: string;
  customerId: string;
  currency: string;
  unappliedMinor: bigint;
  receivedOn: string;
  actor: string;
  at: Date;
}

export interface ApplicationRequest {
  invoiceNumber: string;
  /** Cash applied, in major units as a decimal string. */
  amount: string;
}

/**
 * Applies cash to the named invoices. An application that settles an
 * invoice within its discount period gets the early-payment discount.
 */
export async function applyToNamedInvoices(trx: Tx, payment: PaymentToApply, requests: readonly ApplicationRequest[]): Promise<void> {
  const open = await loadOpenInvoices(trx, payment.customerId);
  for (const [index, request] of requests.entries()) {
    const invoice = open.find((candidate) => candidate.invoice_number === request.invoiceNumber);
    if (!invoice) {
      rejectAndRollBack(
        'invoice_not_open',
        `Invoice ${request.invoiceNumber} is not an open invoice of this customer; check the number or the customer.`,
        { invoiceNumber: request.invoiceNumber },
        `/applications/${index}/invoiceNumber`,
      );
    }
    const amountMinor = amountToMinor(request.amount, payment.currency, `/applications/${index}/amount`);
    const discount = await discountFor(trx, payment.companyId, invoice, payment.receivedOn);
    const discountMinor = discount > 0n && amountMinor + discount === invoice.open_minor ? discount : 0n;

    await applyToInvoice(trx, {
      companyId: payment.companyId,
      paymentId: payment.id,
      paymentNumber: payment.paymentNumber,
      invoice,
      amountMinor,
      discountMinor,
      appliedOn: payment.receivedOn,
      actor: payment.actor,
      at: payment.at,
    });
  }
}

/**
 * Applies the unapplied cash to open invoices, oldest due date first. An
 * invoice is settled in full, with any early-payment discount it earns,
 * while cash lasts. The last one may be paid in part, and the rest stays on
 * account.
 */
export async function applyOldestFirst(trx: Tx, payment: PaymentToApply): Promise<void> {
  let unapplied = payment.unappliedMinor;
  for (const invoice of await loadOpenInvoices(trx, payment.customerId)) {
    if (unapplied <= 0n) break;
    if (invoice.currency !== payment.currency) continue;

    const discount = await discountFor(trx, payment.companyId, invoice, payment.receivedOn);
    const settleWithDiscount = invoice.open_minor - discount;
    const amountMinor = unapplied >= settleWithDiscount ? settleWithDiscount : unapplied;
    const discountMinor = unapplied >= settleWithDiscount ? discount : 0n;
    if (amountMinor + discountMinor <= 0n) continue;

    await applyToInvoice(trx, {
      companyId: payment.companyId,
      paymentId: payment.id,
      paymentNumber: payment.paymentNumber,
      invoice,
      amountMinor,
      discountMinor,
      appliedOn: payment.receivedOn,
      actor: payment.actor,
      at: payment.at,
    });
    unapplied -= amountMinor;
  }
}

/** Converts a decimal amount to minor units, rejecting more decimals than the currency has. */
export function amountToMinor(text: string, currency: string, pointer: string): bigint {
  let amount;
  try {
    amount = parseDecimal(text, pointer);
  } catch {
    rejectAndRollBack('validation_failed', `Invalid amount "${text}": send a decimal string such as "125.40".`, { amount: text }, pointer);
  }
  const exponent = minorUnitExponent(currency);
  if (amount.decimalPlaces() > exponent) {
    rejectAndRollBack(
      'validation_failed',
      `Amount "${text}" has more decimals than ${currency} allows (${exponent}).`,
      { amount: text, currency, decimals: exponent },
      pointer,
    );
  }
  return toMinorUnits(amount, currency);
}
