import type { Selectable } from 'kysely';

import type { Tx } from '../../platform/command.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { CustomerTable } from '../../platform/schema.js';
import type { AddressInput } from '../purchase-order-input.js';

export type CustomerRow = Selectable<CustomerTable>;

/** Ship-to address as stored on the order: a copy, so later edits to the customer do not change it. */
export interface ShipTo {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
  [key: string]: unknown;
}

export async function lockCustomerByCode(trx: Tx, companyId: string, customerCode: string): Promise<CustomerRow> {
  const customer = await trx
    .selectFrom('customer')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('code', '=', customerCode)
    .forUpdate()
    .executeTakeFirst();
  if (!customer) {
    rejectAndRollBack(
      'customer_not_found',
      `Customer ${customerCode} was not found; create the customer or correct the customer code.`,
      { customerCode },
      '/customerCode',
    );
  }
  return customer;
}

/** Returns the customer's own price list, else the company default for the customer's currency. */
export async function resolvePriceList(trx: Tx, companyId: string, customer: CustomerRow) {
  const priceList = await trx
    .selectFrom('price_list')
    .select(['id', 'code', 'currency', 'prices_include_tax'])
    .where('company_id', '=', companyId)
    .where((eb) =>
      customer.price_list_id
        ? eb('id', '=', customer.price_list_id)
        : eb.and([eb('currency', '=', customer.currency), eb('is_default', '=', true)]),
    )
    .executeTakeFirst();
  if (!priceList) {
    rejectAndRollBack(
      'price_list_missing',
      `No price list for customer ${customer.code} in ${customer.currency}; assign one or create a default ${customer.currency} price list.`,
      { customerCode: customer.code, currency: customer.currency },
    );
  }
  if (priceList.currency !== customer.currency) {
    rejectAndRollBack(
      'currency_mismatch',
      `Price list ${priceList.code} is in ${priceList.currency} but customer ${customer.code} buys in ${customer.currency}.`,
      { customerCode: customer.code, customerCurrency: customer.currency, priceListCurrency: priceList.currency },
    );
  }
  return priceList;
}

/** Returns the ship-to of the purchase order, else the customer's default ship-to address. */
export async function resolveShipTo(trx: Tx, customer: CustomerRow, requested: AddressInput | null): Promise<ShipTo> {
  if (requested) {
    return {
      name: requested.name,
      line1: requested.line1,
      line2: requested.line2 ?? null,
      city: requested.city,
      region: requested.region ?? null,
      postalCode: requested.postalCode ?? null,
      countryCode: requested.countryCode,
    };
  }

  const address = await trx
    .selectFrom('customer_address')
    .selectAll()
    .where('customer_id', '=', customer.id)
    .where('purpose', '=', 'ship_to')
    .orderBy('is_default', 'desc')
    .executeTakeFirst();
  if (!address) {
    rejectAndRollBack(
      'validation_failed',
      `Customer ${customer.code} has no ship-to address; send shipTo with the order or add one to the customer.`,
      { customerCode: customer.code },
      '/shipTo',
    );
  }
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postal_code,
    countryCode: address.country_code,
  };
}
