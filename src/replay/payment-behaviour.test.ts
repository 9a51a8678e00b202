import { describe, expect, it } from 'vitest';

import { daysBetween } from './dates.js';
import { type PaymentPlanInput, type PaymentProfile, PAYMENT_PROFILE_SHARES, assignPaymentProfile, planPayments } from './payment-behaviour.js';

const SEED = 'test-seed';
const PROFILES: readonly PaymentProfile[] = ['on_terms', 'early_discount', 'late', 'partial', 'never'];

function planInput(overrides: Partial<PaymentPlanInput> = {}): PaymentPlanInput {
  return {
    profile: 'on_terms',
    customerCode: 'ALFKI',
    invoiceNumber: 'INV-2024-000001',
    issueDate: '2024-03-01',
    dueDate: '2024-03-31',
    discountDeadline: '2024-03-11',
    grossMinor: 123_457n,
    seed: SEED,
    ...overrides,
  };
}

describe('assignPaymentProfile', () => {
  it('returns the same profile on every call', () => {
    for (let index = 0; index < 200; index += 1) {
      const code = `C${index}`;
      expect(assignPaymentProfile(code, SEED)).toBe(assignPaymentProfile(code, SEED));
    }
  });

  it('ignores the order customers come in', () => {
    const codes = Array.from({ length: 100 }, (_, index) => `CUST${index}`);
    const forward = new Map(codes.map((code) => [code, assignPaymentProfile(code, SEED)]));
    const backward = new Map([...codes].reverse().map((code) => [code, assignPaymentProfile(code, SEED)]));
    expect(backward).toEqual(forward);
  });

  it('changes with the seed', () => {
    const codes = Array.from({ length: 100 }, (_, index) => `CUST${index}`);
    const first = codes.map((code) => assignPaymentProfile(code, 'seed-a'));
    const second = codes.map((code) => assignPaymentProfile(code, 'seed-b'));
    expect(second).not.toEqual(first);
  });

  it('draws profiles in the documented shares', () => {
    const total = 20_000;
    const counts = new Map<PaymentProfile, number>();
    for (let index = 0; index < total; index += 1) {
      const profile = assignPaymentProfile(`CUSTOMER-${index}`, SEED);
      counts.set(profile, (counts.get(profile) ?? 0) + 1);
    }
    for (const [profile, perMille] of PAYMENT_PROFILE_SHARES) {
      const measured = ((counts.get(profile) ?? 0) * 1000) / total;
      expect(Math.abs(measured - perMille), profile).toBeLessThan(15);
    }
  });

  it('pays on terms when no discount is offered', () => {
    const codes = Array.from({ length: 500 }, (_, index) => `CUST${index}`);
    const early = codes.filter((code) => assignPaymentProfile(code, SEED) === 'early_discount');
    expect(early.length).toBeGreaterThan(0);
    for (const code of early) expect(assignPaymentProfile(code, SEED, { earlyDiscountOffered: false })).toBe('on_terms');
  });
});

describe('planPayments', () => {
  it('returns the same plan for the same input', () => {
    for (const profile of PROFILES) {
      expect(planPayments(planInput({ profile }))).toEqual(planPayments(planInput({ profile })));
    }
  });

  it('pays in full a few days before due', () => {
    for (let index = 0; index < 200; index += 1) {
      const [payment, ...rest] = planPayments(planInput({ invoiceNumber: `INV-${index}` }));
      expect(rest).toEqual([]);
      expect(payment?.amountMinor).toBe(123_457n);
      const daysBeforeDue = daysBetween(payment?.date ?? '', '2024-03-31');
      expect(daysBeforeDue).toBeGreaterThanOrEqual(0);
      expect(daysBeforeDue).toBeLessThanOrEqual(5);
    }
  });

  it('pays early by the discount deadline', () => {
    for (let index = 0; index < 200; index += 1) {
      const [payment] = planPayments(planInput({ profile: 'early_discount', invoiceNumber: `INV-${index}` }));
      expect(payment?.amountMinor).toBe(123_457n);
      expect((payment?.date ?? '') <= '2024-03-11').toBe(true);
      expect((payment?.date ?? '') >= '2024-03-08').toBe(true);
    }
  });

  it('pays early payers on terms without a deadline', () => {
    const early = planPayments(planInput({ profile: 'early_discount', discountDeadline: null }));
    expect(early).toEqual(planPayments(planInput({ profile: 'on_terms', discountDeadline: null })));
  });

  it('pays late within 5 to 75 days', () => {
    const delays = new Set<number>();
    for (let index = 0; index < 500; index += 1) {
      const [payment] = planPayments(planInput({ profile: 'late', invoiceNumber: `INV-${index}` }));
      const delay = daysBetween('2024-03-31', payment?.date ?? '');
      expect(delay).toBeGreaterThanOrEqual(5);
      expect(delay).toBeLessThanOrEqual(75);
      delays.add(delay);
    }
    expect(delays.size).toBeGreaterThan(30);
  });

  it('splits partial payments', () => {
    let restPaid = 0;
    let restOpen = 0;
    for (let index = 0; index < 200; index += 1) {
      const payments = planPayments(planInput({ profile: 'partial', invoiceNumber: `INV-${index}` }));
      const [first, second] = payments;
      expect(first).toBeDefined();
      expect((first?.amountMinor ?? 0n) < 123_457n).toBe(true);
      expect((first?.date ?? '') <= '2024-03-31').toBe(true);
      if (second === undefined) {
        restOpen += 1;
      } else {
        restPaid += 1;
        expect((first?.amountMinor ?? 0n) + second.amountMinor).toBe(123_457n);
        expect(second.date > '2024-03-31').toBe(true);
      }
    }
    expect(restPaid).toBeGreaterThan(50);
    expect(restOpen).toBeGreaterThan(50);
  });

  it('plans nothing for never', () => {
    expect(planPayments(planInput({ profile: 'never' }))).toEqual([]);
  });

  it('never pays more than gross', () => {
    const grossAmounts = [0n, 1n, 2n, 3n, 99n, 100n, 123_457n, 9_999_999_999n];
    for (const profile of PROFILES) {
      for (const grossMinor of grossAmounts) {
        for (let index = 0; index < 50; index += 1) {
          const payments = planPayments(planInput({ profile, grossMinor, invoiceNumber: `INV-${index}` }));
          const total = payments.reduce((sum, payment) => sum + payment.amountMinor, 0n);
          expect(total <= grossMinor, `${profile} ${grossMinor}`).toBe(true);
          for (const payment of payments) {
            expect(payment.amountMinor > 0n).toBe(true);
            expect(payment.date >= '2024-03-01').toBe(true);
          }
        }
      }
    }
  });

  it('pays nothing on a zero or negative gross', () => {
    expect(planPayments(planInput({ grossMinor: 0n }))).toEqual([]);
    expect(planPayments(planInput({ grossMinor: -500n }))).toEqual([]);
  });

  it('never pays before the issue date', () => {
    const payments = planPayments(planInput({ issueDate: '2024-03-30', dueDate: '2024-03-31', discountDeadline: '2024-03-30', profile: 'early_discount' }));
    expect(payments[0]?.date).toBe('2024-03-30');
    const dueOnReceipt = planPayments(planInput({ issueDate: '2024-03-30', dueDate: '2024-03-30', discountDeadline: null }));
    expect(dueOnReceipt[0]?.date).toBe('2024-03-30');
  });

  it('rejects a due date before issue', () => {
    expect(() => planPayments(planInput({ dueDate: '2024-02-28' }))).toThrow('Due date 2024-02-28 is before issue date 2024-03-01 on invoice INV-2024-000001');
  });
});
