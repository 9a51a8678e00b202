import { toMinorUnits, type CurrencyCode, type Dec } from '../../money/index.js';

export interface LineAmountInput {
  quantity: Dec;
  unitPrice: Dec;
  /** Line discount in percent, from 0 to 100. */
  discountPercent: Dec;
  currency: CurrencyCode;
}

/**
 * Computes an order line's net amount in minor units: quantity × unit price ×
 * (1 − discount / 100). The product is exact, and it is rounded once, here,
 * because rounding the discounted unit price first would multiply its rounding
 * error by the quantity. Tax is computed later from these rounded nets.
 */
export function computeLineAmount(input: LineAmountInput): bigint {
  const { quantity, unitPrice, discountPercent, currency } = input;
  if (!quantity.isFinite() || quantity.lessThan(0)) {
    throw new RangeError(`Invalid quantity ${quantity.toString()}: expected 0 or more`);
  }
  if (!unitPrice.isFinite()) {
    throw new RangeError(`Invalid unit price ${unitPrice.toString()}: expected a finite decimal`);
  }
  if (!discountPercent.isFinite() || discountPercent.lessThan(0) || discountPercent.greaterThan(100)) {
    throw new RangeError(`Invalid discount ${discountPercent.toString()} %: expected 0 to 100`);
  }

  const remainingShare = discountPercent.dividedBy(100).negated().plus(1);
  return toMinorUnits(quantity.times(unitPrice).times(remainingShare), currency);
}

/** Compares unit prices by value, so "18" matches "18.00" from a customer's purchase order. */
export function unitPricesMatch(expected: Dec, actual: Dec): boolean {
  return expected.equals(actual);
}
