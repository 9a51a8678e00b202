import { z } from 'zod';

import { Dec, isDecimalString } from '../../money/index.js';
import { runCommand, type CommandContext } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { validateInput } from '../../platform/validation.js';
import type { Result } from '../../platform/rejection.js';
import { isCountryCode } from '../../shared/country-codes.js';
import { numericString } from '../../shared/field-schemas.js';
import { VAT_CATEGORY_CODES, ZERO_RATE_VAT_CATEGORY_CODES, type ProductTaxCategory } from '../rules/tax-rate.js';

/** The country code of a rate that applies to every ship-to country without its own rate. */
const ANY_COUNTRY = '*';

export const setTaxRateSchema = z
  .object({
    countryCode: z
      .string()
      .refine(
        (code) => code === ANY_COUNTRY || isCountryCode(code),
        'must be an ISO 3166-1 alpha-2 country code in upper case, such as "DE", or "*" for every other country',
      ),
    taxCategory: z.enum(['standard', 'reduced', 'zero', 'exempt']),
    /** EN 16931 VAT category code (UNTDID 5305): S, Z, E, AE, K, G, O, L or M. */
    vatCategoryCode: z
      .string()
      .refine((code) => VAT_CATEGORY_CODES.includes(code), `must be one of ${VAT_CATEGORY_CODES.join(', ')}`),
    /** Rate in percent, such as "19" or "7.5". */
    ratePercent: numericString(7, 4).refine((text) => !isDecimalString(text) || new Dec(text).lessThan(100), 'must be less than 100'),
  })
  .superRefine((rate, context) => {
    // zod runs this refinement even when the fields failed their own checks.
    if (typeof rate.ratePercent !== 'string' || !isDecimalString(rate.ratePercent)) return;
    const rateIsZero = new Dec(rate.ratePercent).isZero();
    if (ZERO_RATE_VAT_CATEGORY_CODES.includes(rate.vatCategoryCode) && !rateIsZero) {
      context.addIssue({
        code: 'custom',
        path: ['ratePercent'],
        message: `must be 0 for VAT category ${rate.vatCategoryCode}, which carries no VAT on an EN 16931 invoice`,
      });
    }
    if (rate.vatCategoryCode === 'S' && rateIsZero) {
      context.addIssue({
        code: 'custom',
        path: ['ratePercent'],
        message: 'must be above 0 for VAT category S. Use Z for zero-rated goods',
      });
    }
  });

export type SetTaxRateInput = z.input<typeof setTaxRateSchema>;

export interface TaxRateView {
  countryCode: string;
  taxCategory: ProductTaxCategory;
  vatCategoryCode: string;
  ratePercent: string;
}

export interface SetTaxRateOutcome {
  taxRate: TaxRateView;
  /** The rate this one replaced, or null when the country and tax category had none. */
  previous: TaxRateView | null;
}

/**
 * Sets the VAT category and rate for one ship-to country (or '*') and product
 * tax category, replacing the rate there was, and writes a `tax_rate_set`
 * history row with the previous rate. Orders already taken keep the rate
 * copied onto their lines.
 */
export async function setTaxRate(ctx: CommandContext, input: SetTaxRateInput): Promise<Result<SetTaxRateOutcome>> {
  const validated = validateInput(setTaxRateSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  return runCommand(ctx, 'set-tax-rate', async (trx) => {
    const previous = await trx
      .selectFrom('tax_rate')
      .select(['vat_category_code', 'rate_percent'])
      .where('company_id', '=', ctx.companyId)
      .where('country_code', '=', request.countryCode)
      .where('tax_category', '=', request.taxCategory)
      .forUpdate()
      .executeTakeFirst();

    const saved = await trx
      .insertInto('tax_rate')
      .values({
        company_id: ctx.companyId,
        country_code: request.countryCode,
        tax_category: request.taxCategory,
        vat_category_code: request.vatCategoryCode,
        rate_percent: request.ratePercent,
      })
      .onConflict((conflict) =>
        conflict.columns(['company_id', 'country_code', 'tax_category']).doUpdateSet((eb) => ({
          vat_category_code: eb.ref('excluded.vat_category_code'),
          rate_percent: eb.ref('excluded.rate_percent'),
        })),
      )
      .returning(['id', 'vat_category_code', 'rate_percent'])
      .executeTakeFirstOrThrow();

    const view = (row: { vat_category_code: string; rate_percent: string }): TaxRateView => ({
      countryCode: request.countryCode,
      taxCategory: request.taxCategory,
      vatCategoryCode: row.vat_category_code,
      ratePercent: new Dec(row.rate_percent).toString(),
    });
    const outcome: SetTaxRateOutcome = { taxRate: view(saved), previous: previous ? view(previous) : null };

    // A request that repeats the current rate still writes a row, because it records who confirmed the rate and when.
    await appendHistory(trx, {
      companyId: ctx.companyId,
      entityType: 'tax_rate',
      entityId: saved.id,
      orderId: null,
      event: 'tax_rate_set',
      actor: ctx.actor,
      details: {
        countryCode: request.countryCode,
        taxCategory: request.taxCategory,
        vatCategoryCode: outcome.taxRate.vatCategoryCode,
        ratePercent: outcome.taxRate.ratePercent,
        previousVatCategoryCode: outcome.previous?.vatCategoryCode ?? null,
        previousRatePercent: outcome.previous?.ratePercent ?? null,
      },
      occurredAt: ctx.clock.now(),
    });

    return outcome;
  });
}
