import { describe, it, expect } from 'vitest';
import { addDays, compareDates, daysBetween, parseCalendarDate, toCalendarDate } from './calendar-date.js';

describe('parseCalendarDate', () => {
  it('accepts existing dates', () => {
    expect(parseCalendarDate('2024-01-31', 'orderDate')).toBe('2024-01-31');
    expect(parseCalendarDate('2024-02-29', 'orderDate')).toBe('2024-02-29');
    expect(parseCalendarDate('2000-02-29', 'orderDate')).toBe('2000-02-29');
    expect(parseCalendarDate('0001-01-01', 'orderDate')).toBe('0001-01-01');
    expect(parseCalendarDate('9999-12-31', 'orderDate')).toBe('9999-12-31');
  });

  it('rejects dates that do not exist', () => {
    for (const text of ['2021-02-30', '2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '0000-01-01']) {
      expect(() => parseCalendarDate(text, 'orderDate'), text).toThrow(RangeError);
    }
  });

  it('rejects other formats', () => {
    for (const text of ['2024-1-05', '20240105', '2024/01/05', ' 2024-01-05', '2024-01-05T00:00:00Z', '']) {
      expect(() => parseCalendarDate(text, 'orderDate'), text).toThrow(RangeError);
    }
  });

  it('names the field and the value', () => {
    expect(() => parseCalendarDate('2021-02-30', 'requestedDate')).toThrow(/requestedDate: "2021-02-30"/);
  });
});

describe('addDays', () => {
  it('crosses month, year and leap day', () => {
    expect(addDays('2024-01-31', 1)).toBe('2024-02-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2023-02-28', 1)).toBe('2023-03-01');
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-01-15', 30)).toBe('2024-02-14');
  });

  it('goes back for negative counts', () => {
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2025-01-01', -1)).toBe('2024-12-31');
  });

  it('returns the same date for zero', () => {
    expect(addDays('2024-05-17', 0)).toBe('2024-05-17');
  });

  it('agrees with UTC Date arithmetic', () => {
    const start = Date.UTC(1899, 0, 1);
    for (let offset = 0; offset < 200 * 366; offset += 17) {
      const expected = new Date(start + offset * 86_400_000).toISOString().slice(0, 10);
      expect(addDays('1899-01-01', offset)).toBe(expected);
    }
  });

  it('rejects fractional day counts', () => {
    expect(() => addDays('2024-01-01', 1.5)).toThrow(/1\.5/);
    expect(() => addDays('2024-01-01', Number.NaN)).toThrow(RangeError);
  });

  it('rejects an invalid date', () => {
    expect(() => addDays('2024-02-30', 1)).toThrow(/"2024-02-30"/);
  });

  it('rejects results past year 9999', () => {
    expect(() => addDays('9999-12-31', 1)).toThrow(/year 10000/);
  });
});

describe('daysBetween', () => {
  it('counts to minus from', () => {
    expect(daysBetween('2024-01-01', '2024-01-31')).toBe(30);
    expect(daysBetween('2024-01-31', '2024-01-01')).toBe(-30);
    expect(daysBetween('2024-02-01', '2024-03-01')).toBe(29);
    expect(daysBetween('2023-02-01', '2023-03-01')).toBe(28);
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2024-06-01', '2024-06-01')).toBe(0);
  });

  it('is the inverse of addDays', () => {
    for (const days of [-400, -1, 0, 1, 59, 365, 1461]) {
      expect(daysBetween('2024-02-29', addDays('2024-02-29', days))).toBe(days);
    }
  });
});

describe('compareDates', () => {
  it('orders dates', () => {
    expect(compareDates('2024-01-01', '2024-01-02')).toBe(-1);
    expect(compareDates('2024-01-02', '2024-01-01')).toBe(1);
    expect(compareDates('2024-01-02', '2024-01-02')).toBe(0);
    expect(compareDates('2023-12-31', '2024-01-01')).toBe(-1);
  });

  it('rejects an invalid date', () => {
    expect(() => compareDates('2024-01-01', '2024-02-31')).toThrow(RangeError);
  });
});

describe('toCalendarDate', () => {
  it('takes the UTC date of an instant', () => {
    expect(toCalendarDate(new Date('2024-03-10T23:59:59.999Z'))).toBe('2024-03-10');
    expect(toCalendarDate(new Date('2024-03-11T00:00:00.000Z'))).toBe('2024-03-11');
    expect(toCalendarDate(new Date('2024-03-11T01:30:00+02:00'))).toBe('2024-03-10');
  });

  it('rejects an invalid Date', () => {
    expect(() => toCalendarDate(new Date('not a date'))).toThrow(RangeError);
  });
});
