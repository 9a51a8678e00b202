import { z } from 'zod';

import { CALENDAR_DATE, DECIMAL_STRING } from '../platform/validation.js';
import { parseCalendarDate } from './calendar-date.js';
import { isCountryCode } from './country-codes.js';

/**
 * Zod schemas for fields that several master data requests share. Messages
 * start with "must" because validateInput puts the field's JSON pointer
 * in front of them.
 */

/** A business key such as a customer code, SKU or warehouse code, with surrounding blanks trimmed. */
export const businessCode = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters');

export const countryCode = z
  .string()
  .refine(isCountryCode, 'must be an ISO 3166-1 alpha-2 country code in upper case, such as "DE"');

/** An ISO 4217 code, checked for its format only. Commands reject a well-formed but unknown code as `unknown_currency`. */
export const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code in upper case, such as "EUR"');

export const calendarDate = z
  .string()
  .regex(CALENDAR_DATE, 'must be a date as YYYY-MM-DD')
  .refine((text) => !CALENDAR_DATE.test(text) || isExistingCalendarDate(text), 'must be an existing calendar date, such as "2024-02-29"');

/**
 * Returns a schema for a decimal string of 0 or more that fits a PostgreSQL
 * numeric(precision, scale) column. PostgreSQL rounds extra fraction digits
 * without an error, so the schema rejects them instead.
 */
export function numericString(precision: number, scale: number) {
  const maxIntegerDigits = precision - scale;
  return z
    .string()
    .regex(DECIMAL_STRING, 'must be a decimal string of 0 or more with "." as the decimal point, such as "12.50"')
    // zod runs these refinements after a failed regex too, so they skip
    // non-decimals to report one problem per field.
    .refine((text) => !DECIMAL_STRING.test(text) || fractionDigits(text) <= scale, `must have at most ${scale} decimal places`)
    .refine(
      (text) => !DECIMAL_STRING.test(text) || integerDigits(text) <= maxIntegerDigits,
      `must have at most ${maxIntegerDigits} digits before the decimal point`,
    );
}

/** A quantity above zero that fits numeric(18, 6), as every quantity column does. */
export const positiveQuantity = numericString(18, 6).refine((text) => /[1-9]/.test(text), 'must be greater than zero');

/**
 * A stock change that fits numeric(18, 6): positive, or negative with a
 * leading "-" for an adjustment that lowers stock.
 */
export const signedQuantity = z
  .string()
  .regex(/^-?\d{1,12}(\.\d{1,6})?$/, 'must be a decimal string with at most 12 digits before and 6 after the point, such as "12" or "-3"');

/** Tells whether no line number appears twice in a list of line requests. */
export function hasDistinctLineNumbers(lines: readonly { lineNumber: number }[]): boolean {
  return new Set(lines.map((line) => line.lineNumber)).size === lines.length;
}

/** Returns the number of digits after the decimal point of a decimal string. */
export function fractionDigits(text: string): number {
  const point = text.indexOf('.');
  return point === -1 ? 0 : text.length - point - 1;
}

function integerDigits(text: string): number {
  const integerPart = text.split('.')[0] ?? '';
  return integerPart.replace(/^0+/, '').length;
}

/**
 * Tells whether `text` is an existing date as YYYY-MM-DD. Object-level
 * refinements call it because zod runs them even when a field check failed.
 */
export function isExistingCalendarDate(text: string): boolean {
  try {
    parseCalendarDate(text, 'date');
    return true;
  } catch {
    return false;
  }
}
