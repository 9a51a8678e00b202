import { describe, it, expect } from 'vitest';
import { gs1CheckDigit, validateGtin } from './gtin.js';

describe('validateGtin', () => {
  it('accepts valid GTINs of every length', () => {
    const valid = [
      '96385074', // GTIN-8
      '036000291452', // GTIN-12, UPC-A
      '4006381333931', // GTIN-13, EAN-13
      '5901234123457', // GTIN-13, the GS1 example
      '10012345678902', // GTIN-14
      '00000000000000', // all zeros has check digit 0
    ];
    for (const gtin of valid) {
      expect(validateGtin(gtin), gtin).toEqual({ ok: true, gtin });
    }
  });

  it('ignores surrounding whitespace', () => {
    expect(validateGtin(' 4006381333931\n')).toEqual({ ok: true, gtin: '4006381333931' });
  });

  it('rejects a wrong check digit', () => {
    expect(validateGtin('4006381333932')).toEqual({
      ok: false,
      reason: 'Invalid GTIN "4006381333932": check digit is 2, expected 1; check the number for a typing error',
    });
    const upc = validateGtin('036000291453');
    expect(upc.ok).toBe(false);
    if (!upc.ok) expect(upc.reason).toContain('expected 2');
    const gtin8 = validateGtin('96385070');
    expect(gtin8.ok).toBe(false);
    if (!gtin8.ok) expect(gtin8.reason).toContain('expected 4');
  });

  it('rejects swapped adjacent digits', () => {
    expect(validateGtin('4006381339331').ok).toBe(false);
  });

  it('rejects other lengths', () => {
    for (const text of ['', '1234567', '123456789', '40063813339310', '400638133393100']) {
      const result = validateGtin(text);
      expect(result.ok, text).toBe(false);
    }
    const result = validateGtin('123456789');
    if (!result.ok) expect(result.reason).toBe('Invalid GTIN "123456789": has 9 digits, expected 8, 12, 13 or 14');
  });

  it('rejects non-digits', () => {
    for (const text of ['400638133393X', '4006-381333931', '4006381333931.0', '-96385074']) {
      const result = validateGtin(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) expect(result.reason, text).toContain(`"${text}"`);
    }
  });
});

describe('gs1CheckDigit', () => {
  it('weights from the right', () => {
    expect(gs1CheckDigit('400638133393')).toBe(1);
    expect(gs1CheckDigit('03600029145')).toBe(2);
    expect(gs1CheckDigit('9638507')).toBe(4);
    expect(gs1CheckDigit('1001234567890')).toBe(2);
  });
});
