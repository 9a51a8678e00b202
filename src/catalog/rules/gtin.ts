const GTIN_LENGTHS: readonly number[] = [8, 12, 13, 14];

export type GtinValidation = { ok: true; gtin: string } | { ok: false; reason: string };

/**
 * Validates a GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN-13) or GTIN-14 by its
 * GS1 check digit. Surrounding whitespace is ignored. The returned `gtin`
 * keeps its own length, so leading zeros are not added or removed.
 */
export function validateGtin(text: string): GtinValidation {
  const gtin = text.trim();
  if (!/^\d+$/.test(gtin)) {
    return { ok: false, reason: `Invalid GTIN "${text}": expected digits only` };
  }
  if (!GTIN_LENGTHS.includes(gtin.length)) {
    return {
      ok: false,
      reason: `Invalid GTIN "${text}": has ${gtin.length} digits, expected 8, 12, 13 or 14`,
    };
  }

  const expected = gs1CheckDigit(gtin.slice(0, -1));
  const actual = Number(gtin.slice(-1));
  if (actual !== expected) {
    return {
      ok: false,
      reason: `Invalid GTIN "${text}": check digit is ${actual}, expected ${expected}; check the number for a typing error`,
    };
  }
  return { ok: true, gtin };
}

/**
 * Computes the GS1 mod-10 check digit. Weights 3 and 1 alternate from the
 * rightmost digit of the payload, so every GTIN length uses the same rule.
 */
export function gs1CheckDigit(payload: string): number {
  let sum = 0;
  for (let offset = 0; offset < payload.length; offset += 1) {
    const digit = Number(payload[payload.length - 1 - offset]);
    sum += offset % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}
