import { describe, it, expect } from 'vitest';
import { promiseShipDate, type PromiseShipDateInput } from './promise-date.js';

function promise(overrides: Partial<PromiseShipDateInput>): string {
  return promiseShipDate({
    orderDate: '2024-03-10',
    requestedDate: null,
    fullyReserved: true,
    replenishmentLeadTimeDays: 14,
    ...overrides,
  });
}

describe('promiseShipDate', () => {
  it('promises the order date when fully reserved', () => {
    expect(promise({})).toBe('2024-03-10');
  });

  it('adds the lead time when short', () => {
    expect(promise({ fullyReserved: false })).toBe('2024-03-24');
    expect(promise({ fullyReserved: false, replenishmentLeadTimeDays: 0 })).toBe('2024-03-10');
    expect(promise({ orderDate: '2024-12-20', fullyReserved: false })).toBe('2025-01-03');
  });

  it('promises a later requested date', () => {
    expect(promise({ requestedDate: '2024-04-01' })).toBe('2024-04-01');
    expect(promise({ requestedDate: '2024-04-01', fullyReserved: false })).toBe('2024-04-01');
  });

  it('ignores an earlier requested date', () => {
    expect(promise({ requestedDate: '2024-03-01' })).toBe('2024-03-10');
    expect(promise({ requestedDate: '2024-03-15', fullyReserved: false })).toBe('2024-03-24');
  });

  it('keeps a requested date equal to the earliest', () => {
    expect(promise({ requestedDate: '2024-03-10' })).toBe('2024-03-10');
    expect(promise({ requestedDate: '2024-03-24', fullyReserved: false })).toBe('2024-03-24');
  });

  it('rejects an invalid lead time', () => {
    expect(() => promise({ replenishmentLeadTimeDays: -1 })).toThrow(/-1 days/);
    expect(() => promise({ replenishmentLeadTimeDays: 2.5 })).toThrow(/2\.5 days/);
  });

  it('rejects invalid dates', () => {
    expect(() => promise({ orderDate: '2024-02-30' })).toThrow(/orderDate: "2024-02-30"/);
    expect(() => promise({ requestedDate: '2024-13-01' })).toThrow(/requestedDate: "2024-13-01"/);
  });
});
