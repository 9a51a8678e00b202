import { z } from 'zod';

import { isKnownCurrency } from '../../money/index.js';
import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { isUniqueViolation } from '../../platform/database.js';
import { appendHistory } from '../../platform/history.js';
import { reject, rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { DECIMAL_STRING, validateInput } from '../../platform/validation.js';
import { businessCode, countryCode, currencyCode } from '../../shared/field-schemas.js';
import { creditLimitToMinorUnits } from '../credit-limit.js';
import { getCustomer, type CustomerView } from '../queries/get-customer.js';

export const customerAddressSchema = z.object({
  name: z.string().trim().min(1, 'must not be empty'),
  line1: z.string().trim().min(1, 'must not be empty'),
  line2: z.string().nullish(),
  city: z.string().trim().min(1, 'must not be empty'),
  region: z.string().nullish(),
  postalCode: z.string().nullish(),
  countryCode,
});

export const createCustomerSchema = z
  .object({
    code: businessCode,
    name: z.string().trim().min(1, 'must not be empty'),
    currency: currencyCode,
    paymentTermsCode: z.string().min(1, 'must not be empty'),
    /** Credit limit in major units of `currency`, such as "5000.00". Null or absent means no limit. */
    creditLimit: z.string().regex(DECIMAL_STRING, 'must be a decimal string of 0 or more, such as "5000.00"').nullish(),
    taxExempt: z.boolean().default(false),
    taxExemptionReason: z.string().trim().min(1, 'must not be empty').nullish(),
    blocked: z.boolean().default(false),
    /** The customer's own price list. Absent means the company default list for `currency`. */
    priceListCode: z.string().min(1, 'must not be empty').nullish(),
    billTo: customerAddressSchema,
    /** The first address is the default ship-to. */
    shipTo: z
      .array(customerAddressSchema)
      .min(1, 'must contain at least one address; the first is the default ship-to')
      .max(100, 'must contain at most 100 addresses'),
  })
  .superRefine((customer, context) => {
    if (customer.taxExempt === true && !customer.taxExemptionReason) {
      context.addIssue({
        code: 'custom',
        path: ['taxExemptionReason'],
        message: 'is required when taxExempt is true, for example the legal basis or the exemption certificate number',
      });
    }
    if (customer.taxExempt === false && customer.taxExemptionReason) {
      context.addIssue({
        code: 'custom',
        path: ['taxExemptionReason'],
        message: 'must be absent unless taxExempt is true',
      });
    }
  });

export type CreateCustomerInput = z.input<typeof createCustomerSchema>;
type CreateCustomerRequest = z.output<typeof createCustomerSchema>;
type AddressRequest = z.output<typeof customerAddressSchema>;

/**
 * Creates a customer with its bill-to and ship-to addresses and writes a
 * `created` history row. The payment terms and price list must already exist
 * for the company.
 */
export async function createCustomer(ctx: CommandContext, input: CreateCustomerInput): Promise<Result<CustomerView>> {
  const validated = validateInput(createCustomerSchema, input);
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

  let creditLimitMinor: bigint | null = null;
  if (request.creditLimit != null) {
    const converted = creditLimitToMinorUnits(request.creditLimit, request.currency);
    if (!converted.ok) return converted;
    creditLimitMinor = converted.value;
  }

  try {
    return await runCommand(ctx, 'create-customer', (trx) => insertCustomer(trx, ctx, request, creditLimitMinor));
  } catch (error) {
    // The unique key decides, so two clerks creating the same code at once
    // get one customer and one rejection.
    if (isUniqueViolation(error, 'customer_company_id_code_key')) {
      return reject(
        'duplicate_customer_code',
        `Customer code ${request.code} is already in use. Choose another code.`,
        { customerCode: request.code },
        '/code',
      );
    }
    throw error;
  }
}

async function insertCustomer(
  trx: Tx,
  ctx: CommandContext,
  request: CreateCustomerRequest,
  creditLimitMinor: bigint | null,
): Promise<CustomerView> {
  await requirePaymentTerms(trx, ctx.companyId, request.paymentTermsCode);
  const priceListId = request.priceListCode ? await findPriceListId(trx, ctx.companyId, request.priceListCode, request.currency) : null;

  const inserted = await trx
    .insertInto('customer')
    .values({
      company_id: ctx.companyId,
      code: request.code,
      name: request.name,
      currency: request.currency,
      payment_terms_code: request.paymentTermsCode,
      credit_limit_minor: creditLimitMinor,
      tax_exempt: request.taxExempt,
      tax_exemption_reason: request.taxExemptionReason ?? null,
      blocked: request.blocked,
      price_list_id: priceListId,
      created_at: ctx.clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  const addresses = [
    toAddressRow(request.billTo, 'bill_to', true),
    ...request.shipTo.map((address, index) => toAddressRow(address, 'ship_to', index === 0)),
  ];
  await trx
    .insertInto('customer_address')
    .values(addresses.map((address) => ({ ...address, company_id: ctx.companyId, customer_id: inserted.id })))
    .execute();

  await appendHistory(trx, {
    companyId: ctx.companyId,
    entityType: 'customer',
    entityId: inserted.id,
    orderId: null,
    event: 'created',
    toStatus: request.blocked ? 'blocked' : 'active',
    actor: ctx.actor,
    details: {
      code: request.code,
      currency: request.currency,
      paymentTermsCode: request.paymentTermsCode,
      creditLimit: request.creditLimit ?? null,
      taxExempt: request.taxExempt,
      priceListCode: request.priceListCode ?? null,
    },
    occurredAt: ctx.clock.now(),
  });

  return getCustomer(trx, ctx.companyId, request.code);
}

async function requirePaymentTerms(trx: Tx, companyId: string, code: string): Promise<void> {
  const terms = await trx.selectFrom('payment_terms').select('code').where('company_id', '=', companyId).orderBy('code').execute();
  const known = terms.map((row) => row.code);
  if (!known.includes(code)) {
    rejectAndRollBack(
      'unknown_payment_terms',
      `Unknown payment terms ${code}. Use one of ${known.join(', ') || '(none set up)'}.`,
      { paymentTermsCode: code, knownPaymentTerms: known },
      '/paymentTermsCode',
    );
  }
}

async function findPriceListId(trx: Tx, companyId: string, code: string, customerCurrency: string): Promise<string> {
  const priceList = await trx
    .selectFrom('price_list')
    .select(['id', 'currency'])
    .where('company_id', '=', companyId)
    .where('code', '=', code)
    .executeTakeFirst();
  if (!priceList) {
    rejectAndRollBack(
      'price_list_not_found',
      `Price list ${code} was not found. Create it first or correct the price list code.`,
      { priceListCode: code },
      '/priceListCode',
    );
  }
  if (priceList.currency !== customerCurrency) {
    rejectAndRollBack(
      'currency_mismatch',
      `Price list ${code} is in ${priceList.currency} but the customer buys in ${customerCurrency}. ` +
        `Choose a ${customerCurrency} price list.`,
      { priceListCode: code, priceListCurrency: priceList.currency, customerCurrency },
      '/priceListCode',
    );
  }
  return priceList.id;
}

function toAddressRow(address: AddressRequest, purpose: 'bill_to' | 'ship_to', isDefault: boolean) {
  return {
    purpose,
    is_default: isDefault,
    name: address.name,
    line1: address.line1,
    line2: address.line2 ?? null,
    city: address.city,
    region: address.region ?? null,
    postal_code: address.postalCode ?? null,
    country_code: address.countryCode,
  };
}
