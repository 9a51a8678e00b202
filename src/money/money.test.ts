import { describe, it, expect } from 'vitest';
import { Dec } from './decimal.js';
import { minorUnitExponent } from './currency.js';
import { allocateByLargestRemainder, formatMinorUnits, fromMinorUnits, toMinorUnits } from './money.js';

/** Deterministic 32-bit generator (mulberry32), so a failing case replays from its seed. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBigInt(random: () => number, min: number, max: number): bigint {
  return BigInt(min + Math.floor(random() * (max - min + 1)));
}

function sum(values: readonly bigint[]): bigint {
  return values.reduce((total, value) => total + value, 0n);
}

describe('minorUnitExponent', () => {
  it('returns the ISO 4217 exponent', () => {
    expect(minorUnitExponent('JPY')).toBe(0);
    expect(minorUnitExponent('EUR')).toBe(2);
    expect(minorUnitExponent('BHD')).toBe(3);
  });

  it('rejects an unknown currency', () => {
    expect(() => minorUnitExponent('XYZ')).toThrow(/"XYZ"/);
    expect(() => minorUnitExponent('eur')).toThrow(/"eur"/);
  });
});

describe('toMinorUnits', () => {
  it('rounds EUR half away from zero', () => {
    expect(toMinorUnits(new Dec('1.005'), 'EUR')).toBe(101n);
    expect(toMinorUnits(new Dec('1.0049'), 'EUR')).toBe(100n);
    expect(toMinorUnits(new Dec('0.004'), 'EUR')).toBe(0n);
    expect(toMinorUnits(new Dec('0.005'), 'EUR')).toBe(1n);
    expect(toMinorUnits(new Dec('12.34'), 'EUR')).toBe(1234n);
  });

  it('rounds negative amounts away from zero', () => {
    expect(toMinorUnits(new Dec('-1.005'), 'EUR')).toBe(-101n);
    expect(toMinorUnits(new Dec('-1.0049'), 'EUR')).toBe(-100n);
    expect(toMinorUnits(new Dec('-0.005'), 'EUR')).toBe(-1n);
    expect(toMinorUnits(new Dec('-0.5'), 'JPY')).toBe(-1n);
  });

  it('rounds JPY to whole yen', () => {
    expect(toMinorUnits(new Dec('1.5'), 'JPY')).toBe(2n);
    expect(toMinorUnits(new Dec('2.4999'), 'JPY')).toBe(2n);
    expect(toMinorUnits(new Dec('1000'), 'JPY')).toBe(1000n);
  });

  it('rounds BHD to fils', () => {
    expect(toMinorUnits(new Dec('1.0005'), 'BHD')).toBe(1001n);
    expect(toMinorUnits(new Dec('1.00049'), 'BHD')).toBe(1000n);
    expect(toMinorUnits(new Dec('-1.0005'), 'BHD')).toBe(-1001n);
    expect(toMinorUnits(new Dec('0.001'), 'BHD')).toBe(1n);
  });

  it('keeps amounts beyond 2^53 exact', () => {
    expect(toMinorUnits(new Dec('123456789012345678.905'), 'EUR')).toBe(12345678901234567891n);
  });

  it('rejects an unknown currency', () => {
    expect(() => toMinorUnits(new Dec('1'), 'XYZ')).toThrow(/"XYZ"/);
  });
});

describe('fromMinorUnits and formatMinorUnits', () => {
  it('convert back with the exponent', () => {
    expect(fromMinorUnits(1234n, 'EUR').equals(new Dec('12.34'))).toBe(true);
    expect(formatMinorUnits(1234n, 'EUR')).toBe('12.34');
    expect(formatMinorUnits(-5n, 'EUR')).toBe('-0.05');
    expect(formatMinorUnits(100n, 'JPY')).toBe('100');
    expect(formatMinorUnits(1n, 'BHD')).toBe('0.001');
    expect(formatMinorUnits(0n, 'BHD')).toBe('0.000');
  });
});

describe('allocateByLargestRemainder', () => {
  it('splits in proportion to weights', () => {
    expect(allocateByLargestRemainder(100n, [1n, 1n, 2n])).toEqual([25n, 25n, 50n]);
  });

  it('gives leftover units to largest remainders', () => {
    // 100 / 3 = 33.33 each; the one leftover cent goes to the earliest tie.
    expect(allocateByLargestRemainder(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    // Shares 14.29, 28.57, 57.14: the 0.57 remainder is largest.
    expect(allocateByLargestRemainder(100n, [1n, 2n, 4n])).toEqual([14n, 29n, 57n]);
  });

  it('returns zeros for a zero total', () => {
    expect(allocateByLargestRemainder(0n, [3n, 5n])).toEqual([0n, 0n]);
  });

  it('mirrors the positive case for a negative total', () => {
    expect(allocateByLargestRemainder(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocateByLargestRemainder(-100n, [1n, 2n, 4n])).toEqual([-14n, -29n, -57n]);
  });

  it('spreads evenly when every weight is zero', () => {
    expect(allocateByLargestRemainder(10n, [0n, 0n, 0n])).toEqual([4n, 3n, 3n]);
  });

  it('gives a zero-weight part nothing', () => {
    expect(allocateByLargestRemainder(10n, [0n, 1n, 0n])).toEqual([0n, 10n, 0n]);
  });

  it('gives one part the whole total', () => {
    expect(allocateByLargestRemainder(999n, [7n])).toEqual([999n]);
    expect(allocateByLargestRemainder(-999n, [0n])).toEqual([-999n]);
  });

  it('handles zero parts only for a zero total', () => {
    expect(allocateByLargestRemainder(0n, [])).toEqual([]);
    expect(() => allocateByLargestRemainder(5n, [])).toThrow(/5/);
  });

  it('rejects negative weights', () => {
    expect(() => allocateByLargestRemainder(10n, [1n, -1n])).toThrow(/-1/);
  });

  it('sums to the total in random cases', () => {
    const seed = 20240611;
    const random = seededRandom(seed);

    for (let caseIndex = 0; caseIndex < 2000; caseIndex += 1) {
      const total = randomBigInt(random, -1_000_000, 1_000_000);
      const partCount = 1 + Math.floor(random() * 8);
      const weights = Array.from({ length: partCount }, () =>
        random() < 0.2 ? 0n : randomBigInt(random, 1, 100_000),
      );
      const label = `seed ${seed}, case ${caseIndex}: total ${total}, weights ${weights.join(',')}`;

      const parts = allocateByLargestRemainder(total, weights);

      expect(parts.length, label).toBe(partCount);
      expect(sum(parts), label).toBe(total);

      // Each part is within one minor unit of its exact proportional share.
      const weightSum = sum(weights);
      if (weightSum > 0n) {
        parts.forEach((part, index) => {
          const distance = part * weightSum - total * (weights[index] ?? 0n);
          expect(distance < 0n ? -distance : distance, label).toBeLessThan(weightSum);
        });
      }

      expect(allocateByLargestRemainder(-total, weights), label).toEqual(parts.map((part) => -part));
    }
  });
});
