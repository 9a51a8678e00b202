import { Dec, minorUnitExponent, toMinorUnits } from '../money/index.js';
import { reject, type Result } from '../platform/rejection.js';
import { fractionDigits } from '../shared/field-schemas.js';

/** Largest value of a PostgreSQL bigint, the type of customer.credit_limit_minor. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/**
 * Converts a credit limit in major units (a decimal string such as "5000.00")
 * to minor units of `currency`. A limit with more decimal places than the
 * currency has is rejected rather than rounded, because a rounded limit is
 * not the one the credit manager approved.
 */
export function creditLimitToMinorUnits(creditLimit: string, currency: string, pointer = '/creditLimit'): Result<bigint> {
  const exponent = minorUnitExponent(currency);
  if (fractionDigits(creditLimit) > exponent) {
    return reject(
      'validation_failed',
      `Invalid request: ${pointer}: credit limit ${creditLimit} has more than the ${exponent} decimal places that ${currency} allows.`,
      { errors: [{ pointer, message: `must have at most ${exponent} decimal places for ${currency}` }] },
      pointer,
    );
  }

  const minor = toMinorUnits(new Dec(creditLimit), currency);
  if (minor > MAX_BIGINT) {
    return reject(
      'validation_failed',
      `Invalid request: ${pointer}: credit limit ${creditLimit} ${currency} is too large to store.`,
      { errors: [{ pointer, message: `must be less than ${MAX_BIGINT} minor units of ${currency}` }] },
      pointer,
    );
  }
  return { ok: true, value: minor };
}
