import { describe, it, expect } from 'vitest';
import { checkCredit, type CreditCheckInput } from './credit-check.js';

function check(overrides: Partial<CreditCheckInput>) {
  return checkCredit({
    creditLimitMinor: 100_000n,
    openReceivablesMinor: 0n,
    shippedNotInvoicedMinor: 0n,
    confirmedNotShippedMinor: 0n,
    thisOrderMinor: 0n,
    ...overrides,
  });
}

describe('checkCredit', () => {
  it('sums the four parts of exposure', () => {
    const result = check({
      openReceivablesMinor: 40_000n,
      shippedNotInvoicedMinor: 10_000n,
      confirmedNotShippedMinor: 20_000n,
      thisOrderMinor: 5_000n,
    });
    expect(result.exposureMinor).toBe(75_000n);
    expect(result.withinLimit).toBe(true);
    expect(result.facts).toEqual({
      creditLimitMinor: 100_000n,
      exposureMinor: 75_000n,
      openReceivablesMinor: 40_000n,
      shippedNotInvoicedMinor: 10_000n,
      confirmedNotShippedMinor: 20_000n,
      thisOrderMinor: 5_000n,
      overLimitMinor: 0n,
    });
  });

  it('accepts exposure equal to the limit', () => {
    const result = check({ openReceivablesMinor: 60_000n, thisOrderMinor: 40_000n });
    expect(result.withinLimit).toBe(true);
    expect(result.facts.overLimitMinor).toBe(0n);
  });

  it('rejects exposure one unit over', () => {
    const result = check({ openReceivablesMinor: 60_000n, thisOrderMinor: 40_001n });
    expect(result.withinLimit).toBe(false);
    expect(result.facts.overLimitMinor).toBe(1n);
  });

  it('counts every part toward the limit', () => {
    expect(check({ openReceivablesMinor: 100_001n }).withinLimit).toBe(false);
    expect(check({ shippedNotInvoicedMinor: 100_001n }).withinLimit).toBe(false);
    expect(check({ confirmedNotShippedMinor: 100_001n }).withinLimit).toBe(false);
    expect(check({ thisOrderMinor: 100_001n }).withinLimit).toBe(false);
  });

  it('has no limit when the limit is null', () => {
    const result = check({ creditLimitMinor: null, openReceivablesMinor: 10n ** 15n, thisOrderMinor: 1n });
    expect(result.withinLimit).toBe(true);
    expect(result.facts.overLimitMinor).toBe(0n);
  });

  it('treats a zero limit as cash in advance', () => {
    expect(check({ creditLimitMinor: 0n, thisOrderMinor: 1n }).withinLimit).toBe(false);
    expect(check({ creditLimitMinor: 0n, thisOrderMinor: 0n }).withinLimit).toBe(true);
  });

  it('lets a prepayment cover a cash-in-advance order', () => {
    expect(check({ creditLimitMinor: 0n, openReceivablesMinor: -5_000n, thisOrderMinor: 5_000n }).withinLimit).toBe(true);
    expect(check({ creditLimitMinor: 0n, openReceivablesMinor: -5_000n, thisOrderMinor: 5_001n }).withinLimit).toBe(false);
  });

  it('rejects negative counters and limit', () => {
    expect(() => check({ creditLimitMinor: -1n })).toThrow(/creditLimitMinor: -1/);
    expect(() => check({ shippedNotInvoicedMinor: -1n })).toThrow(/shippedNotInvoicedMinor: -1/);
    expect(() => check({ confirmedNotShippedMinor: -1n })).toThrow(/confirmedNotShippedMinor: -1/);
    expect(() => check({ thisOrderMinor: -1n })).toThrow(/thisOrderMinor: -1/);
  });
});
