import type { Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

export interface PriceListItemView {
  id: string;
  sku: string;
  /** Customer the price is for, or null when it applies to every customer of the list. */
  customerCode: string | null;
  /** Smallest order line quantity the price applies to, as a decimal string. */
  minQuantity: string;
  /** Price of one unit in the list's currency, net or gross as the list's pricesIncludeTax sets. */
  unitPrice: string;
  validFrom: string;
  /** Last day the price applies, inclusive, or null for open-ended. */
  validTo: string | null;
}

export interface PriceListView {
  id: string;
  code: string;
  currency: string;
  pricesIncludeTax: boolean;
  isDefault: boolean;
  /** Ordered by SKU, then general prices before customer prices, then quantity break and start date. */
  items: PriceListItemView[];
}

/** Reads one price list by code with all its items. Works inside or outside a transaction. */
export async function getPriceList(db: Kysely<DB>, companyId: string, priceListCode: string): Promise<PriceListView> {
  const priceList = await db
    .selectFrom('price_list')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('code', '=', priceListCode)
    .executeTakeFirst();
  if (!priceList) {
    rejectAndRollBack(
      'price_list_not_found',
      `Price list ${priceListCode} was not found. Create it first or correct the price list code.`,
      { priceListCode },
    );
  }

  const items = await db
    .selectFrom('price_list_item')
    .innerJoin('product', 'product.id', 'price_list_item.product_id')
    .leftJoin('customer', 'customer.id', 'price_list_item.customer_id')
    .select([
      'price_list_item.id',
      'product.sku',
      'customer.code as customer_code',
      'price_list_item.min_quantity',
      'price_list_item.unit_price',
      'price_list_item.valid_from',
      'price_list_item.valid_to',
    ])
    .where('price_list_item.price_list_id', '=', priceList.id)
    .orderBy('product.sku')
    .orderBy('customer.code', (order) => order.nullsFirst())
    .orderBy('price_list_item.min_quantity')
    .orderBy('price_list_item.valid_from')
    .execute();

  return {
    id: priceList.id,
    code: priceList.code,
    currency: priceList.currency,
    pricesIncludeTax: priceList.prices_include_tax,
    isDefault: priceList.is_default,
    items: items.map((item) => ({
      id: item.id,
      sku: item.sku,
      customerCode: item.customer_code,
      minQuantity: new Dec(item.min_quantity).toString(),
      unitPrice: new Dec(item.unit_price).toString(),
      validFrom: item.valid_from,
      validTo: item.valid_to,
    })),
  };
}
