import { z } from 'zod';

import { runCommand, type CommandContext } from '../../platform/command.js';
import { isUniqueViolation } from '../../platform/database.js';
import { appendHistory } from '../../platform/history.js';
import { reject, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { businessCode, numericString } from '../../shared/field-schemas.js';
import { getProduct, type ProductView } from '../queries/get-product.js';
import { gs1CheckDigit, validateGtin } from '../rules/gtin.js';
import { isRec20UnitCode } from '../rules/units.js';

export const createProductSchema = z.object({
  sku: businessCode,
  name: z.string().trim().min(1, 'must not be empty'),
  /** UN/ECE Recommendation 20 code, such as "C62" (one) or "KGM" (kilogram). */
  unitCode: z.string().min(1, 'must not be empty'),
  /** GTIN-8, -12, -13 or -14, checked by its GS1 check digit. */
  gtin: z.string().nullish(),
  taxCategory: z.enum(['standard', 'reduced', 'zero', 'exempt']),
  /** Cost of one unit in the company currency. Defaults to 0. */
  standardCost: numericString(18, 6).optional(),
  /** Days until stock ordered today arrives, used to promise dates for backorders. Defaults to 14. */
  replenishmentLeadTimeDays: z
    .number()
    .int('must be a whole number of days')
    .min(0, 'must be 0 or more')
    .max(3650, 'must be at most 3650 days')
    .optional(),
  /** False for services and charges such as postage: never reserved or counted in stock. Defaults to true. */
  stocked: z.boolean().default(true),
});

export type CreateProductInput = z.input<typeof createProductSchema>;

/**
 * Adds a product to the catalog and writes a `created` history row. SKU and
 * GTIN are each unique within the company.
 */
export async function createProduct(ctx: CommandContext, input: CreateProductInput): Promise<Result<ProductView>> {
  const validated = validateInput(createProductSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  if (!isRec20UnitCode(request.unitCode)) {
    return reject(
      'invalid_unit_code',
      `Unknown unit code "${request.unitCode}". ` +
        'Use a UN/ECE Recommendation 20 code in upper case, such as "C62" (one) or "KGM" (kilogram).',
      { unitCode: request.unitCode },
      '/unitCode',
    );
  }

  let gtin: string | null = null;
  if (request.gtin != null) {
    const checked = validateGtin(request.gtin);
    if (!checked.ok) return rejectGtin(request.gtin, checked.reason);
    gtin = checked.gtin;
  }

  try {
    return await runCommand(ctx, 'create-product', async (trx) => {
      const at = ctx.clock.now();
      await trx
        .insertInto('product')
        .values({
          company_id: ctx.companyId,
          sku: request.sku,
          name: request.name,
          unit_code: request.unitCode,
          // NOTE: a GTIN-13 and the same number padded to GTIN-14 are stored
          // as given, so the unique index treats them as two GTINs.
          gtin,
          tax_category: request.taxCategory,
          // Absent values take the column defaults.
          ...(request.standardCost === undefined ? {} : { standard_cost: request.standardCost }),
          stocked: request.stocked,
          ...(request.replenishmentLeadTimeDays === undefined
            ? {}
            : { replenishment_lead_time_days: request.replenishmentLeadTimeDays }),
          created_at: at,
        })
        .execute();

      // The history row takes the stored values, so defaults the request left out are recorded too.
      const product = await getProduct(trx, ctx.companyId, request.sku);
      await appendHistory(trx, {
        companyId: ctx.companyId,
        entityType: 'product',
        entityId: product.id,
        orderId: null,
        event: 'created',
        actor: ctx.actor,
        details: {
          sku: product.sku,
          name: product.name,
          unitCode: product.unitCode,
          gtin: product.gtin,
          taxCategory: product.taxCategory,
          standardCost: product.standardCost,
          replenishmentLeadTimeDays: product.replenishmentLeadTimeDays,
          stocked: product.stocked,
        },
        occurredAt: at,
      });

      return product;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'product_company_id_sku_key')) {
      return reject(
        'duplicate_sku',
        `SKU ${request.sku} is already in use. Choose another SKU.`,
        { sku: request.sku },
        '/sku',
      );
    }
    if (isUniqueViolation(error, 'product_gtin_unique')) {
      const owner = await ctx.db
        .selectFrom('product')
        .select('sku')
        .where('company_id', '=', ctx.companyId)
        .where('gtin', '=', gtin)
        .executeTakeFirst();
      return reject(
        'duplicate_gtin',
        `GTIN ${gtin} already belongs to SKU ${owner?.sku ?? '(unknown)'}. A GTIN identifies one product, so check the number.`,
        { gtin, existingSku: owner?.sku ?? null },
        '/gtin',
      );
    }
    throw error;
  }
}

/**
 * Rejects an invalid GTIN with the reason from validateGtin. When only the
 * check digit is wrong, the facts also carry the digit the number needs.
 */
function rejectGtin(text: string, reason: string): Result<never> {
  const digits = text.trim();
  const facts: Record<string, unknown> = { gtin: text };
  if (/^\d{8}$|^\d{12,14}$/.test(digits)) {
    facts.checkDigit = Number(digits.slice(-1));
    facts.expectedCheckDigit = gs1CheckDigit(digits.slice(0, -1));
  }
  return reject('invalid_gtin', `${reason}.`, facts, '/gtin');
}
