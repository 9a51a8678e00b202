import seedrandom from 'seedrandom';

/**
 * Returns a whole number in [0, modulus) determined only by `key`, so a
 * customer's draw is the same on every run and does not depend on which
 * customers come before it. The modulo bias is below 1e-6 for moduli up to
 * 1,000 and is ignored.
 */
export function seededDraw(key: string, modulus: number): number {
  if (!Number.isInteger(modulus) || modulus <= 0) throw new RangeError(`modulus must be a positive integer, got ${modulus}`);
  const generator = seedrandom(key);
  return (generator.int32() >>> 0) % modulus;
}

/** Returns `count` whole numbers, each in [0, modulus), drawn in sequence from one generator seeded with `key`. */
export function seededDraws(key: string, modulus: number, count: number): number[] {
  if (!Number.isInteger(modulus) || modulus <= 0) throw new RangeError(`modulus must be a positive integer, got ${modulus}`);
  const generator = seedrandom(key);
  return Array.from({ length: count }, () => (generator.int32() >>> 0) % modulus);
}
