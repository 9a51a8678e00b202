import type { Dec } from '../../money/index.js';
import { computeTaxBreakdown, splitTaxInclusiveLines } from './tax-breakdown.js';

export interface DocumentLineAmount {
  /** Rounded line amount: net for tax-exclusive prices, gross for tax-inclusive ones. */
  lineAmountMinor: bigint;
  vatCategoryCode: string;
  ratePercent: Dec;
}

export interface TaxBreakdownRow {
  vatCategoryCode: string;
  ratePercent: Dec;
  taxableMinor: bigint;
  taxMinor: bigint;
}

export interface DocumentTotals {
  lineNetMinor: bigint[];
  breakdown: TaxBreakdownRow[];
  netMinor: bigint;
  taxMinor: bigint;
  grossMinor: bigint;
}

/**
 * Totals of an order, invoice or credit note from its rounded line amounts.
 * Tax is computed per VAT category and rate from the sum of line nets; for
 * tax-inclusive prices the gross is split so that net + tax = gross exactly.
 */
export function computeDocumentTotals(
  lines: readonly DocumentLineAmount[],
  pricesIncludeTax: boolean,
  currency: string,
): DocumentTotals {
  let lineNetMinor: bigint[];
  let breakdown: TaxBreakdownRow[];

  if (pricesIncludeTax) {
    const split = splitTaxInclusiveLines(
      lines.map((line) => ({ lineGrossMinor: line.lineAmountMinor, vatCategoryCode: line.vatCategoryCode, ratePercent: line.ratePercent })),
      currency,
    );
    lineNetMinor = split.lineNetMinor;
    breakdown = split.breakdown;
  } else {
    lineNetMinor = lines.map((line) => line.lineAmountMinor);
    breakdown = computeTaxBreakdown(
      lines.map((line) => ({ lineNetMinor: line.lineAmountMinor, vatCategoryCode: line.vatCategoryCode, ratePercent: line.ratePercent })),
      currency,
    );
  }

  const netMinor = lineNetMinor.reduce((sum, amount) => sum + amount, 0n);
  const taxMinor = breakdown.reduce((sum, row) => sum + row.taxMinor, 0n);
  return { lineNetMinor, breakdown, netMinor, taxMinor, grossMinor: netMinor + taxMinor };
}
