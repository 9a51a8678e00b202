import { z } from 'zod';

import { isKnownCurrency } from '../../money/index.js';
import { runCommand, type CommandContext } from '../../platform/command.js';
import { isUniqueViolation } from '../../platform/database.js';
import { appendHistory } from '../../platform/history.js';
import { reject, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { businessCode, currencyCode } from '../../shared/field-schemas.js';
import { getPriceList, type PriceListView } from '../queries/get-price-list.js';

export const createPriceListSchema = z.object({
  code: businessCode,
  currency: currencyCode,
  /** True when the list's unit prices include tax (gross), as in retail, and false for net prices. */
  pricesIncludeTax: z.boolean(),
  /** The default list is used for customers of its currency that have no list of their own. */
  isDefault: z.boolean().default(false),
});

export type CreatePriceListInput = z.input<typeof createPriceListSchema>;

/**
 * Creates an empty price list and writes a `created` history row. Each
 * currency has at most one default list.
 */
export async function createPriceList(ctx: CommandContext, input: CreatePriceListInput): Promise<Result<PriceListView>> {
  const validated = validateInput(createPriceListSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  if (!isKnownCurrency(request.currency)) {
    return reject(
      'unknown_currency',
      `Unknown currency ${request.currency}. Use an ISO 4217 code with a known minor unit, such as "EUR".`,
      { currency: request.currency },
      '/currency',
    );
  }

  try {
    return await runCommand(ctx, 'create-price-list', async (trx) => {
      await trx
        .insertInto('price_list')
        .values({
          company_id: ctx.companyId,
          code: request.code,
          currency: request.currency,
          prices_include_tax: request.pricesIncludeTax,
          is_default: request.isDefault,
        })
        .execute();

      const priceList = await getPriceList(trx, ctx.companyId, request.code);
      await appendHistory(trx, {
        companyId: ctx.companyId,
        entityType: 'price_list',
        entityId: priceList.id,
        orderId: null,
        event: 'created',
        actor: ctx.actor,
        details: {
          code: priceList.code,
          currency: priceList.currency,
          pricesIncludeTax: priceList.pricesIncludeTax,
          isDefault: priceList.isDefault,
        },
        occurredAt: ctx.clock.now(),
      });

      return priceList;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'price_list_company_id_code_key')) {
      return reject(
        'duplicate_price_list_code',
        `Price list code ${request.code} is already in use. Choose another code or add items to the existing list.`,
        { priceListCode: request.code },
        '/code',
      );
    }
    if (isUniqueViolation(error, 'price_list_default_per_currency')) {
      const current = await ctx.db
        .selectFrom('price_list')
        .select('code')
        .where('company_id', '=', ctx.companyId)
        .where('currency', '=', request.currency)
        .where('is_default', '=', true)
        .executeTakeFirst();
      return reject(
        'duplicate_default_price_list',
        `Price list ${current?.code ?? '(unknown)'} is already the default for ${request.currency}. ` +
          'Create this list with isDefault false and assign it to customers instead.',
        { currency: request.currency, defaultPriceListCode: current?.code ?? null },
        '/isDefault',
      );
    }
    throw error;
  }
}
