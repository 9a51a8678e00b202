import { describe, expect, it } from 'vitest';

import { Dec } from '../money/index.js';
import { type DemandLine, planStock } from './stock-plan.js';

function demand(sku: string, date: string, quantity: string): DemandLine {
  return { sku, date, quantity: new Dec(quantity) };
}

describe('planStock', () => {
  const lines = [
    demand('A', '2024-01-01', '10'),
    demand('A', '2024-02-15', '5'),
    demand('A', '2024-03-05', '40'),
    demand('B', '2024-03-20', '7'),
  ];
  const plan = planStock(lines, new Map([['A', 14], ['B', 7]]), '2024-01-01', '2024-04-30');

  it('covers the first 60 days of each product', () => {
    expect(plan.openingStock.map((receipt) => [receipt.sku, receipt.date, receipt.quantity.toString()])).toEqual([
      ['A', '2023-12-31', '15'],
      ['B', '2023-12-31', '7'],
    ]);
  });

  it('tops up to the last 90 days of orders', () => {
    // A: opening 15. Review 01-31: target 10, position 15 - 10 = 5, order 5.
    // 03-01: target 15, position 20 - 15 = 5, order 10. 03-31: target 55,
    // position 30 - 55 = -25, order 80. 04-30: target 45, position 55, none.
    // B: opening 7. Review 03-31: target 7, position 0, order 7.
    expect(plan.replenishments.map((receipt) => [receipt.sku, receipt.date, receipt.quantity.toString()])).toEqual([
      ['A', '2024-02-14', '5'],
      ['A', '2024-03-15', '10'],
      ['B', '2024-04-07', '7'],
      ['A', '2024-04-14', '80'],
    ]);
    expect(plan.replenishments[3]?.reason).toContain('ordered on 2024-03-31');
  });

  it('requires a lead time per product', () => {
    expect(() => planStock(lines, new Map([['A', 14]]), '2024-01-01', '2024-04-30')).toThrow('No lead time for SKU B');
  });

  it('keeps decimal quantities exact', () => {
    const exact = planStock([demand('C', '2024-01-01', '0.1'), demand('C', '2024-01-02', '0.2')], new Map([['C', 1]]), '2024-01-01', '2024-01-02');
    expect(exact.openingStock[0]?.quantity.toString()).toBe('0.3');
  });
});
