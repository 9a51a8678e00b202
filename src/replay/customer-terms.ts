import { Dec, minorUnitExponent, toMinorUnits } from '../money/index.js';
import { monthOf } from './dates.js';
import { PAYMENT_TERMS, type PaymentTermsCode, type ReplayOrder } from './model.js';
import { seededDraw } from './seeded-draw.js';

/** Seed of the draw that picks customers with a tight credit limit; fixed so every replay assigns the same limits. */
export const CREDIT_LIMIT_SEED = 'o2c-replay-credit-limit';

/** Share of customers, in percent, given a limit of one month's business instead of two. */
export const TIGHT_CREDIT_LIMIT_PERCENT = 10;

/** Share of customers with orders, in percent, given 2/10 NET30 terms: those with the highest order value. */
export const EARLY_DISCOUNT_TERMS_PERCENT = 20;

/** Credit limits are whole multiples of this many major currency units (1,000.00). */
const CREDIT_LIMIT_STEP_MAJOR = 1000n;

export interface CustomerTerms {
  paymentTermsCode: PaymentTermsCode;
  creditLimitMinor: bigint;
}

/** Net value of an order in minor units: each line's quantity × price less its discount, rounded once per line. */
export function orderNetMinor(order: ReplayOrder, currency: string): bigint {
  let total = 0n;
  for (const line of order.lines) {
    if (line.expectedUnitPrice === null) continue;
    const discountFactor = new Dec(100).minus(line.discountPercent).dividedBy(100);
    total += toMinorUnits(line.quantity.times(line.expectedUnitPrice).times(discountFactor), currency);
  }
  return total;
}

function roundUpToStep(amount: bigint, step: bigint): bigint {
  if (amount <= 0n) return step;
  return ((amount + step - 1n) / step) * step;
}

/**
 * Assigns payment terms and a credit limit to each customer code:
 * - the fifth of customers with the highest total order value (at least one)
 *   get 2/10 NET30, everyone else NET30;
 * - the credit limit is twice the customer's largest calendar-month order
 *   value, rounded up to a whole 1,000.00 and at least 1,000.00;
 * - about one customer in ten, chosen by a seeded draw on the customer code,
 *   gets one month's value rounded up the same way, so that orders go on
 *   credit hold while an earlier invoice is still open.
 */
export function assignCustomerTerms(
  customerCodes: readonly string[],
  orders: readonly ReplayOrder[],
  currency: string,
): Map<string, CustomerTerms> {
  const totals = new Map<string, bigint>();
  const monthTotals = new Map<string, Map<string, bigint>>();
  for (const order of orders) {
    const net = orderNetMinor(order, currency);
    totals.set(order.customerCode, (totals.get(order.customerCode) ?? 0n) + net);
    const months = monthTotals.get(order.customerCode) ?? new Map<string, bigint>();
    const month = monthOf(order.orderDate);
    months.set(month, (months.get(month) ?? 0n) + net);
    monthTotals.set(order.customerCode, months);
  }

  const ranked = customerCodes
    .filter((code) => totals.has(code))
    .sort((a, b) => {
      const difference = (totals.get(b) ?? 0n) - (totals.get(a) ?? 0n);
      if (difference === 0n) return a.localeCompare(b);
      return difference > 0n ? 1 : -1;
    });
  const discountCount = Math.ceil((ranked.length * EARLY_DISCOUNT_TERMS_PERCENT) / 100);
  const discountCustomers = new Set(ranked.slice(0, discountCount));

  const step = CREDIT_LIMIT_STEP_MAJOR * 10n ** BigInt(minorUnitExponent(currency));
  const result = new Map<string, CustomerTerms>();
  for (const code of customerCodes) {
    const largestMonth = [...(monthTotals.get(code)?.values() ?? [])].reduce((max, value) => (value > max ? value : max), 0n);
    const tight = seededDraw(`${CREDIT_LIMIT_SEED}:${code}`, 100) < TIGHT_CREDIT_LIMIT_PERCENT;
    result.set(code, {
      paymentTermsCode: discountCustomers.has(code) ? PAYMENT_TERMS.twoTenNet30 : PAYMENT_TERMS.net30,
      creditLimitMinor: roundUpToStep(tight ? largestMonth : 2n * largestMonth, step),
    });
  }
  return result;
}
