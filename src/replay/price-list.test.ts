import { describe, expect, it } from 'vitest';

import { Dec } from '../money/index.js';
import type { PriceListEntrySeed } from './model.js';
import { type PriceObservation, PriceListIndex, derivePriceListByDate, derivePriceListWithQuantityBreaks } from './price-list.js';

let nextRow = 2;
function seen(date: string, quantity: string, unitPrice: string, customerCode: string | null = null): PriceObservation {
  nextRow += 1;
  return { sku: 'A', customerCode, date, sourceRow: nextRow, quantity: new Dec(quantity), unitPrice: new Dec(unitPrice) };
}

function summary(entries: readonly PriceListEntrySeed[]): (string | null)[][] {
  return entries.map((entry) => [entry.customerCode, entry.minQuantity.toString(), entry.unitPrice.toString(), entry.validFrom, entry.validTo]);
}

describe('derivePriceListByDate', () => {
  it('starts an entry at each price change', () => {
    const entries = derivePriceListByDate([seen('2024-01-10', '5', '2.50'), seen('2024-02-01', '1', '2.50'), seen('2024-03-01', '9', '2.80'), seen('2024-04-01', '2', '2.50')]);
    expect(summary(entries)).toEqual([
      [null, '1', '2.5', '2024-01-10', '2024-02-29'],
      [null, '1', '2.8', '2024-03-01', '2024-03-31'],
      [null, '1', '2.5', '2024-04-01', null],
    ]);
  });

  it('keeps the first price of a day', () => {
    const entries = derivePriceListByDate([seen('2024-01-10', '1', '2.50'), seen('2024-01-10', '1', '2.60')]);
    expect(summary(entries)).toEqual([[null, '1', '2.5', '2024-01-10', null]]);
  });

  it('keeps customers apart', () => {
    const entries = derivePriceListByDate([seen('2024-01-10', '1', '2.50'), seen('2024-01-11', '1', '3.00', 'GUEST-GB')]);
    expect(summary(entries)).toEqual([
      [null, '1', '2.5', '2024-01-10', null],
      ['GUEST-GB', '1', '3', '2024-01-11', null],
    ]);
  });
});

describe('derivePriceListWithQuantityBreaks', () => {
  it('adds a break for a lower price at a larger quantity', () => {
    const entries = derivePriceListWithQuantityBreaks([seen('2024-01-10', '2', '12.75'), seen('2024-02-10', '16', '10.95'), seen('2024-03-10', '20', '10.95'), seen('2024-03-11', '3', '12.75')]);
    expect(summary(entries)).toEqual([
      [null, '1', '12.75', '2024-01-10', null],
      [null, '16', '10.95', '2024-02-10', null],
    ]);
  });

  it('replaces a price that rises', () => {
    const entries = derivePriceListWithQuantityBreaks([seen('2024-01-10', '10', '1.95'), seen('2024-05-01', '20', '2.08'), seen('2024-06-01', '100', '1.79')]);
    expect(summary(entries)).toEqual([
      [null, '1', '1.95', '2024-01-10', '2024-04-30'],
      [null, '1', '2.08', '2024-05-01', null],
      [null, '100', '1.79', '2024-06-01', null],
    ]);
  });

  it('matches every observation it was built from', () => {
    const observations = [seen('2024-01-10', '16', '10.95'), seen('2024-02-17', '3', '12.75'), seen('2024-04-27', '16', '10.95'), seen('2024-05-06', '1', '12.75')];
    const index = new PriceListIndex(derivePriceListWithQuantityBreaks(observations));
    for (const observation of observations) {
      expect(index.findUnitPrice('A', 'ANY', observation.quantity, observation.date)?.toString()).toBe(observation.unitPrice.toString());
    }
  });
});

describe('PriceListIndex', () => {
  const entry = (customerCode: string | null, minQuantity: string, unitPrice: string, validFrom: string, validTo: string | null = null): PriceListEntrySeed => ({
    sku: 'A',
    customerCode,
    minQuantity: new Dec(minQuantity),
    unitPrice: new Dec(unitPrice),
    validFrom,
    validTo,
  });
  const index = new PriceListIndex([
    entry(null, '1', '10', '2024-01-01'),
    entry(null, '10', '9', '2024-01-01'),
    entry('C1', '1', '8', '2024-02-01', '2024-02-29'),
    entry('C1', '50', '7', '2024-01-01'),
  ]);

  it('prefers the customer entry', () => {
    expect(index.findUnitPrice('A', 'C1', new Dec(20), '2024-02-10')?.toString()).toBe('8');
  });

  it('falls back to general prices', () => {
    expect(index.findUnitPrice('A', 'C1', new Dec(20), '2024-03-10')?.toString()).toBe('9');
    expect(index.findUnitPrice('A', 'C2', new Dec(5), '2024-02-10')?.toString()).toBe('10');
  });

  it('takes the highest applicable break', () => {
    expect(index.findUnitPrice('A', 'C1', new Dec(60), '2024-02-10')?.toString()).toBe('7');
  });

  it('returns null before any entry', () => {
    expect(index.findUnitPrice('A', 'C2', new Dec(1), '2023-12-31')).toBeNull();
    expect(index.findUnitPrice('B', 'C2', new Dec(1), '2024-02-10')).toBeNull();
  });
});
