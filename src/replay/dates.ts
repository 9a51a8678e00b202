/** Parsers for the source files' date formats, and 'YYYY-MM-DD' helpers computed in UTC so no local time zone leaks in. */

export { addDays, daysBetween } from '../shared/calendar-date.js';

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

function utcMidnight(date: string): number {
  const match = ISO_DATE_PATTERN.exec(date);
  if (match === null) throw new RangeError(`Invalid date "${date}": expected YYYY-MM-DD`);
  const [, year, month, day] = match;
  return Date.UTC(Number(year), Number(month) - 1, Number(day));
}

/** Returns whether year, month and day form a real calendar date (no 1997-02-30). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCFullYear() === year && probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day;
}

export function isoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Returns 'YYYY-MM' of a date, the key for calendar-month totals. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

const NORTHWIND_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,3})?)?$/;

/**
 * Parses a Northwind date such as '1996-07-04 00:00:00.000' or '1996-07-04'
 * and returns the calendar date, or null when the text is not a real date.
 * The time of day is validated but dropped, because Northwind records none.
 */
export function parseNorthwindDate(text: string): string | null {
  const match = NORTHWIND_DATE_PATTERN.exec(text.trim());
  if (match === null) return null;
  const [, year, month, day, hour, minute, second] = match;
  if (!isCalendarDate(Number(year), Number(month), Number(day))) return null;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59)) return null;
  return isoDate(Number(year), Number(month), Number(day));
}

export interface LocalDateTime {
  date: string;
  hour: number;
  minute: number;
}

const US_DATE_TIME_PATTERN = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2})$/;

/** Parses 'M/D/YYYY H:MM' (the Online Retail InvoiceDate), or returns null when it is not a real date and time. */
export function parseUsDateTime(text: string): LocalDateTime | null {
  const match = US_DATE_TIME_PATTERN.exec(text.trim());
  if (match === null) return null;
  const [, month, day, year, hour, minute] = match.map(Number);
  if (year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined) return null;
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59) return null;
  return { date: isoDate(year, month, day), hour, minute };
}

const londonParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** Offset of London time from UTC at an instant, in milliseconds (0 in winter, one hour in summer). */
function londonOffset(instant: number): number {
  const parts = Object.fromEntries(londonParts.formatToParts(new Date(instant)).map((part) => [part.type, part.value]));
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return asUtc - Math.floor(instant / 60_000) * 60_000;
}

/**
 * Converts a wall-clock time in London to an ISO 8601 UTC instant. A time in
 * the hour skipped when summer time starts, or in the hour repeated when it
 * ends, is read as winter time (GMT).
 */
export function londonTimeToUtcInstant(local: LocalDateTime): string {
  const wallClockAsUtc = utcMidnight(local.date) + (local.hour * 60 + local.minute) * 60_000;
  const firstGuess = wallClockAsUtc - londonOffset(wallClockAsUtc);
  const instant = wallClockAsUtc - londonOffset(firstGuess);
  return `${new Date(instant).toISOString().slice(0, 16)}:00Z`;
}
