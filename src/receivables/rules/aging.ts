import { daysBetween } from '../../shared/calendar-date.js';

export type AgingBucket = 'current' | 'days_1_30' | 'days_31_60' | 'days_61_90' | 'days_over_90';

export const AGING_BUCKETS: readonly AgingBucket[] = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'];

/** Returns the bucket of an open item by its days past due on `asOf`. An item due on `asOf` itself is still current. */
export function agingBucket(dueDate: string, asOf: string): AgingBucket {
  const daysPastDue = daysBetween(dueDate, asOf);
  if (daysPastDue <= 0) return 'current';
  if (daysPastDue <= 30) return 'days_1_30';
  if (daysPastDue <= 60) return 'days_31_60';
  if (daysPastDue <= 90) return 'days_61_90';
  return 'days_over_90';
}

/**
 * Sums open amounts per aging bucket. Credit notes and unapplied payments
 * carry negative open amounts and reduce their bucket, so the buckets add up
 * to the customer's open balance.
 */
export function ageOpenItems(
  items: readonly { dueDate: string; openMinor: bigint }[],
  asOf: string,
): Record<AgingBucket, bigint> {
  const totals: Record<AgingBucket, bigint> = {
    current: 0n,
    days_1_30: 0n,
    days_31_60: 0n,
    days_61_90: 0n,
    days_over_90: 0n,
  };
  for (const item of items) {
    const bucket = agingBucket(item.dueDate, asOf);
    totals[bucket] += item.openMinor;
  }
  return totals;
}
