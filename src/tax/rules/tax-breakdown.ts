import {
  Dec,
  allocateByLargestRemainder,
  fromMinorUnits,
  minorUnitExponent,
  toMinorUnits,
  type CurrencyCode,
} from '../../money/index.js';
import { VAT_CATEGORY_CODES, ZERO_RATE_VAT_CATEGORY_CODES } from './tax-rate.js';

/** An invoice line priced without tax, with its net already rounded to minor units. */
export interface TaxExclusiveLine {
  lineNetMinor: bigint;
  vatCategoryCode: string;
  ratePercent: Dec;
}

/** An invoice line from a tax-inclusive price list, whose gross contains the VAT. */
export interface TaxInclusiveLine {
  lineGrossMinor: bigint;
  vatCategoryCode: string;
  ratePercent: Dec;
}

/** One row of the VAT breakdown, covering the lines of one VAT category and rate. */
export interface TaxBreakdownRow {
  vatCategoryCode: string;
  ratePercent: Dec;
  taxableMinor: bigint;
  taxMinor: bigint;
}

/** Net amount per input line, in input order, and the VAT breakdown of the document. */
export interface TaxInclusiveSplit {
  lineNetMinor: bigint[];
  breakdown: TaxBreakdownRow[];
}

interface LineGroup {
  vatCategoryCode: string;
  ratePercent: Dec;
  lineIndexes: number[];
  amounts: bigint[];
}

/**
 * Computes the EN 16931 VAT breakdown of a document priced without tax. Each
 * row's taxable amount is the sum of its already rounded line nets, and its tax
 * is taxable × rate / 100 rounded once per row, as the standard defines it.
 * Rounding tax per line instead drifts from that by up to half a minor unit
 * per line. Rows are sorted by category code, then rate.
 */
export function computeTaxBreakdown(lines: readonly TaxExclusiveLine[], currency: CurrencyCode): TaxBreakdownRow[] {
  minorUnitExponent(currency);

  return groupLines(lines, (line) => line.lineNetMinor).map((group) => {
    const taxableMinor = sum(group.amounts);
    const tax = fromMinorUnits(taxableMinor, currency).times(group.ratePercent).dividedBy(100);
    return {
      vatCategoryCode: group.vatCategoryCode,
      ratePercent: group.ratePercent,
      taxableMinor,
      taxMinor: toMinorUnits(tax, currency),
    };
  });
}

/**
 * Splits the lines of a tax-inclusive document into net amounts and VAT. Per
 * category and rate, the tax is gross × rate / (100 + rate), rounded once, and
 * spread over the group's lines by largest remainder with the line grosses as
 * weights. Each line net is its gross minus its tax share, so net + tax equals
 * the gross exactly for every line, every group and the document.
 *
 * NOTE: for some grosses the group tax differs by one minor unit from
 * round(taxable × rate / 100), the formula for tax-exclusive prices. At 19 %,
 * a gross of 0.16 gives tax 0.03 and taxable 0.13, and 0.13 × 19 % rounds to
 * 0.02. No tax amount satisfies both formulas for every gross, so the gross
 * that the customer agreed to pay is kept exact.
 */
export function splitTaxInclusiveLines(lines: readonly TaxInclusiveLine[], currency: CurrencyCode): TaxInclusiveSplit {
  minorUnitExponent(currency);
  const lineNetMinor = lines.map(() => 0n);

  const breakdown = groupLines(lines, (line) => line.lineGrossMinor).map((group) => {
    const grossMinor = sum(group.amounts);
    const tax = fromMinorUnits(grossMinor, currency)
      .times(group.ratePercent)
      .dividedBy(group.ratePercent.plus(100));
    const taxMinor = toMinorUnits(tax, currency);

    const lineTaxes = spreadGroupTax(taxMinor, group.amounts, group.ratePercent);
    group.lineIndexes.forEach((lineIndex, position) => {
      lineNetMinor[lineIndex] = (group.amounts[position] ?? 0n) - (lineTaxes[position] ?? 0n);
    });

    return {
      vatCategoryCode: group.vatCategoryCode,
      ratePercent: group.ratePercent,
      taxableMinor: grossMinor - taxMinor,
      taxMinor,
    };
  });

  return { lineNetMinor, breakdown };
}

/**
 * Groups lines by VAT category and rate, comparing rates by value so that
 * "19" and "19.00" share a row, and sorts the groups so that the breakdown
 * comes out in the same order whatever the line order.
 */
function groupLines<Line extends { vatCategoryCode: string; ratePercent: Dec }>(
  lines: readonly Line[],
  amountOf: (line: Line) => bigint,
): LineGroup[] {
  const groups = new Map<string, LineGroup>();

  lines.forEach((line, lineIndex) => {
    validateLineTax(line.vatCategoryCode, line.ratePercent, lineIndex);
    const key = `${line.vatCategoryCode} ${line.ratePercent.toString()}`;
    let group = groups.get(key);
    if (group === undefined) {
      group = { vatCategoryCode: line.vatCategoryCode, ratePercent: line.ratePercent, lineIndexes: [], amounts: [] };
      groups.set(key, group);
    }
    group.lineIndexes.push(lineIndex);
    group.amounts.push(amountOf(line));
  });

  return [...groups.values()].sort((a, b) => {
    if (a.vatCategoryCode !== b.vatCategoryCode) return a.vatCategoryCode < b.vatCategoryCode ? -1 : 1;
    return a.ratePercent.comparedTo(b.ratePercent);
  });
}

function validateLineTax(vatCategoryCode: string, ratePercent: Dec, lineIndex: number): void {
  const line = `line ${lineIndex + 1}`;
  if (!VAT_CATEGORY_CODES.includes(vatCategoryCode)) {
    throw new RangeError(
      `Invalid VAT category code "${vatCategoryCode}" on ${line}: expected one of ${VAT_CATEGORY_CODES.join(', ')}`,
    );
  }
  if (!ratePercent.isFinite() || ratePercent.lessThan(0)) {
    throw new RangeError(`Invalid VAT rate ${ratePercent.toString()} % on ${line}: expected 0 or more`);
  }
  if (ZERO_RATE_VAT_CATEGORY_CODES.includes(vatCategoryCode) && !ratePercent.isZero()) {
    throw new RangeError(
      `Invalid VAT rate ${ratePercent.toString()} % on ${line}: category ${vatCategoryCode} requires 0 %`,
    );
  }
}

/**
 * Spreads a group's tax over its lines in proportion to their grosses.
 * allocateByLargestRemainder takes non-negative weights, which covers an
 * invoice (all lines positive) and a credit note (all negative, mirrored).
 * A group that mixes signs, such as an invoice with a negative correction
 * line, needs the signed variant.
 */
function spreadGroupTax(taxMinor: bigint, grosses: readonly bigint[], ratePercent: Dec): bigint[] {
  if (grosses.every((gross) => gross >= 0n) || grosses.every((gross) => gross <= 0n)) {
    return allocateByLargestRemainder(taxMinor, grosses.map(abs));
  }
  return spreadOverMixedSigns(taxMinor, grosses, ratePercent);
}

/**
 * Largest remainder with signed weights. In a group that mixes signs the
 * grosses cancel, so shares in proportion to a near-zero group gross would
 * leave large lines with no tax. Each line's exact share is therefore its own
 * tax, gross × rate / (100 + rate), rounded half away from zero. The few units
 * by which the rounded shares miss the group tax go, one per line, to the
 * lines whose rounding moved them furthest the other way, the earlier line on
 * a tie. Every share stays within one minor unit of the line's exact tax, and
 * negating every gross negates every share.
 */
function spreadOverMixedSigns(taxMinor: bigint, grosses: readonly bigint[], ratePercent: Dec): bigint[] {
  const places = ratePercent.decimalPlaces();
  const rateNumerator = BigInt(ratePercent.times(new Dec(10).pow(places)).toFixed(0));
  const denominator = 100n * 10n ** BigInt(places) + rateNumerator;
  const numerators = grosses.map((gross) => gross * rateNumerator);

  const shares = numerators.map((numerator) => divideRoundingHalfAwayFromZero(numerator, denominator));
  // Rounding error of each share, scaled by the denominator: positive when the share was rounded down.
  const errors = numerators.map((numerator, index) => numerator - (shares[index] ?? 0n) * denominator);

  const missing = taxMinor - sum(shares);
  const step = missing > 0n ? 1n : -1n;
  const order = errors
    .map((error, index) => ({ index, error: error * step }))
    .sort((a, b) => {
      if (a.error === b.error) return a.index - b.index;
      return a.error > b.error ? -1 : 1;
    });
  if (abs(missing) > BigInt(order.length)) {
    throw new Error(`Tax spread cannot place ${missing} minor units for tax ${taxMinor} over line grosses ${grosses.join(', ')}`);
  }

  for (const { index } of order.slice(0, Number(abs(missing)))) {
    shares[index] = (shares[index] ?? 0n) + step;
  }
  return shares;
}

/** Divides by a positive denominator and rounds half away from zero, where BigInt division alone truncates. */
function divideRoundingHalfAwayFromZero(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator;
  const remainder = numerator % denominator;
  if (2n * abs(remainder) < denominator) return quotient;
  return numerator < 0n ? quotient - 1n : quotient + 1n;
}

function sum(amounts: readonly bigint[]): bigint {
  return amounts.reduce((total, amount) => total + amount, 0n);
}

function abs(amount: bigint): bigint {
  return amount < 0n ? -amount : amount;
}
