import { describe, it, expect } from 'vitest';
import { Dec } from '../../money/index.js';
import {
  STANDARD_PAYMENT_TERMS,
  discountDeadline,
  dueDate,
  earlyPaymentDiscount,
  findPaymentTerms,
  validatePaymentTerms,
  type PaymentTerms,
} from './payment-terms.js';

function terms(code: string): PaymentTerms {
  const found = findPaymentTerms(code);
  if (found === undefined) throw new Error(`test setup: payment terms ${code} not found`);
  return found;
}

const twoTenNet30 = terms('2/10 NET30');

function discount(overrides: { openMinor?: bigint; grossMinor?: bigint; paymentDate: string; terms?: PaymentTerms; currency?: string }) {
  return earlyPaymentDiscount({
    openMinor: overrides.openMinor ?? 100_000n,
    grossMinor: overrides.grossMinor ?? 100_000n,
    terms: overrides.terms ?? twoTenNet30,
    issueDate: '2024-01-25',
    paymentDate: overrides.paymentDate,
    currency: overrides.currency ?? 'EUR',
  });
}

describe('STANDARD_PAYMENT_TERMS', () => {
  it('contains the common terms', () => {
    for (const code of ['DUE_ON_RECEIPT', 'NET15', 'NET30', 'NET60', '2/10 NET30']) {
      expect(findPaymentTerms(code), code).toBeDefined();
    }
    expect(terms('DUE_ON_RECEIPT').netDays).toBe(0);
    expect(twoTenNet30).toMatchObject({ netDays: 30, discountDays: 10 });
    expect(twoTenNet30.discountPercent?.equals(2)).toBe(true);
  });

  it('has unique codes', () => {
    const codes = STANDARD_PAYMENT_TERMS.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('passes validation', () => {
    for (const entry of STANDARD_PAYMENT_TERMS) {
      expect(() => validatePaymentTerms(entry), entry.code).not.toThrow();
    }
  });

  it('returns undefined for an unknown code', () => {
    expect(findPaymentTerms('NET31')).toBeUndefined();
    expect(findPaymentTerms('net30')).toBeUndefined();
  });
});

describe('dueDate', () => {
  it('adds the net days', () => {
    expect(dueDate('2024-01-25', terms('DUE_ON_RECEIPT'))).toBe('2024-01-25');
    expect(dueDate('2024-01-25', terms('NET15'))).toBe('2024-02-09');
    expect(dueDate('2024-01-31', terms('NET30'))).toBe('2024-03-01');
    expect(dueDate('2023-01-31', terms('NET30'))).toBe('2023-03-02');
    expect(dueDate('2024-12-15', terms('NET60'))).toBe('2025-02-13');
    expect(dueDate('2024-01-25', twoTenNet30)).toBe('2024-02-24');
  });
});

describe('discountDeadline', () => {
  it('adds the discount days', () => {
    expect(discountDeadline('2024-01-25', twoTenNet30)).toBe('2024-02-04');
  });

  it('returns null without a discount', () => {
    expect(discountDeadline('2024-01-25', terms('NET30'))).toBeNull();
  });
});

describe('earlyPaymentDiscount', () => {
  it('applies on or before the deadline', () => {
    expect(discount({ paymentDate: '2024-01-25' })).toBe(2_000n);
    expect(discount({ paymentDate: '2024-02-04' })).toBe(2_000n);
  });

  it('is zero after the deadline', () => {
    expect(discount({ paymentDate: '2024-02-05' })).toBe(0n);
  });

  it('is zero without a discount', () => {
    expect(discount({ paymentDate: '2024-01-26', terms: terms('NET30') })).toBe(0n);
  });

  it('rounds the percentage of the gross once', () => {
    // 2 % of 123.45 = 2.469, so 2.47.
    expect(discount({ grossMinor: 12_345n, openMinor: 12_345n, paymentDate: '2024-01-30' })).toBe(247n);
    // 2 % of 0.25 = 0.005, half away from zero to 0.01.
    expect(discount({ grossMinor: 25n, openMinor: 25n, paymentDate: '2024-01-30' })).toBe(1n);
  });

  it('uses the gross, not the open amount', () => {
    expect(discount({ grossMinor: 100_000n, openMinor: 40_000n, paymentDate: '2024-01-30' })).toBe(2_000n);
  });

  it('caps at the open amount', () => {
    expect(discount({ grossMinor: 100_000n, openMinor: 1_500n, paymentDate: '2024-01-30' })).toBe(1_500n);
  });

  it('is zero when nothing is open', () => {
    expect(discount({ openMinor: 0n, paymentDate: '2024-01-30' })).toBe(0n);
    expect(discount({ openMinor: -100n, paymentDate: '2024-01-30' })).toBe(0n);
  });

  it('is zero for a credit note', () => {
    expect(discount({ grossMinor: -100_000n, openMinor: -100_000n, paymentDate: '2024-01-30' })).toBe(0n);
  });

  it('rounds in the invoice currency', () => {
    // 2 % of 1,234 yen = 24.68, so 25 yen. 2 % of 1.234 BHD = 0.02468, so 0.025.
    expect(discount({ grossMinor: 1_234n, openMinor: 1_234n, paymentDate: '2024-01-30', currency: 'JPY' })).toBe(25n);
    expect(discount({ grossMinor: 1_234n, openMinor: 1_234n, paymentDate: '2024-01-30', currency: 'BHD' })).toBe(25n);
  });
});

describe('validatePaymentTerms', () => {
  const base: PaymentTerms = { code: 'TEST', description: 'test', netDays: 30, discountDays: null, discountPercent: null };

  it('rejects negative or fractional net days', () => {
    expect(() => validatePaymentTerms({ ...base, netDays: -1 })).toThrow(/net days -1/);
    expect(() => validatePaymentTerms({ ...base, netDays: 1.5 })).toThrow(/net days 1\.5/);
  });

  it('rejects half-set discount', () => {
    expect(() => validatePaymentTerms({ ...base, discountDays: 10 })).toThrow(/both/);
    expect(() => validatePaymentTerms({ ...base, discountPercent: new Dec(2) })).toThrow(/both/);
  });

  it('rejects discount days beyond net days', () => {
    expect(() => validatePaymentTerms({ ...base, discountDays: 31, discountPercent: new Dec(2) })).toThrow(/discount days 31/);
  });

  it('rejects a discount outside 0 to 100', () => {
    expect(() => validatePaymentTerms({ ...base, discountDays: 10, discountPercent: new Dec(0) })).toThrow(/discount 0 %/);
    expect(() => validatePaymentTerms({ ...base, discountDays: 10, discountPercent: new Dec(100) })).toThrow(/discount 100 %/);
  });

  it('guards dueDate', () => {
    expect(() => dueDate('2024-01-01', { ...base, netDays: -5 })).toThrow(RangeError);
  });
});
