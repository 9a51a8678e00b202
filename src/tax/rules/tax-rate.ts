import { Dec } from '../../money/index.js';

/** The seller's tax classification of a product, mapped to a rate per country by the rate table. */
export type ProductTaxCategory = 'standard' | 'reduced' | 'zero' | 'exempt';

/**
 * EN 16931 VAT category codes (a subset of UNTDID 5305): S standard rate,
 * Z zero rated, E exempt, AE reverse charge, K intra-community supply,
 * G export outside the EU, O outside the scope of VAT, L Canary Islands IGIC,
 * M Ceuta and Melilla IPSI.
 */
export const VAT_CATEGORY_CODES: readonly string[] = ['S', 'Z', 'E', 'AE', 'K', 'G', 'O', 'L', 'M'];

/** Categories whose VAT rate must be 0 on an EN 16931 invoice. */
export const ZERO_RATE_VAT_CATEGORY_CODES: readonly string[] = ['Z', 'E', 'AE', 'K', 'G', 'O'];

export const CUSTOMER_EXEMPTION_REASON = 'Customer is exempt from VAT';

/** A row of the tax rate table that the seller maintains per ship-to country. */
export interface TaxRateRow {
  /** ISO 3166-1 alpha-2 code of the ship-to country, or '*' for a row that applies to every country without its own row. */
  countryCode: string;
  taxCategory: ProductTaxCategory;
  /** EN 16931 VAT category code, one of VAT_CATEGORY_CODES. */
  vatCategoryCode: string;
  ratePercent: Dec;
  /** Reason printed in the VAT breakdown when the row carries no VAT (category E, AE, K, G or O). */
  exemptionReason?: string;
}

export interface TaxDeterminationInput {
  taxCategory: ProductTaxCategory;
  shipToCountry: string;
  customerTaxExempt: boolean;
  rates: readonly TaxRateRow[];
  /** Reason to print for a tax-exempt customer, for example the exemption certificate; defaults to CUSTOMER_EXEMPTION_REASON. */
  customerExemptionReason?: string;
}

export type TaxDetermination =
  | { ok: true; vatCategoryCode: string; ratePercent: Dec; exemptionReason?: string }
  | {
      ok: false;
      code: 'tax_rate_missing';
      facts: { taxCategory: ProductTaxCategory; shipToCountry: string };
    };

const COUNTRY_CODE_PATTERN = /^[A-Z]{2}$/;
const ANY_COUNTRY = '*';

/**
 * Determines the VAT category and rate of an order line. A tax-exempt
 * customer gets category E at 0 % whatever the product. Otherwise the row for
 * the ship-to country wins over the '*' row, and a missing row is an expected
 * rejection (the rate table needs a row), not a guessed rate.
 *
 * NOTE: reverse charge (AE) and intra-community supply (K) depend on the
 * customer's VAT number and the ship-from country, which this rule does not
 * take. They apply only when a rate table row names them.
 */
export function determineTax(input: TaxDeterminationInput): TaxDetermination {
  const { taxCategory, shipToCountry, customerTaxExempt, rates } = input;
  if (!COUNTRY_CODE_PATTERN.test(shipToCountry)) {
    throw new RangeError(
      `Invalid ship-to country "${shipToCountry}": expected an ISO 3166-1 alpha-2 code in upper case, for example "DE"`,
    );
  }

  if (customerTaxExempt) {
    return {
      ok: true,
      vatCategoryCode: 'E',
      ratePercent: new Dec(0),
      exemptionReason: input.customerExemptionReason ?? CUSTOMER_EXEMPTION_REASON,
    };
  }

  const row =
    findSingleRow(rates, shipToCountry, taxCategory) ?? findSingleRow(rates, ANY_COUNTRY, taxCategory);
  if (row === undefined) {
    return { ok: false, code: 'tax_rate_missing', facts: { taxCategory, shipToCountry } };
  }

  validateTaxRateRow(row);
  const result: TaxDetermination = { ok: true, vatCategoryCode: row.vatCategoryCode, ratePercent: row.ratePercent };
  if (row.exemptionReason !== undefined) result.exemptionReason = row.exemptionReason;
  return result;
}

/** Throws when a rate table row could not appear on a valid EN 16931 invoice; such a row is a configuration bug. */
export function validateTaxRateRow(row: TaxRateRow): void {
  const where = `tax rate row ${row.countryCode}/${row.taxCategory}`;
  if (!VAT_CATEGORY_CODES.includes(row.vatCategoryCode)) {
    throw new Error(`Invalid VAT category code "${row.vatCategoryCode}" in ${where}: expected one of ${VAT_CATEGORY_CODES.join(', ')}`);
  }
  if (!row.ratePercent.isFinite() || row.ratePercent.lessThan(0)) {
    throw new Error(`Invalid rate ${row.ratePercent.toString()} % in ${where}: expected 0 or more`);
  }
  if (ZERO_RATE_VAT_CATEGORY_CODES.includes(row.vatCategoryCode) && !row.ratePercent.isZero()) {
    throw new Error(`Invalid rate ${row.ratePercent.toString()} % in ${where}: category ${row.vatCategoryCode} requires 0 %`);
  }
  if (row.vatCategoryCode === 'S' && !row.ratePercent.greaterThan(0)) {
    throw new Error(`Invalid rate 0 % in ${where}: category S requires a rate above 0; use Z for zero-rated goods`);
  }
}

function findSingleRow(
  rates: readonly TaxRateRow[],
  countryCode: string,
  taxCategory: ProductTaxCategory,
): TaxRateRow | undefined {
  const matches = rates.filter((row) => row.countryCode === countryCode && row.taxCategory === taxCategory);
  if (matches.length > 1) {
    throw new Error(
      `Ambiguous tax rate table: ${matches.length} rows for country ${countryCode} and tax category ${taxCategory}; keep one`,
    );
  }
  return matches[0];
}
