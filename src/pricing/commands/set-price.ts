import { z } from 'zod';

import { Dec } from '../../money/index.js';
import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { isUniqueViolation } from '../../platform/database.js';
import { appendHistory } from '../../platform/history.js';
import { reject, rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { compareDates } from '../../shared/calendar-date.js';
import { calendarDate, isExistingCalendarDate, numericString } from '../../shared/field-schemas.js';
import type { PriceListItemView } from '../queries/get-price-list.js';

/** Start date of a price sent without validFrom. It equals the column default, so the price applies to any order date. */
const OPEN_START = '1900-01-01';

export const setPriceSchema = z
  .object({
    priceListCode: z.string().min(1, 'must not be empty'),
    sku: z.string().min(1, 'must not be empty'),
    /** Price of one unit in the list's currency, net or gross as the list's pricesIncludeTax sets. */
    unitPrice: numericString(18, 6),
    /** Smallest order line quantity the price applies to (a quantity break). */
    minQuantity: numericString(18, 6)
      .refine((text) => /[1-9]/.test(text), 'must be greater than 0')
      .default('1'),
    /** Customer the price is for. Absent means every customer of the list. */
    customerCode: z.string().min(1, 'must not be empty').nullish(),
    validFrom: calendarDate.default(OPEN_START),
    /** Last day the price applies, inclusive. Absent means open-ended. */
    validTo: calendarDate.nullish(),
  })
  .superRefine((price, context) => {
    // zod runs this refinement even when a date failed its own check.
    if (price.validTo == null || !isExistingCalendarDate(price.validTo) || !isExistingCalendarDate(price.validFrom)) {
      return;
    }
    if (compareDates(price.validTo, price.validFrom) < 0) {
      context.addIssue({
        code: 'custom',
        path: ['validTo'],
        message: `must be on or after validFrom ${price.validFrom}`,
      });
    }
  });

export type SetPriceInput = z.input<typeof setPriceSchema>;
type SetPriceRequest = z.output<typeof setPriceSchema>;

/**
 * Adds a price list item. An item with the same list, product, customer,
 * quantity break and start date is rejected rather than overwritten, so the
 * list keeps every price it has had. A price change is a new item with a
 * later validFrom, which wins from that date on. Each item adds a
 * `price_set` history row to the price list.
 */
export async function setPrice(ctx: CommandContext, input: SetPriceInput): Promise<Result<PriceListItemView>> {
  const validated = validateInput(setPriceSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  try {
    return await runCommand(ctx, 'set-price', (trx) => insertPrice(trx, ctx, request));
  } catch (error) {
    if (isUniqueViolation(error, 'price_list_item_unique')) {
      const forWhom = request.customerCode ? `customer ${request.customerCode}` : 'every customer';
      return reject(
        'duplicate_price_list_item',
        `Price list ${request.priceListCode} already has a price for SKU ${request.sku} for ${forWhom} from ` +
          `quantity ${new Dec(request.minQuantity).toString()} starting ${request.validFrom}. ` +
          'To change the price, add an item with a later validFrom.',
        {
          priceListCode: request.priceListCode,
          sku: request.sku,
          customerCode: request.customerCode ?? null,
          minQuantity: new Dec(request.minQuantity).toString(),
          validFrom: request.validFrom,
        },
      );
    }
    throw error;
  }
}

async function insertPrice(trx: Tx, ctx: CommandContext, request: SetPriceRequest): Promise<PriceListItemView> {
  const { companyId } = ctx;
  const priceList = await trx
    .selectFrom('price_list')
    .select(['id', 'currency'])
    .where('company_id', '=', companyId)
    .where('code', '=', request.priceListCode)
    .executeTakeFirst();
  if (!priceList) {
    rejectAndRollBack(
      'price_list_not_found',
      `Price list ${request.priceListCode} was not found. Create it first or correct the price list code.`,
      { priceListCode: request.priceListCode },
      '/priceListCode',
    );
  }

  const product = await trx
    .selectFrom('product')
    .select('id')
    .where('company_id', '=', companyId)
    .where('sku', '=', request.sku)
    .executeTakeFirst();
  if (!product) {
    rejectAndRollBack(
      'product_not_found',
      `Product ${request.sku} was not found. Create the product or correct the SKU.`,
      { sku: request.sku },
      '/sku',
    );
  }

  const customerId = request.customerCode ? await findCustomerId(trx, companyId, request.customerCode, priceList.currency) : null;

  const item = await trx
    .insertInto('price_list_item')
    .values({
      company_id: companyId,
      price_list_id: priceList.id,
      product_id: product.id,
      customer_id: customerId,
      min_quantity: request.minQuantity,
      unit_price: request.unitPrice,
      valid_from: request.validFrom,
      valid_to: request.validTo ?? null,
    })
    .returning(['id', 'min_quantity', 'unit_price', 'valid_from', 'valid_to'])
    .executeTakeFirstOrThrow();

  const view: PriceListItemView = {
    id: item.id,
    sku: request.sku,
    customerCode: request.customerCode ?? null,
    minQuantity: new Dec(item.min_quantity).toString(),
    unitPrice: new Dec(item.unit_price).toString(),
    validFrom: item.valid_from,
    validTo: item.valid_to,
  };

  await appendHistory(trx, {
    companyId,
    entityType: 'price_list',
    entityId: priceList.id,
    orderId: null,
    event: 'price_set',
    actor: ctx.actor,
    details: {
      priceListCode: request.priceListCode,
      priceListItemId: view.id,
      sku: view.sku,
      customerCode: view.customerCode,
      currency: priceList.currency,
      minQuantity: view.minQuantity,
      unitPrice: view.unitPrice,
      validFrom: view.validFrom,
      validTo: view.validTo,
    },
    occurredAt: ctx.clock.now(),
  });

  return view;
}

/**
 * Finds the customer of a customer-specific price. The customer must buy in
 * the list's currency, because orders only use lists in the customer's currency.
 */
async function findCustomerId(trx: Tx, companyId: string, customerCode: string, listCurrency: string): Promise<string> {
  const customer = await trx
    .selectFrom('customer')
    .select(['id', 'currency'])
    .where('company_id', '=', companyId)
    .where('code', '=', customerCode)
    .executeTakeFirst();
  if (!customer) {
    rejectAndRollBack(
      'customer_not_found',
      `Customer ${customerCode} was not found. Create the customer or correct the customer code.`,
      { customerCode },
      '/customerCode',
    );
  }
  if (customer.currency !== listCurrency) {
    rejectAndRollBack(
      'currency_mismatch',
      `Customer ${customerCode} buys in ${customer.currency} but the price list is in ${listCurrency}. ` +
        `Add the price to a ${customer.currency} price list.`,
      { customerCode, customerCurrency: customer.currency, priceListCurrency: listCurrency },
      '/customerCode',
    );
  }
  return customer.id;
}
