import { describe, expect, it } from 'vitest';

import { londonTimeToUtcInstant, parseNorthwindDate, parseUsDateTime } from './dates.js';

describe('parseNorthwindDate', () => {
  it('reads dates with and without time', () => {
    expect(parseNorthwindDate('1996-07-04 00:00:00.000')).toBe('1996-07-04');
    expect(parseNorthwindDate('1996-07-04')).toBe('1996-07-04');
  });

  it('rejects impossible dates', () => {
    expect(parseNorthwindDate('1997-02-29 00:00:00.000')).toBeNull();
    expect(parseNorthwindDate('1996-07-04 24:00:00.000')).toBeNull();
    expect(parseNorthwindDate('07/04/1996')).toBeNull();
  });
});

describe('parseUsDateTime', () => {
  it('reads month first', () => {
    expect(parseUsDateTime('12/1/2010 8:26')).toEqual({ date: '2010-12-01', hour: 8, minute: 26 });
  });

  it('rejects impossible values', () => {
    expect(parseUsDateTime('2/29/2011 10:00')).toBeNull();
    expect(parseUsDateTime('13/1/2011 10:00')).toBeNull();
    expect(parseUsDateTime('1/1/2011 10:60')).toBeNull();
  });
});

describe('londonTimeToUtcInstant', () => {
  it('keeps winter time', () => {
    expect(londonTimeToUtcInstant({ date: '2011-01-09', hour: 11, minute: 27 })).toBe('2011-01-09T11:27:00Z');
  });

  it('subtracts an hour in summer', () => {
    expect(londonTimeToUtcInstant({ date: '2011-06-12', hour: 0, minute: 30 })).toBe('2011-06-11T23:30:00Z');
  });

  it('reads clock-change hours as winter time', () => {
    expect(londonTimeToUtcInstant({ date: '2011-03-27', hour: 1, minute: 30 })).toBe('2011-03-27T01:30:00Z');
    expect(londonTimeToUtcInstant({ date: '2011-10-30', hour: 1, minute: 30 })).toBe('2011-10-30T01:30:00Z');
    expect(londonTimeToUtcInstant({ date: '2011-03-27', hour: 2, minute: 30 })).toBe('2011-03-27T01:30:00Z');
  });
});
