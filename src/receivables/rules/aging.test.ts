import { describe, it, expect } from 'vitest';
import { addDays } from '../../shared/calendar-date.js';
import { AGING_BUCKETS, ageOpenItems, agingBucket, type AgingBucket } from './aging.js';

const AS_OF = '2024-06-30';

describe('agingBucket', () => {
  const cases: [daysPastDue: number, bucket: AgingBucket][] = [
    [-10, 'current'],
    [0, 'current'],
    [1, 'days_1_30'],
    [30, 'days_1_30'],
    [31, 'days_31_60'],
    [60, 'days_31_60'],
    [61, 'days_61_90'],
    [90, 'days_61_90'],
    [91, 'days_over_90'],
    [1000, 'days_over_90'],
  ];

  for (const [daysPastDue, bucket] of cases) {
    it(`puts ${daysPastDue} days past due in ${bucket}`, () => {
      expect(agingBucket(addDays(AS_OF, -daysPastDue), AS_OF)).toBe(bucket);
    });
  }

  it('counts calendar days across a leap day', () => {
    expect(agingBucket('2024-01-30', '2024-02-29')).toBe('days_1_30');
    expect(agingBucket('2024-01-30', '2024-03-01')).toBe('days_31_60');
  });

  it('rejects an invalid date', () => {
    expect(() => agingBucket('2024-02-30', AS_OF)).toThrow(/"2024-02-30"/);
  });
});

describe('ageOpenItems', () => {
  it('returns every bucket at zero for no items', () => {
    const totals = ageOpenItems([], AS_OF);
    expect(Object.keys(totals).sort()).toEqual([...AGING_BUCKETS].sort());
    for (const bucket of AGING_BUCKETS) expect(totals[bucket], bucket).toBe(0n);
  });

  it('sums open amounts per bucket', () => {
    const items = [
      { dueDate: '2024-07-15', openMinor: 10_000n },
      { dueDate: AS_OF, openMinor: 500n },
      { dueDate: addDays(AS_OF, -1), openMinor: 2_000n },
      { dueDate: addDays(AS_OF, -30), openMinor: 3_000n },
      { dueDate: addDays(AS_OF, -31), openMinor: 4_000n },
      { dueDate: addDays(AS_OF, -61), openMinor: 5_000n },
      { dueDate: addDays(AS_OF, -91), openMinor: 6_000n },
      { dueDate: addDays(AS_OF, -400), openMinor: 7_000n },
    ];
    expect(ageOpenItems(items, AS_OF)).toEqual({
      current: 10_500n,
      days_1_30: 5_000n,
      days_31_60: 4_000n,
      days_61_90: 5_000n,
      days_over_90: 13_000n,
    });
  });

  it('lets credit notes reduce their bucket', () => {
    const items = [
      { dueDate: addDays(AS_OF, -45), openMinor: 8_000n },
      { dueDate: addDays(AS_OF, -40), openMinor: -3_000n },
    ];
    const totals = ageOpenItems(items, AS_OF);
    expect(totals.days_31_60).toBe(5_000n);
    expect(AGING_BUCKETS.reduce((sum, bucket) => sum + totals[bucket], 0n)).toBe(5_000n);
  });
});
