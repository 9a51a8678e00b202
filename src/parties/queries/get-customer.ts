import type { Kysely, Selectable } from 'kysely';

import { Dec, formatMinorUnits } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { CustomerAddressTable, DB } from '../../platform/schema.js';

export interface CustomerAddressView {
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
  isDefault: boolean;
}

export interface PaymentTermsView {
  code: string;
  description: string;
  netDays: number;
  discountDays: number | null;
  /** Early-payment discount in percent as a decimal string, such as "2", or null without a discount. */
  discountPercent: string | null;
}

/** A customer as clerks and integrators see it, with the credit limit as a decimal string in `currency`. */
export interface CustomerView {
  id: string;
  code: string;
  name: string;
  currency: string;
  paymentTerms: PaymentTermsView;
  /** Credit limit in major units of `currency`, such as "5000.00", or null when the customer has no limit. */
  creditLimit: string | null;
  taxExempt: boolean;
  taxExemptionReason: string | null;
  blocked: boolean;
  /** The customer's own price list, or null when orders use the company default for `currency`. */
  priceListCode: string | null;
  /** The default bill-to address, or null for a customer stored without one. */
  billTo: CustomerAddressView | null;
  /** Ship-to addresses, the default first. */
  shipTo: CustomerAddressView[];
  createdAt: string;
}

/** Reads one customer by code with addresses and payment terms. Works inside or outside a transaction. */
export async function getCustomer(db: Kysely<DB>, companyId: string, customerCode: string): Promise<CustomerView> {
  const customer = await db
    .selectFrom('customer')
    .innerJoin('payment_terms', (join) =>
      join
        .onRef('payment_terms.company_id', '=', 'customer.company_id')
        .onRef('payment_terms.code', '=', 'customer.payment_terms_code'),
    )
    .leftJoin('price_list', 'price_list.id', 'customer.price_list_id')
    .selectAll('customer')
    .select([
      'payment_terms.description as terms_description',
      'payment_terms.net_days as terms_net_days',
      'payment_terms.discount_days as terms_discount_days',
      'payment_terms.discount_percent as terms_discount_percent',
      'price_list.code as price_list_code',
    ])
    .where('customer.company_id', '=', companyId)
    .where('customer.code', '=', customerCode)
    .executeTakeFirst();
  if (!customer) {
    rejectAndRollBack(
      'customer_not_found',
      `Customer ${customerCode} was not found. Create the customer or correct the customer code.`,
      { customerCode },
    );
  }

  const addresses = await db
    .selectFrom('customer_address')
    .selectAll()
    .where('customer_id', '=', customer.id)
    // The table stores no position, so the rest follow the default by name.
    .orderBy('is_default', 'desc')
    .orderBy('name')
    .orderBy('line1')
    .execute();
  const billTo = addresses.find((address) => address.purpose === 'bill_to');

  return {
    id: customer.id,
    code: customer.code,
    name: customer.name,
    currency: customer.currency,
    paymentTerms: {
      code: customer.payment_terms_code,
      description: customer.terms_description,
      netDays: customer.terms_net_days,
      discountDays: customer.terms_discount_days,
      discountPercent: customer.terms_discount_percent === null ? null : new Dec(customer.terms_discount_percent).toString(),
    },
    creditLimit: customer.credit_limit_minor === null ? null : formatMinorUnits(customer.credit_limit_minor, customer.currency),
    taxExempt: customer.tax_exempt,
    taxExemptionReason: customer.tax_exemption_reason,
    blocked: customer.blocked,
    priceListCode: customer.price_list_code,
    billTo: billTo ? toAddressView(billTo) : null,
    shipTo: addresses.filter((address) => address.purpose === 'ship_to').map(toAddressView),
    createdAt: customer.created_at.toISOString(),
  };
}

function toAddressView(address: Selectable<CustomerAddressTable>): CustomerAddressView {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    region: address.region,
    postalCode: address.postal_code,
    countryCode: address.country_code,
    isDefault: address.is_default,
  };
}
