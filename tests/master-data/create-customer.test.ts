import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCustomer, type CreateCustomerInput } from '../../src/parties/commands/create-customer.js';
import { getCustomer } from '../../src/parties/queries/get-customer.js';
import type { CommandContext } from '../../src/platform/command.js';
import { RejectionError } from '../../src/platform/rejection.js';
import { createPriceList } from '../../src/pricing/commands/create-price-list.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BUSINESS_TIME, expectRejection, expectSuccess, failedPointers, newCompanyContext } from './fixture.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const address = {
  name: 'Müller Handel GmbH',
  line1: 'Hauptstraße 1',
  city: 'Berlin',
  postalCode: '10115',
  countryCode: 'DE',
};

function customerInput(overrides: Partial<CreateCustomerInput> = {}): CreateCustomerInput {
  return {
    code: 'C-1000',
    name: 'Müller Handel GmbH',
    currency: 'EUR',
    paymentTermsCode: 'NET30',
    creditLimit: '5000',
    billTo: address,
    shipTo: [
      { ...address, name: 'Müller Lager Nord', line1: 'Hafenweg 7', city: 'Hamburg', postalCode: '20457' },
      { ...address, name: 'Müller Lager Süd', line1: 'Industriestraße 3', city: 'München', postalCode: '80331' },
    ],
    ...overrides,
  };
}

async function countCustomers(ctx: CommandContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('customer')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('company_id', '=', ctx.companyId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('createCustomer', () => {
  it('creates customer with addresses and terms', async () => {
    const ctx = await newCompanyContext(database);

    const customer = expectSuccess(await createCustomer(ctx, customerInput()));

    expect(customer.code).toBe('C-1000');
    expect(customer.currency).toBe('EUR');
    expect(customer.creditLimit).toBe('5000.00');
    expect(customer.paymentTerms).toEqual({ code: 'NET30', description: 'Net 30 days', netDays: 30, discountDays: null, discountPercent: null });
    expect(customer.taxExempt).toBe(false);
    expect(customer.taxExemptionReason).toBeNull();
    expect(customer.blocked).toBe(false);
    expect(customer.priceListCode).toBeNull();
    expect(customer.createdAt).toBe(BUSINESS_TIME.toISOString());
    expect(customer.billTo).toMatchObject({ name: 'Müller Handel GmbH', city: 'Berlin', countryCode: 'DE', line2: null, isDefault: true });
    expect(customer.shipTo.map((shipTo) => [shipTo.city, shipTo.isDefault])).toEqual([
      ['Hamburg', true],
      ['München', false],
    ]);

    const stored = await ctx.db.selectFrom('customer').select('credit_limit_minor').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(stored.credit_limit_minor).toBe(500000n);
  });

  it('writes a created history row', async () => {
    const ctx = await newCompanyContext(database);

    const customer = expectSuccess(await createCustomer(ctx, customerInput({ blocked: true })));

    const history = await ctx.db.selectFrom('history').selectAll().where('entity_id', '=', customer.id).execute();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ entity_type: 'customer', event: 'created', to_status: 'blocked', actor: 'test-clerk', order_id: null });
    expect(history[0]?.occurred_at.toISOString()).toBe(BUSINESS_TIME.toISOString());
    expect(history[0]?.details).toMatchObject({ code: 'C-1000', currency: 'EUR', paymentTermsCode: 'NET30', creditLimit: '5000' });
  });

  it('stores no limit when creditLimit is null', async () => {
    const ctx = await newCompanyContext(database);

    const customer = expectSuccess(await createCustomer(ctx, customerInput({ creditLimit: null })));

    expect(customer.creditLimit).toBeNull();
  });

  it('converts the limit with the currency exponent', async () => {
    const ctx = await newCompanyContext(database);

    const yen = expectSuccess(await createCustomer(ctx, customerInput({ code: 'JP-1', currency: 'JPY', creditLimit: '1500000' })));
    const dinar = expectSuccess(await createCustomer(ctx, customerInput({ code: 'BH-1', currency: 'BHD', creditLimit: '250.125' })));

    expect(yen.creditLimit).toBe('1500000');
    expect(dinar.creditLimit).toBe('250.125');
    const stored = await ctx.db.selectFrom('customer').select('credit_limit_minor').where('id', '=', dinar.id).executeTakeFirstOrThrow();
    expect(stored.credit_limit_minor).toBe(250125n);
  });

  it('rejects more decimals than the currency has', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ currency: 'JPY', creditLimit: '1000.5' })), 'validation_failed');

    expect(rejection.pointer).toBe('/creditLimit');
    expect(rejection.message).toContain('JPY');
    expect(await countCustomers(ctx)).toBe(0);
  });

  it('accepts exempt customer with reason', async () => {
    const ctx = await newCompanyContext(database);

    const customer = expectSuccess(
      await createCustomer(ctx, customerInput({ taxExempt: true, taxExemptionReason: 'Exempt under § 4 Nr. 1 UStG' })),
    );

    expect(customer.taxExempt).toBe(true);
    expect(customer.taxExemptionReason).toBe('Exempt under § 4 Nr. 1 UStG');
  });

  it('assigns an existing price list', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await createPriceList(ctx, { code: 'WHOLESALE-EUR', currency: 'EUR', pricesIncludeTax: false }));

    const customer = expectSuccess(await createCustomer(ctx, customerInput({ priceListCode: 'WHOLESALE-EUR' })));

    expect(customer.priceListCode).toBe('WHOLESALE-EUR');
  });

  it('rejects duplicate customer code', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await createCustomer(ctx, customerInput()));

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ name: 'Another name' })), 'duplicate_customer_code');

    expect(rejection.facts).toEqual({ customerCode: 'C-1000' });
    expect(rejection.pointer).toBe('/code');
    expect(await countCustomers(ctx)).toBe(1);
  });

  it('allows the same code in another company', async () => {
    const first = await newCompanyContext(database);
    const second = await newCompanyContext(database);

    expectSuccess(await createCustomer(first, customerInput()));
    expectSuccess(await createCustomer(second, customerInput()));
  });

  it('rejects unknown currency', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ currency: 'XYZ' })), 'unknown_currency');

    expect(rejection.facts).toEqual({ currency: 'XYZ' });
    expect(rejection.pointer).toBe('/currency');
  });

  it('rejects malformed currency as invalid input', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ currency: 'eur' })), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['/currency']);
  });

  it('rejects unknown payment terms', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ paymentTermsCode: 'NET31' })), 'unknown_payment_terms');

    expect(rejection.pointer).toBe('/paymentTermsCode');
    expect(rejection.facts.paymentTermsCode).toBe('NET31');
    expect(rejection.facts.knownPaymentTerms).toContain('NET30');
    expect(rejection.message).toContain('NET30');
    expect(await countCustomers(ctx)).toBe(0);
  });

  it('rejects exempt customer without reason', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ taxExempt: true })), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['/taxExemptionReason']);
    expect(rejection.message).toContain('/taxExemptionReason');
  });

  it('rejects reason without exemption', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(
      await createCustomer(ctx, customerInput({ taxExempt: false, taxExemptionReason: 'Diplomatic mission' })),
      'validation_failed',
    );

    expect(failedPointers(rejection)).toEqual(['/taxExemptionReason']);
  });

  it('rejects invalid country codes', async () => {
    const ctx = await newCompanyContext(database);
    const input = customerInput({
      billTo: { ...address, countryCode: 'Germany' },
      shipTo: [address, { ...address, countryCode: 'UK' }, { ...address, countryCode: 'de' }],
    });

    const rejection = expectRejection(await createCustomer(ctx, input), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['/billTo/countryCode', '/shipTo/1/countryCode', '/shipTo/2/countryCode']);
    expect(rejection.message).toContain('ISO 3166-1 alpha-2');
    expect(await countCustomers(ctx)).toBe(0);
  });

  it('rejects customer without ship-to address', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ shipTo: [] })), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['/shipTo']);
  });

  it('rejects negative or non-decimal credit limit', async () => {
    const ctx = await newCompanyContext(database);

    for (const creditLimit of ['-100', '1e6', '1,000.00', '']) {
      const rejection = expectRejection(await createCustomer(ctx, customerInput({ creditLimit })), 'validation_failed');
      expect(failedPointers(rejection), creditLimit).toEqual(['/creditLimit']);
    }
  });

  it('rejects unknown price list', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ priceListCode: 'NO-SUCH-LIST' })), 'price_list_not_found');

    expect(rejection.pointer).toBe('/priceListCode');
    expect(await countCustomers(ctx)).toBe(0);
  });

  it('rejects price list in another currency', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await createPriceList(ctx, { code: 'EXPORT-USD', currency: 'USD', pricesIncludeTax: false }));

    const rejection = expectRejection(await createCustomer(ctx, customerInput({ priceListCode: 'EXPORT-USD' })), 'currency_mismatch');

    expect(rejection.facts).toEqual({ priceListCode: 'EXPORT-USD', priceListCurrency: 'USD', customerCurrency: 'EUR' });
  });
});

describe('getCustomer', () => {
  it('rejects unknown customer code', async () => {
    const ctx = await newCompanyContext(database);

    const read = getCustomer(ctx.db, ctx.companyId, 'NO-SUCH-CUSTOMER');

    await expect(read).rejects.toBeInstanceOf(RejectionError);
    await expect(read).rejects.toMatchObject({ rejection: { code: 'customer_not_found', facts: { customerCode: 'NO-SUCH-CUSTOMER' } } });
  });

  it('reads customers of its own company only', async () => {
    const owner = await newCompanyContext(database);
    const other = await newCompanyContext(database);
    expectSuccess(await createCustomer(owner, customerInput()));

    await expect(getCustomer(other.db, other.companyId, 'C-1000')).rejects.toMatchObject({ rejection: { code: 'customer_not_found' } });
  });

  it('shows discount terms as decimal strings', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await createCustomer(ctx, customerInput({ paymentTermsCode: '2/10 NET30' })));

    const customer = await getCustomer(ctx.db, ctx.companyId, 'C-1000');

    expect(customer.paymentTerms).toMatchObject({ code: '2/10 NET30', netDays: 30, discountDays: 10, discountPercent: '2' });
  });
});
