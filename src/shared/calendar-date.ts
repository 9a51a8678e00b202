/**
 * Calendar dates as 'YYYY-MM-DD' strings. Business dates (order, due, promise
 * and payment dates) have no time of day and no timezone. They are computed
 * with integer day numbers because a Date object carries a time and can shift
 * the date across midnight in a process that is not on UTC.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_YEAR = 1;
const MAX_YEAR = 9999;

/** Parses and validates a 'YYYY-MM-DD' date, rejecting dates that do not exist such as '2021-02-30'. */
export function parseCalendarDate(text: string, field: string): string {
  if (splitRealDate(text) === null) {
    throw new RangeError(
      `Invalid date for ${field}: "${text}" (expected an existing calendar date as YYYY-MM-DD, for example "2024-02-29")`,
    );
  }
  return text;
}

/** Returns the date `days` calendar days after `date`. A negative count goes back. */
export function addDays(date: string, days: number): string {
  if (!Number.isSafeInteger(days)) {
    throw new RangeError(`Invalid day count: ${days} (expected a whole number of days)`);
  }
  return fromDayNumber(toDayNumber(date) + days);
}

/** Returns the number of days from `from` to `to`, which is positive when `to` is later. */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

export function compareDates(a: string, b: string): -1 | 0 | 1 {
  const difference = toDayNumber(a) - toDayNumber(b);
  if (difference < 0) return -1;
  if (difference > 0) return 1;
  return 0;
}

/** Returns the UTC calendar date of an instant, for example a clock reading. */
export function toCalendarDate(instant: Date): string {
  if (Number.isNaN(instant.getTime())) {
    throw new RangeError('Invalid instant: the Date is not a valid time');
  }
  return formatDate(instant.getUTCFullYear(), instant.getUTCMonth() + 1, instant.getUTCDate());
}

function splitRealDate(text: string): { year: number; month: number; day: number } | null {
  const match = DATE_PATTERN.exec(text);
  if (match === null) return null;

  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < MIN_YEAR || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return null;
  }
  return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Converts a date to days since 1970-01-01 in the proleptic Gregorian
 * calendar. This is the days-from-civil algorithm: it counts in 400-year eras
 * of 146097 days and starts each year in March, so the leap day comes last.
 */
function toDayNumber(date: string): number {
  const parts = splitRealDate(date);
  if (parts === null) {
    throw new RangeError(`Invalid date: "${date}" (expected an existing calendar date as YYYY-MM-DD)`);
  }

  const year = parts.month <= 2 ? parts.year - 1 : parts.year;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const monthFromMarch = (parts.month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + parts.day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of toDayNumber. */
function fromDayNumber(dayNumber: number): string {
  const shifted = dayNumber + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return formatDate(year, month, day);
}

function formatDate(year: number, month: number, day: number): string {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`Date out of range: year ${year} (expected a year from ${MIN_YEAR} to ${MAX_YEAR})`);
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
