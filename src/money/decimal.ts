import { Decimal } from 'decimal.js';

/**
 * The one decimal type for prices, quantities and rates. Precision 40 keeps
 * quantity × price exact for any value the database columns can hold, and
 * ROUND_HALF_UP (away from zero on .5) is the commercial rounding used on
 * invoices.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;

const DECIMAL_PATTERN = /^-?\d+(\.\d+)?$/;

/**
 * Parses a decimal string such as "12.50". Rejects numbers, exponents and
 * blanks, because a binary float must never enter a money path.
 */
export function parseDecimal(text: string, field: string): Dec {
  const trimmed = text.trim();
  if (!DECIMAL_PATTERN.test(trimmed)) {
    throw new RangeError(`Invalid decimal for ${field}: "${text}" (expected digits with an optional "." fraction, for example "12.50")`);
  }
  return new Dec(trimmed);
}

export function isDecimalString(text: string): boolean {
  return DECIMAL_PATTERN.test(text.trim());
}
