import { describe, it, expect } from 'vitest';
import { REC20_UNIT_NAMES, isRec20UnitCode, unitName } from './units.js';

describe('REC20_UNIT_NAMES', () => {
  it('contains the codes orders use most', () => {
    const required = [
      'C62', 'H87', 'EA', 'KGM', 'GRM', 'TNE', 'LTR', 'MLT', 'MTR', 'CMT', 'MTK', 'MTQ',
      'HUR', 'DAY', 'MON', 'SET', 'PR', 'DZN', 'XBX', 'XPK', 'XCT', 'XPX',
    ];
    for (const code of required) {
      expect(isRec20UnitCode(code), code).toBe(true);
    }
    expect(Object.keys(REC20_UNIT_NAMES).length).toBeGreaterThanOrEqual(30);
  });

  it('uses code-shaped keys and non-empty names', () => {
    for (const [code, name] of Object.entries(REC20_UNIT_NAMES)) {
      expect(code, code).toMatch(/^[A-Z0-9]{2,3}$/);
      expect(name.trim().length, code).toBeGreaterThan(0);
    }
  });
});

describe('isRec20UnitCode', () => {
  it('rejects unknown and lower-case codes', () => {
    expect(isRec20UnitCode('PCS')).toBe(false);
    expect(isRec20UnitCode('kgm')).toBe(false);
    expect(isRec20UnitCode('')).toBe(false);
  });

  it('ignores inherited object properties', () => {
    expect(isRec20UnitCode('toString')).toBe(false);
    expect(isRec20UnitCode('__proto__')).toBe(false);
  });
});

describe('unitName', () => {
  it('returns the name', () => {
    expect(unitName('C62')).toBe('one');
    expect(unitName('H87')).toBe('piece');
    expect(unitName('PR')).toBe('pair');
    expect(unitName('XPX')).toBe('pallet');
    expect(unitName('KGM')).toBe('kilogram');
  });

  it('returns undefined for an unknown code', () => {
    expect(unitName('PCS')).toBeUndefined();
    expect(unitName('constructor')).toBeUndefined();
  });
});
