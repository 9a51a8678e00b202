import { minorUnitExponent, type CurrencyCode } from './currency.js';
import { Dec } from './decimal.js';

/**
 * Rounds a decimal amount to the currency's minor unit, once, half away from
 * zero, and returns it as integer minor units (cents for EUR, yen for JPY).
 */
export function toMinorUnits(amount: Dec, currency: CurrencyCode): bigint {
  const exponent = minorUnitExponent(currency);
  const scaled = amount.times(new Dec(10).pow(exponent)).toDecimalPlaces(0, Dec.ROUND_HALF_UP);
  return BigInt(scaled.toFixed(0));
}

/** Converts integer minor units back to an exact decimal in major units. */
export function fromMinorUnits(minor: bigint, currency: CurrencyCode): Dec {
  const exponent = minorUnitExponent(currency);
  return new Dec(minor.toString()).dividedBy(new Dec(10).pow(exponent));
}

/** Formats minor units as a decimal string with the currency's exponent: 1234n EUR → "12.34". */
export function formatMinorUnits(minor: bigint, currency: CurrencyCode): string {
  return fromMinorUnits(minor, currency).toFixed(minorUnitExponent(currency));
}

/**
 * Splits `total` over parts in proportion to `weights` by largest remainder,
 * so the parts always sum to `total` exactly. Ties go to the earlier part.
 * Negative totals are split as the mirror of the positive case.
 */
export function allocateByLargestRemainder(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) {
    if (total !== 0n) throw new RangeError(`Cannot allocate ${total} over zero parts`);
    return [];
  }
  if (weights.some((weight) => weight < 0n)) {
    throw new RangeError(`Allocation weights must not be negative: ${weights.join(', ')}`);
  }
  if (total < 0n) {
    return allocateByLargestRemainder(-total, weights).map((part) => -part);
  }

  const weightSum = weights.reduce((sum, weight) => sum + weight, 0n);
  if (weightSum === 0n) {
    // With no weights to go by, spread evenly.
    return allocateByLargestRemainder(total, weights.map(() => 1n));
  }

  const parts = weights.map((weight) => (total * weight) / weightSum);
  const remainders = weights.map((weight, index) => ({ index, remainder: (total * weight) % weightSum }));
  let leftover = total - parts.reduce((sum, part) => sum + part, 0n);

  remainders.sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    return a.index - b.index;
  });
  for (const { index } of remainders) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts;
}
