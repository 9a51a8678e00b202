import { describe, it, expect } from 'vitest';
import { Dec } from '../../money/index.js';
import { CUSTOMER_EXEMPTION_REASON, determineTax, validateTaxRateRow, type TaxRateRow } from './tax-rate.js';

const RATES: TaxRateRow[] = [
  { countryCode: '*', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: new Dec('20') },
  { countryCode: '*', taxCategory: 'zero', vatCategoryCode: 'Z', ratePercent: new Dec('0') },
  { countryCode: 'DE', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: new Dec('19') },
  { countryCode: 'DE', taxCategory: 'reduced', vatCategoryCode: 'S', ratePercent: new Dec('7') },
  {
    countryCode: 'DE',
    taxCategory: 'exempt',
    vatCategoryCode: 'E',
    ratePercent: new Dec('0'),
    exemptionReason: 'Exempt under national VAT law',
  },
];

describe('determineTax', () => {
  it('prefers the ship-to country row', () => {
    const result = determineTax({ taxCategory: 'standard', shipToCountry: 'DE', customerTaxExempt: false, rates: RATES });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.vatCategoryCode).toBe('S');
    expect(result.ratePercent.equals(19)).toBe(true);
    expect(result.exemptionReason).toBeUndefined();
  });

  it('falls back to the any-country row', () => {
    const result = determineTax({ taxCategory: 'standard', shipToCountry: 'FR', customerTaxExempt: false, rates: RATES });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.ratePercent.equals(20)).toBe(true);
  });

  it('falls back per tax category', () => {
    const result = determineTax({ taxCategory: 'zero', shipToCountry: 'DE', customerTaxExempt: false, rates: RATES });
    expect(result).toMatchObject({ ok: true, vatCategoryCode: 'Z' });
  });

  it('passes the exemption reason of the row', () => {
    const result = determineTax({ taxCategory: 'exempt', shipToCountry: 'DE', customerTaxExempt: false, rates: RATES });
    expect(result).toMatchObject({ ok: true, vatCategoryCode: 'E', exemptionReason: 'Exempt under national VAT law' });
  });

  it('exempts a tax-exempt customer', () => {
    const result = determineTax({ taxCategory: 'standard', shipToCountry: 'DE', customerTaxExempt: true, rates: RATES });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.vatCategoryCode).toBe('E');
    expect(result.ratePercent.isZero()).toBe(true);
    expect(result.exemptionReason).toBe(CUSTOMER_EXEMPTION_REASON);
  });

  it('exempts a customer even without rate rows', () => {
    const result = determineTax({
      taxCategory: 'reduced',
      shipToCountry: 'US',
      customerTaxExempt: true,
      rates: [],
      customerExemptionReason: 'Resale certificate 12-345',
    });
    expect(result).toMatchObject({ ok: true, vatCategoryCode: 'E', exemptionReason: 'Resale certificate 12-345' });
  });

  it('rejects a missing rate with facts', () => {
    const result = determineTax({ taxCategory: 'reduced', shipToCountry: 'FR', customerTaxExempt: false, rates: RATES });
    expect(result).toEqual({
      ok: false,
      code: 'tax_rate_missing',
      facts: { taxCategory: 'reduced', shipToCountry: 'FR' },
    });
  });

  it('rejects an invalid ship-to country', () => {
    for (const country of ['de', 'DEU', '', '*']) {
      expect(
        () => determineTax({ taxCategory: 'standard', shipToCountry: country, customerTaxExempt: false, rates: RATES }),
        country,
      ).toThrow(RangeError);
    }
  });

  it('throws on duplicate rows', () => {
    const rates = [...RATES, { countryCode: 'DE', taxCategory: 'standard' as const, vatCategoryCode: 'S', ratePercent: new Dec('16') }];
    expect(() =>
      determineTax({ taxCategory: 'standard', shipToCountry: 'DE', customerTaxExempt: false, rates }),
    ).toThrow(/2 rows for country DE and tax category standard/);
  });

  it('throws on an invalid matched row', () => {
    const rates: TaxRateRow[] = [{ countryCode: 'DE', taxCategory: 'standard', vatCategoryCode: 'X', ratePercent: new Dec('19') }];
    expect(() =>
      determineTax({ taxCategory: 'standard', shipToCountry: 'DE', customerTaxExempt: false, rates }),
    ).toThrow(/"X"/);
  });
});

describe('validateTaxRateRow', () => {
  const row = (vatCategoryCode: string, rate: string): TaxRateRow => ({
    countryCode: 'DE',
    taxCategory: 'standard',
    vatCategoryCode,
    ratePercent: new Dec(rate),
  });

  it('accepts valid rows', () => {
    expect(() => validateTaxRateRow(row('S', '19'))).not.toThrow();
    expect(() => validateTaxRateRow(row('Z', '0'))).not.toThrow();
    expect(() => validateTaxRateRow(row('L', '7'))).not.toThrow();
    expect(() => validateTaxRateRow(row('L', '0'))).not.toThrow();
  });

  it('rejects a negative rate', () => {
    expect(() => validateTaxRateRow(row('S', '-1'))).toThrow(/-1 %/);
  });

  it('rejects a rate on a zero-rate category', () => {
    for (const code of ['Z', 'E', 'AE', 'K', 'G', 'O']) {
      expect(() => validateTaxRateRow(row(code, '5')), code).toThrow(`category ${code} requires 0 %`);
    }
  });

  it('rejects standard rate at zero', () => {
    expect(() => validateTaxRateRow(row('S', '0'))).toThrow(/use Z/);
  });
});
