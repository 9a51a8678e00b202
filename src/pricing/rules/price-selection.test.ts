import { describe, it, expect } from 'vitest';
import { Dec } from '../../money/index.js';
import { selectPrice, type PriceListEntry } from './price-selection.js';

function entry(overrides: Partial<Omit<PriceListEntry, 'unitPrice'>> & { unitPrice: string }): PriceListEntry {
  return {
    productId: 'P-100',
    customerId: null,
    minQuantity: new Dec(0),
    validFrom: '2024-01-01',
    validTo: null,
    ...overrides,
    unitPrice: new Dec(overrides.unitPrice),
  };
}

function select(entries: PriceListEntry[], quantity: string, onDate = '2024-06-15', customerId: string | null = 'C-1') {
  return selectPrice({ entries, productId: 'P-100', customerId, quantity: new Dec(quantity), onDate })?.unitPrice.toString() ?? null;
}

describe('selectPrice', () => {
  it('returns the single general entry', () => {
    expect(select([entry({ unitPrice: '10' })], '1')).toBe('10');
  });

  it('returns null without an applicable entry', () => {
    expect(select([], '1')).toBeNull();
    expect(select([entry({ unitPrice: '10', productId: 'P-200' })], '1')).toBeNull();
    expect(select([entry({ unitPrice: '10', customerId: 'C-2' })], '1')).toBeNull();
  });

  it('applies validity dates inclusively', () => {
    const entries = [entry({ unitPrice: '10', validFrom: '2024-03-01', validTo: '2024-03-31' })];
    expect(select(entries, '1', '2024-02-29')).toBeNull();
    expect(select(entries, '1', '2024-03-01')).toBe('10');
    expect(select(entries, '1', '2024-03-31')).toBe('10');
    expect(select(entries, '1', '2024-04-01')).toBeNull();
  });

  it('prefers a customer-specific entry', () => {
    const entries = [entry({ unitPrice: '10' }), entry({ unitPrice: '9', customerId: 'C-1' })];
    expect(select(entries, '1')).toBe('9');
    expect(select(entries, '1', '2024-06-15', 'C-2')).toBe('10');
    expect(select(entries, '1', '2024-06-15', null)).toBe('10');
  });

  it('prefers a customer entry over a larger general break', () => {
    const entries = [entry({ unitPrice: '7', minQuantity: new Dec(100) }), entry({ unitPrice: '9', customerId: 'C-1' })];
    expect(select(entries, '500')).toBe('9');
  });

  it('falls back to general when customer breaks do not apply', () => {
    const entries = [entry({ unitPrice: '10' }), entry({ unitPrice: '8', customerId: 'C-1', minQuantity: new Dec(100) })];
    expect(select(entries, '99')).toBe('10');
    expect(select(entries, '100')).toBe('8');
  });

  it('picks the greatest quantity break reached', () => {
    const entries = [
      entry({ unitPrice: '10' }),
      entry({ unitPrice: '9', minQuantity: new Dec(10) }),
      entry({ unitPrice: '8', minQuantity: new Dec(100) }),
    ];
    expect(select(entries, '0')).toBe('10');
    expect(select(entries, '9.999')).toBe('10');
    expect(select(entries, '10')).toBe('9');
    expect(select(entries, '99')).toBe('9');
    expect(select(entries, '100')).toBe('8');
    expect(select(entries, '1000')).toBe('8');
  });

  it('returns null below the smallest break', () => {
    expect(select([entry({ unitPrice: '9', minQuantity: new Dec(10) })], '5')).toBeNull();
  });

  it('picks the latest validFrom on equal breaks', () => {
    const entries = [
      entry({ unitPrice: '10', validFrom: '2024-01-01' }),
      entry({ unitPrice: '11', validFrom: '2024-06-01' }),
      entry({ unitPrice: '12', validFrom: '2024-07-01' }),
    ];
    expect(select(entries, '1', '2024-05-31')).toBe('10');
    expect(select(entries, '1', '2024-06-15')).toBe('11');
    expect(select(entries, '1', '2024-07-01')).toBe('12');
  });

  it('compares quantities by value', () => {
    const entries = [entry({ unitPrice: '9', minQuantity: new Dec('10.000') })];
    expect(select(entries, '10')).toBe('9');
  });

  it('returns the entry itself', () => {
    const entries = [entry({ unitPrice: '10' })];
    expect(selectPrice({ entries, productId: 'P-100', customerId: null, quantity: new Dec(1), onDate: '2024-06-15' })).toBe(entries[0]);
  });

  it('throws on duplicate entries', () => {
    const entries = [entry({ unitPrice: '10' }), entry({ unitPrice: '11' })];
    expect(() => select(entries, '1')).toThrow(/Ambiguous price list for product P-100/);
  });

  it('rejects a negative quantity', () => {
    expect(() => select([entry({ unitPrice: '10' })], '-1')).toThrow(/-1/);
  });

  it('rejects an invalid date', () => {
    expect(() => select([entry({ unitPrice: '10' })], '1', '2024-02-30')).toThrow(/onDate: "2024-02-30"/);
  });
});
