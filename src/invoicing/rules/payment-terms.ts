import { Dec, fromMinorUnits, toMinorUnits, type CurrencyCode } from '../../money/index.js';
import { addDays, compareDates } from '../../shared/calendar-date.js';

/** When an invoice is due, counted in calendar days from the issue date, and any early-payment discount. */
export interface PaymentTerms {
  code: string;
  description: string;
  netDays: number;
  /** Days from the issue date within which the discount applies, or null without a discount. */
  discountDays: number | null;
  /** Discount on the invoice gross in percent, or null without a discount. */
  discountPercent: Dec | null;
}

export const STANDARD_PAYMENT_TERMS: readonly PaymentTerms[] = [
  { code: 'DUE_ON_RECEIPT', description: 'Due on receipt', netDays: 0, discountDays: null, discountPercent: null },
  { code: 'NET15', description: 'Net 15 days', netDays: 15, discountDays: null, discountPercent: null },
  { code: 'NET30', description: 'Net 30 days', netDays: 30, discountDays: null, discountPercent: null },
  { code: 'NET45', description: 'Net 45 days', netDays: 45, discountDays: null, discountPercent: null },
  { code: 'NET60', description: 'Net 60 days', netDays: 60, discountDays: null, discountPercent: null },
  { code: 'NET90', description: 'Net 90 days', netDays: 90, discountDays: null, discountPercent: null },
  {
    code: '1/10 NET30',
    description: '1 % discount if paid within 10 days, otherwise net 30 days',
    netDays: 30,
    discountDays: 10,
    discountPercent: new Dec('1'),
  },
  {
    code: '2/10 NET30',
    description: '2 % discount if paid within 10 days, otherwise net 30 days',
    netDays: 30,
    discountDays: 10,
    discountPercent: new Dec('2'),
  },
];

export function findPaymentTerms(code: string): PaymentTerms | undefined {
  return STANDARD_PAYMENT_TERMS.find((terms) => terms.code === code);
}

/** Throws when terms are inconsistent. Terms come from configuration, so this is a setup error. */
export function validatePaymentTerms(terms: PaymentTerms): void {
  if (!Number.isSafeInteger(terms.netDays) || terms.netDays < 0) {
    throw new RangeError(`Invalid payment terms ${terms.code}: net days ${terms.netDays} (expected a whole number, 0 or more)`);
  }
  if ((terms.discountDays === null) !== (terms.discountPercent === null)) {
    throw new RangeError(`Invalid payment terms ${terms.code}: set both discount days and discount percent, or neither`);
  }
  if (terms.discountDays !== null) {
    if (!Number.isSafeInteger(terms.discountDays) || terms.discountDays < 0 || terms.discountDays > terms.netDays) {
      throw new RangeError(
        `Invalid payment terms ${terms.code}: discount days ${terms.discountDays} (expected a whole number from 0 to the ${terms.netDays} net days)`,
      );
    }
  }
  const percent = terms.discountPercent;
  if (percent !== null && (!percent.isFinite() || !percent.greaterThan(0) || !percent.lessThan(100))) {
    throw new RangeError(`Invalid payment terms ${terms.code}: discount ${percent.toString()} % (expected more than 0 and less than 100)`);
  }
}

export function dueDate(issueDate: string, terms: PaymentTerms): string {
  validatePaymentTerms(terms);
  return addDays(issueDate, terms.netDays);
}

/** Returns the last day on which the early-payment discount applies, or null when the terms have none. */
export function discountDeadline(issueDate: string, terms: PaymentTerms): string | null {
  validatePaymentTerms(terms);
  return terms.discountDays === null ? null : addDays(issueDate, terms.discountDays);
}

export interface EarlyPaymentDiscountInput {
  /** Amount still open on the invoice before this payment. */
  openMinor: bigint;
  grossMinor: bigint;
  terms: PaymentTerms;
  issueDate: string;
  paymentDate: string;
  currency: CurrencyCode;
}

/**
 * Computes the early-payment discount a payment may take, in minor units.
 * The discount is a percentage of the invoice gross, rounded once, when the
 * payment date is on or before the deadline. It is capped at the open amount,
 * so that after earlier part payments the discount cannot take the invoice
 * below zero. Credit notes and invoices with nothing open get no discount.
 */
export function earlyPaymentDiscount(input: EarlyPaymentDiscountInput): bigint {
  const { openMinor, grossMinor, terms, issueDate, paymentDate, currency } = input;
  const deadline = discountDeadline(issueDate, terms);
  if (deadline === null || terms.discountPercent === null) return 0n;
  if (grossMinor <= 0n || openMinor <= 0n) return 0n;
  if (compareDates(paymentDate, deadline) > 0) return 0n;

  const discount = fromMinorUnits(grossMinor, currency).times(terms.discountPercent).dividedBy(100);
  const discountMinor = toMinorUnits(discount, currency);
  return discountMinor < openMinor ? discountMinor : openMinor;
}
