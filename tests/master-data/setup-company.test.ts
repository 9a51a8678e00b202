import { randomUUID } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { STANDARD_PAYMENT_TERMS } from '../../src/invoicing/rules/payment-terms.js';
import { ManualClock } from '../../src/platform/clock.js';
import { findCompany, setupCompany, type SetupCompanyInput } from '../../src/platform/company/setup-company.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BUSINESS_TIME } from './fixture.js';

let database: TestDatabase;
const clock = new ManualClock(BUSINESS_TIME);

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function companyInput(overrides: Partial<SetupCompanyInput> = {}): SetupCompanyInput {
  return { code: `CO-${randomUUID().slice(0, 8)}`, name: 'Acme GmbH', currency: 'EUR', countryCode: 'DE', ...overrides };
}

async function companyHistory(companyId: string) {
  return database.db.selectFrom('history').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
}

async function countMasterData(companyId: string) {
  const count = async (table: 'payment_terms' | 'price_list' | 'warehouse') => {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  };
  return { paymentTerms: await count('payment_terms'), priceLists: await count('price_list'), warehouses: await count('warehouse') };
}

describe('setupCompany', () => {
  it('creates company with terms, price list, warehouse', async () => {
    const input = companyInput({ countryCode: 'AT' });
    const companyId = await setupCompany(database.db, clock, input);

    const company = await database.db.selectFrom('company').selectAll().where('id', '=', companyId).executeTakeFirstOrThrow();
    expect(company.code).toBe(input.code);
    expect(company.currency).toBe('EUR');
    expect(company.country_code).toBe('AT');
    expect(company.created_at.toISOString()).toBe(BUSINESS_TIME.toISOString());

    const terms = await database.db.selectFrom('payment_terms').selectAll().where('company_id', '=', companyId).execute();
    expect(terms.map((row) => row.code).sort()).toEqual(STANDARD_PAYMENT_TERMS.map((row) => row.code).sort());
    const skonto = terms.find((row) => row.code === '2/10 NET30');
    expect(skonto?.discount_days).toBe(10);
    expect(skonto?.discount_percent).toBe('2.0000');

    const priceLists = await database.db.selectFrom('price_list').selectAll().where('company_id', '=', companyId).execute();
    expect(priceLists).toHaveLength(1);
    expect(priceLists[0]).toMatchObject({ code: 'DEFAULT-EUR', currency: 'EUR', prices_include_tax: false, is_default: true });

    const warehouses = await database.db.selectFrom('warehouse').selectAll().where('company_id', '=', companyId).execute();
    expect(warehouses).toHaveLength(1);
    expect(warehouses[0]).toMatchObject({ code: 'MAIN', country_code: 'AT', priority: 100 });
  });

  it('writes created history rows as system', async () => {
    const input = companyInput({ countryCode: 'AT', pricesIncludeTax: true });
    const companyId = await setupCompany(database.db, clock, input);

    const priceList = await database.db.selectFrom('price_list').select('id').where('company_id', '=', companyId).executeTakeFirstOrThrow();
    const warehouse = await database.db.selectFrom('warehouse').select('id').where('company_id', '=', companyId).executeTakeFirstOrThrow();
    const history = await companyHistory(companyId);
    expect(history.map((row) => [row.entity_type, row.entity_id, row.event, row.actor, row.order_id])).toEqual([
      ['company', companyId, 'created', 'system', null],
      ['price_list', priceList.id, 'created', 'system', null],
      ['warehouse', warehouse.id, 'created', 'system', null],
    ]);
    for (const row of history) {
      expect(row.occurred_at.toISOString(), row.entity_type).toBe(BUSINESS_TIME.toISOString());
    }
    expect(history[0]?.details).toEqual({
      code: input.code,
      name: 'Acme GmbH',
      currency: 'EUR',
      countryCode: 'AT',
      paymentTermsCodes: STANDARD_PAYMENT_TERMS.map((terms) => terms.code),
    });
    expect(history[1]?.details).toEqual({ code: 'DEFAULT-EUR', currency: 'EUR', pricesIncludeTax: true, isDefault: true });
    expect(history[2]?.details).toEqual({ code: 'MAIN', name: 'Main warehouse', countryCode: 'AT', priority: 100 });
  });

  it('writes history with the given actor', async () => {
    const companyId = await setupCompany(database.db, clock, companyInput(), 'admin@example.com');

    const history = await companyHistory(companyId);
    expect(history.map((row) => row.actor)).toEqual(['admin@example.com', 'admin@example.com', 'admin@example.com']);
  });

  it('makes the default list tax-inclusive on request', async () => {
    const companyId = await setupCompany(database.db, clock, companyInput({ currency: 'GBP', countryCode: 'GB', pricesIncludeTax: true }));

    const priceList = await database.db.selectFrom('price_list').selectAll().where('company_id', '=', companyId).executeTakeFirstOrThrow();
    expect(priceList.code).toBe('DEFAULT-GBP');
    expect(priceList.prices_include_tax).toBe(true);
  });

  it('returns the same id when run twice', async () => {
    const input = companyInput();
    const firstId = await setupCompany(database.db, clock, input);
    const before = await countMasterData(firstId);

    const historyBefore = await companyHistory(firstId);

    const secondId = await setupCompany(database.db, clock, { ...input, name: 'Renamed GmbH', pricesIncludeTax: true });

    expect(secondId).toBe(firstId);
    expect(await countMasterData(firstId)).toEqual(before);
    expect(await companyHistory(firstId)).toEqual(historyBefore);
    const company = await findCompany(database.db, input.code);
    expect(company?.name).toBe('Acme GmbH');
    const priceList = await database.db.selectFrom('price_list').selectAll().where('company_id', '=', firstId).executeTakeFirstOrThrow();
    expect(priceList.prices_include_tax).toBe(false);
  });

  it('returns one id for concurrent setups', async () => {
    const input = companyInput();

    const ids = await Promise.all([setupCompany(database.db, clock, input), setupCompany(database.db, clock, input)]);

    expect(ids[0]).toBe(ids[1]);
    expect(await countMasterData(ids[0])).toEqual({
      paymentTerms: STANDARD_PAYMENT_TERMS.length,
      priceLists: 1,
      warehouses: 1,
    });
    expect(await companyHistory(ids[0])).toHaveLength(3);
  });

  it('rejects unknown currency', async () => {
    const input = companyInput({ currency: 'XYZ' });

    await expect(setupCompany(database.db, clock, input)).rejects.toThrow(/Unknown currency "XYZ"/);
    expect(await findCompany(database.db, input.code)).toBeNull();
  });

  it('rejects invalid country code', async () => {
    for (const countryCode of ['XX', 'de', 'UK', 'DEU']) {
      await expect(setupCompany(database.db, clock, companyInput({ countryCode })), countryCode).rejects.toThrow(
        /Invalid country code/,
      );
    }
  });

  it('rejects blank code and name', async () => {
    await expect(setupCompany(database.db, clock, companyInput({ code: ' ' }))).rejects.toThrow(/Invalid company code/);
    await expect(setupCompany(database.db, clock, companyInput({ name: '' }))).rejects.toThrow(/Invalid name/);
  });
});

describe('findCompany', () => {
  it('returns the company by code', async () => {
    const input = companyInput({ currency: 'JPY', countryCode: 'JP' });
    const companyId = await setupCompany(database.db, clock, input);

    expect(await findCompany(database.db, input.code)).toEqual({
      id: companyId,
      code: input.code,
      name: 'Acme GmbH',
      currency: 'JPY',
      countryCode: 'JP',
    });
  });

  it('returns null for unknown code', async () => {
    expect(await findCompany(database.db, 'NO-SUCH-COMPANY')).toBeNull();
  });
});
