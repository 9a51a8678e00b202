import { describe, it, expect } from 'vitest';
import { Dec } from '../../money/index.js';
import { computeLineAmount, unitPricesMatch } from './line-amount.js';

function amount(quantity: string, unitPrice: string, discountPercent: string, currency = 'EUR'): bigint {
  return computeLineAmount({
    quantity: new Dec(quantity),
    unitPrice: new Dec(unitPrice),
    discountPercent: new Dec(discountPercent),
    currency,
  });
}

describe('computeLineAmount', () => {
  it('multiplies quantity and unit price', () => {
    expect(amount('3', '12.50', '0')).toBe(3750n);
    expect(amount('0', '12.50', '0')).toBe(0n);
  });

  it('applies the discount', () => {
    expect(amount('10', '20', '15')).toBe(17000n);
    expect(amount('10', '20', '100')).toBe(0n);
  });

  it('rounds once, not per unit', () => {
    // 7 × 0.333 = 2.331, so 2.33. Rounding the unit price to 0.33 first would give 2.31.
    expect(amount('7', '0.333', '0')).toBe(233n);
    // 9 × 9.99 × 0.875 = 78.67125, so 78.67. Rounding the discounted unit price to 8.74 first would give 78.66.
    expect(amount('3', '9.99', '12.5')).toBe(2622n);
    expect(amount('9', '9.99', '12.5')).toBe(7867n);
  });

  it('rounds half away from zero', () => {
    expect(amount('1', '0.125', '0')).toBe(13n);
    expect(amount('1', '-0.125', '0')).toBe(-13n);
  });

  it('handles fractional quantities', () => {
    expect(amount('2.5', '3.99', '0')).toBe(998n);
    expect(amount('0.125', '80', '0')).toBe(1000n);
  });

  it('rounds JPY to whole yen', () => {
    expect(amount('3', '333.5', '0', 'JPY')).toBe(1001n);
    expect(amount('1', '999', '5', 'JPY')).toBe(949n);
  });

  it('rounds BHD to fils', () => {
    expect(amount('3', '1.2345', '0', 'BHD')).toBe(3704n);
    expect(amount('1', '10', '2.5', 'KWD')).toBe(9750n);
  });

  it('rejects a discount outside 0 to 100', () => {
    expect(() => amount('1', '10', '-1')).toThrow(RangeError);
    expect(() => amount('1', '10', '-1')).toThrow(/-1 %/);
    expect(() => amount('1', '10', '100.01')).toThrow(/100\.01 %/);
  });

  it('rejects a negative quantity', () => {
    expect(() => amount('-2', '10', '0')).toThrow(RangeError);
    expect(() => amount('-2', '10', '0')).toThrow(/quantity -2/);
  });

  it('rejects non-finite values', () => {
    expect(() => amount('Infinity', '10', '0')).toThrow(RangeError);
    expect(() => amount('1', 'NaN', '0')).toThrow(RangeError);
  });

  it('rejects an unknown currency', () => {
    expect(() => amount('1', '10', '0', 'XYZ')).toThrow(/"XYZ"/);
  });
});

describe('unitPricesMatch', () => {
  it('compares by value', () => {
    expect(unitPricesMatch(new Dec('18'), new Dec('18.00'))).toBe(true);
    expect(unitPricesMatch(new Dec('18.5'), new Dec('18.50'))).toBe(true);
    expect(unitPricesMatch(new Dec('18'), new Dec('18.01'))).toBe(false);
    expect(unitPricesMatch(new Dec('18'), new Dec('-18'))).toBe(false);
  });
});
