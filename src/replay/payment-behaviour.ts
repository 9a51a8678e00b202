import { addDays } from './dates.js';
import { seededDraw, seededDraws } from './seeded-draw.js';

/** Payment habit of a customer, the same for all its invoices in a replay. */
export type PaymentProfile = 'on_terms' | 'early_discount' | 'late' | 'partial' | 'never';

/**
 * Share of customers per profile, in per mille; the shares sum to 1,000.
 * Customers drawn as early payers whose terms offer no discount pay on terms.
 */
export const PAYMENT_PROFILE_SHARES: ReadonlyArray<readonly [PaymentProfile, number]> = [
  ['on_terms', 650],
  ['early_discount', 100],
  ['late', 150],
  ['partial', 70],
  ['never', 30],
];

/** Days before the due date within which an on-terms payment arrives (0 to 5). */
const ON_TERMS_DAYS_BEFORE_DUE = 5;
/** Days before the discount deadline within which an early payment arrives (0 to 3). */
const EARLY_DAYS_BEFORE_DEADLINE = 3;
const LATE_MIN_DAYS = 5;
const LATE_MAX_DAYS = 75;
/** Share of the invoice a partial payer pays by the due date, in percent: one of 30, 40, 50, 60, 70. */
const PARTIAL_FIRST_SHARES_PERCENT = [30n, 40n, 50n, 60n, 70n] as const;
const PARTIAL_REST_MIN_DAYS = 15;
const PARTIAL_REST_MAX_DAYS = 60;

export interface AssignPaymentProfileOptions {
  /** False when the customer's terms have no early-payment discount; an early payer then pays on terms. Defaults to true. */
  earlyDiscountOffered?: boolean;
}

/**
 * Assigns a customer's payment profile from a draw seeded with `seed` and
 * the customer code alone, so it is the same on every run and does not
 * depend on the order in which customers are seen.
 */
export function assignPaymentProfile(customerCode: string, seed: string, options: AssignPaymentProfileOptions = {}): PaymentProfile {
  const draw = seededDraw(`${seed}:profile:${customerCode}`, 1000);
  let threshold = 0;
  for (const [profile, share] of PAYMENT_PROFILE_SHARES) {
    threshold += share;
    if (draw < threshold) {
      return profile === 'early_discount' && options.earlyDiscountOffered === false ? 'on_terms' : profile;
    }
  }
  throw new Error(`Payment profile shares sum to ${threshold}, not 1000`);
}

export interface PaymentPlanInput {
  profile: PaymentProfile;
  customerCode: string;
  invoiceNumber: string;
  issueDate: string;
  dueDate: string;
  /** Last day of the early-payment discount, or null when the terms have none. */
  discountDeadline: string | null;
  /** Invoice gross in minor units. */
  grossMinor: bigint;
  seed: string;
}

export interface PlannedPayment {
  date: string;
  amountMinor: bigint;
}

function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}

/**
 * Plans the payments a customer makes for one invoice. The plan depends only
 * on its inputs, and its amounts are positive and never sum to more than
 * `grossMinor`. No payment is dated before the issue date.
 *
 * - on_terms: the gross, 0 to 5 days before the due date.
 * - early_discount: the gross, 0 to 3 days before the discount deadline; the
 *   driver deducts the discount when it applies the payment. Without a
 *   deadline the customer pays on terms.
 * - late: the gross, 5 to 75 days after the due date.
 * - partial: 30 to 70 % of the gross by the due date. For half of the
 *   invoices the rest follows 15 to 60 days after it, and otherwise it stays open.
 * - never: nothing.
 */
export function planPayments(input: PaymentPlanInput): PlannedPayment[] {
  const { issueDate, dueDate, grossMinor } = input;
  if (dueDate < issueDate) throw new RangeError(`Due date ${dueDate} is before issue date ${issueDate} on invoice ${input.invoiceNumber}`);
  if (input.discountDeadline !== null && input.discountDeadline < issueDate) {
    throw new RangeError(`Discount deadline ${input.discountDeadline} is before issue date ${issueDate} on invoice ${input.invoiceNumber}`);
  }
  if (grossMinor <= 0n) return [];

  const [timing = 0, share = 0, restPaid = 0, restTiming = 0] = seededDraws(`${input.seed}:payment:${input.customerCode}:${input.invoiceNumber}`, 1000, 4);
  const onTermsDate = laterOf(issueDate, addDays(dueDate, -(timing % (ON_TERMS_DAYS_BEFORE_DUE + 1))));

  switch (input.profile) {
    case 'on_terms':
      return [{ date: onTermsDate, amountMinor: grossMinor }];
    case 'early_discount': {
      if (input.discountDeadline === null) return [{ date: onTermsDate, amountMinor: grossMinor }];
      const date = laterOf(issueDate, addDays(input.discountDeadline, -(timing % (EARLY_DAYS_BEFORE_DEADLINE + 1))));
      return [{ date, amountMinor: grossMinor }];
    }
    case 'late': {
      const delay = LATE_MIN_DAYS + (timing % (LATE_MAX_DAYS - LATE_MIN_DAYS + 1));
      return [{ date: addDays(dueDate, delay), amountMinor: grossMinor }];
    }
    case 'partial': {
      const percent = PARTIAL_FIRST_SHARES_PERCENT[share % PARTIAL_FIRST_SHARES_PERCENT.length] ?? 50n;
      const first = (grossMinor * percent) / 100n;
      const rest = grossMinor - first;
      const payments: PlannedPayment[] = [];
      if (first > 0n) payments.push({ date: onTermsDate, amountMinor: first });
      if (restPaid % 2 === 0 && rest > 0n) {
        const delay = PARTIAL_REST_MIN_DAYS + (restTiming % (PARTIAL_REST_MAX_DAYS - PARTIAL_REST_MIN_DAYS + 1));
        payments.push({ date: addDays(dueDate, delay), amountMinor: rest });
      }
      return payments;
    }
    case 'never':
      return [];
  }
}
