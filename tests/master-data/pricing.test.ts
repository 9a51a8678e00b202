import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createProduct } from '../../src/catalog/commands/create-product.js';
import { createCustomer } from '../../src/parties/commands/create-customer.js';
import type { CommandContext } from '../../src/platform/command.js';
import { createPriceList } from '../../src/pricing/commands/create-price-list.js';
import { setPrice, type SetPriceInput } from '../../src/pricing/commands/set-price.js';
import { getPriceList } from '../../src/pricing/queries/get-price-list.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BUSINESS_TIME, expectRejection, expectSuccess, failedPointers, newCompanyContext, readHistory } from './fixture.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const address = { name: 'Rossi S.p.A.', line1: 'Via Roma 1', city: 'Milano', countryCode: 'IT' };

/** Sets up a company with product WIDGET-1, EUR customer C-EUR and USD customer C-USD. */
async function pricingContext(): Promise<CommandContext> {
  const ctx = await newCompanyContext(database);
  expectSuccess(await createProduct(ctx, { sku: 'WIDGET-1', name: 'Widget', unitCode: 'C62', taxCategory: 'standard' }));
  for (const currency of ['EUR', 'USD']) {
    expectSuccess(
      await createCustomer(ctx, {
        code: `C-${currency}`,
        name: `Customer ${currency}`,
        currency,
        paymentTermsCode: 'NET30',
        billTo: address,
        shipTo: [address],
      }),
    );
  }
  return ctx;
}

function priceInput(overrides: Partial<SetPriceInput> = {}): SetPriceInput {
  return { priceListCode: 'DEFAULT-EUR', sku: 'WIDGET-1', unitPrice: '12.50', ...overrides };
}

/** Returns the price_set history rows of a price list, oldest first. */
async function priceSetHistory(ctx: CommandContext, priceListCode: string) {
  const priceList = await getPriceList(ctx.db, ctx.companyId, priceListCode);
  const history = await readHistory(ctx, 'price_list', priceList.id);
  return history.filter((row) => row.event === 'price_set');
}

describe('createPriceList', () => {
  it('creates an empty price list', async () => {
    const ctx = await newCompanyContext(database);

    const priceList = expectSuccess(await createPriceList(ctx, { code: 'RETAIL-CHF', currency: 'CHF', pricesIncludeTax: true, isDefault: true }));

    expect(priceList).toMatchObject({ code: 'RETAIL-CHF', currency: 'CHF', pricesIncludeTax: true, isDefault: true, items: [] });
  });

  it('writes a created history row', async () => {
    const ctx = await newCompanyContext(database);

    const priceList = expectSuccess(await createPriceList(ctx, { code: 'RETAIL-CHF', currency: 'CHF', pricesIncludeTax: true }));

    const history = await readHistory(ctx, 'price_list', priceList.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ event: 'created', actor: 'test-clerk', order_id: null, reason: null });
    expect(history[0]?.occurred_at.toISOString()).toBe(BUSINESS_TIME.toISOString());
    expect(history[0]?.details).toEqual({ code: 'RETAIL-CHF', currency: 'CHF', pricesIncludeTax: true, isDefault: false });
  });

  it('rejects duplicate price list code', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(
      await createPriceList(ctx, { code: 'DEFAULT-EUR', currency: 'EUR', pricesIncludeTax: false }),
      'duplicate_price_list_code',
    );

    expect(rejection.facts).toEqual({ priceListCode: 'DEFAULT-EUR' });
    expect(rejection.pointer).toBe('/code');
  });

  it('rejects a second default per currency', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(
      await createPriceList(ctx, { code: 'OTHER-EUR', currency: 'EUR', pricesIncludeTax: false, isDefault: true }),
      'duplicate_default_price_list',
    );

    expect(rejection.facts).toEqual({ currency: 'EUR', defaultPriceListCode: 'DEFAULT-EUR' });
    expect(rejection.message).toContain('DEFAULT-EUR');
  });

  it('rejects unknown currency', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createPriceList(ctx, { code: 'X', currency: 'ABC', pricesIncludeTax: false }), 'unknown_currency');

    expect(rejection.pointer).toBe('/currency');
  });
});

describe('setPrice', () => {
  it('adds a general price with defaults', async () => {
    const ctx = await pricingContext();

    const item = expectSuccess(await setPrice(ctx, priceInput()));

    expect(item).toMatchObject({ sku: 'WIDGET-1', customerCode: null, minQuantity: '1', unitPrice: '12.5', validFrom: '1900-01-01', validTo: null });
  });

  it('writes a price_set history row', async () => {
    const ctx = await pricingContext();

    const item = expectSuccess(
      await setPrice(ctx, priceInput({ unitPrice: '10.000001', minQuantity: '5.000', customerCode: 'C-EUR', validFrom: '2024-07-01', validTo: '2024-12-31' })),
    );

    const history = await priceSetHistory(ctx, 'DEFAULT-EUR');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ event: 'price_set', actor: 'test-clerk', order_id: null, reason: null });
    expect(history[0]?.occurred_at.toISOString()).toBe(BUSINESS_TIME.toISOString());
    expect(history[0]?.details).toEqual({
      priceListCode: 'DEFAULT-EUR',
      priceListItemId: item.id,
      sku: 'WIDGET-1',
      customerCode: 'C-EUR',
      currency: 'EUR',
      minQuantity: '5',
      unitPrice: '10.000001',
      validFrom: '2024-07-01',
      validTo: '2024-12-31',
    });
  });

  it('adds breaks, customer prices and later prices', async () => {
    const ctx = await pricingContext();

    expectSuccess(await setPrice(ctx, priceInput()));
    expectSuccess(await setPrice(ctx, priceInput({ unitPrice: '11.00', minQuantity: '10' })));
    expectSuccess(await setPrice(ctx, priceInput({ unitPrice: '10.000001', customerCode: 'C-EUR' })));
    expectSuccess(await setPrice(ctx, priceInput({ unitPrice: '13.00', validFrom: '2024-07-01', validTo: '2024-12-31' })));

    const priceList = await getPriceList(ctx.db, ctx.companyId, 'DEFAULT-EUR');
    expect(priceList.items.map((item) => [item.customerCode, item.minQuantity, item.unitPrice, item.validFrom, item.validTo])).toEqual([
      [null, '1', '12.5', '1900-01-01', null],
      [null, '1', '13', '2024-07-01', '2024-12-31'],
      [null, '10', '11', '1900-01-01', null],
      ['C-EUR', '1', '10.000001', '1900-01-01', null],
    ]);
  });

  it('rejects duplicate price list item', async () => {
    const ctx = await pricingContext();
    expectSuccess(await setPrice(ctx, priceInput({ customerCode: 'C-EUR', minQuantity: '5', validFrom: '2024-01-01' })));

    // "5.000" is the same quantity break as "5" for the numeric column.
    const rejection = expectRejection(
      await setPrice(ctx, priceInput({ unitPrice: '9.99', customerCode: 'C-EUR', minQuantity: '5.000', validFrom: '2024-01-01' })),
      'duplicate_price_list_item',
    );

    expect(rejection.facts).toEqual({
      priceListCode: 'DEFAULT-EUR',
      sku: 'WIDGET-1',
      customerCode: 'C-EUR',
      minQuantity: '5',
      validFrom: '2024-01-01',
    });
    expect(rejection.message).toContain('later validFrom');
    const priceList = await getPriceList(ctx.db, ctx.companyId, 'DEFAULT-EUR');
    expect(priceList.items.map((item) => item.unitPrice)).toEqual(['12.5']);
    const history = await priceSetHistory(ctx, 'DEFAULT-EUR');
    expect(history.map((row) => (row.details as { unitPrice: string }).unitPrice)).toEqual(['12.5']);
  });

  it('rejects duplicate general price', async () => {
    const ctx = await pricingContext();
    expectSuccess(await setPrice(ctx, priceInput()));

    expectRejection(await setPrice(ctx, priceInput({ unitPrice: '14.00' })), 'duplicate_price_list_item');
  });

  it('rejects validTo before validFrom', async () => {
    const ctx = await pricingContext();

    const rejection = expectRejection(await setPrice(ctx, priceInput({ validFrom: '2024-06-01', validTo: '2024-05-31' })), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['/validTo']);
  });

  it('rejects invalid amounts and dates', async () => {
    const ctx = await pricingContext();
    const cases: [Partial<SetPriceInput>, string][] = [
      [{ unitPrice: '-1' }, '/unitPrice'],
      [{ unitPrice: '1.1234567' }, '/unitPrice'],
      [{ minQuantity: '0' }, '/minQuantity'],
      [{ minQuantity: '0.000' }, '/minQuantity'],
      [{ validFrom: '2023-02-29' }, '/validFrom'],
      [{ validTo: '31.12.2024' }, '/validTo'],
      [{ validFrom: 'soon', validTo: '2024-12-31' }, '/validFrom'],
      [{ unitPrice: '1.1234567x' }, '/unitPrice'],
    ];

    for (const [overrides, pointer] of cases) {
      const rejection = expectRejection(await setPrice(ctx, priceInput(overrides)), 'validation_failed');
      expect(failedPointers(rejection), pointer).toEqual([pointer]);
    }
  });

  it('rejects unknown price list', async () => {
    const ctx = await pricingContext();

    const rejection = expectRejection(await setPrice(ctx, priceInput({ priceListCode: 'NO-SUCH-LIST' })), 'price_list_not_found');

    expect(rejection.pointer).toBe('/priceListCode');
  });

  it('rejects unknown SKU', async () => {
    const ctx = await pricingContext();

    const rejection = expectRejection(await setPrice(ctx, priceInput({ sku: 'NO-SUCH-SKU' })), 'product_not_found');

    expect(rejection.pointer).toBe('/sku');
  });

  it('rejects unknown customer', async () => {
    const ctx = await pricingContext();

    const rejection = expectRejection(await setPrice(ctx, priceInput({ customerCode: 'NO-SUCH-CUSTOMER' })), 'customer_not_found');

    expect(rejection.pointer).toBe('/customerCode');
  });

  it('rejects customer in another currency', async () => {
    const ctx = await pricingContext();

    const rejection = expectRejection(await setPrice(ctx, priceInput({ customerCode: 'C-USD' })), 'currency_mismatch');

    expect(rejection.facts).toEqual({ customerCode: 'C-USD', customerCurrency: 'USD', priceListCurrency: 'EUR' });
  });
});

describe('getPriceList', () => {
  it('rejects unknown price list code', async () => {
    const ctx = await newCompanyContext(database);

    await expect(getPriceList(ctx.db, ctx.companyId, 'NO-SUCH-LIST')).rejects.toMatchObject({
      rejection: { code: 'price_list_not_found', facts: { priceListCode: 'NO-SUCH-LIST' } },
    });
  });
});
