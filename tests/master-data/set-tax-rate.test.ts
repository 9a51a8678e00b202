import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CommandContext } from '../../src/platform/command.js';
import { setTaxRate, type SetTaxRateInput } from '../../src/tax/commands/set-tax-rate.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BUSINESS_TIME, expectRejection, expectSuccess, failedPointers, newCompanyContext, readHistory } from './fixture.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function rateInput(overrides: Partial<SetTaxRateInput> = {}): SetTaxRateInput {
  return { countryCode: 'DE', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: '19', ...overrides };
}

/** Returns the history rows of the company's one tax rate for a country and tax category. */
async function taxRateHistory(ctx: CommandContext, countryCode: string, taxCategory: string) {
  const rate = await ctx.db
    .selectFrom('tax_rate')
    .select('id')
    .where('company_id', '=', ctx.companyId)
    .where('country_code', '=', countryCode)
    .where('tax_category', '=', taxCategory)
    .executeTakeFirstOrThrow();
  return readHistory(ctx, 'tax_rate', rate.id);
}

describe('setTaxRate', () => {
  it('inserts a new rate', async () => {
    const ctx = await newCompanyContext(database);

    const outcome = expectSuccess(await setTaxRate(ctx, rateInput()));

    expect(outcome).toEqual({
      taxRate: { countryCode: 'DE', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: '19' },
      previous: null,
    });
  });

  it('writes a tax_rate_set history row', async () => {
    const ctx = await newCompanyContext(database);

    expectSuccess(await setTaxRate(ctx, rateInput({ ratePercent: '19.00' })));

    const history = await taxRateHistory(ctx, 'DE', 'standard');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ event: 'tax_rate_set', actor: 'test-clerk', order_id: null, reason: null });
    expect(history[0]?.occurred_at.toISOString()).toBe(BUSINESS_TIME.toISOString());
    expect(history[0]?.details).toEqual({
      countryCode: 'DE',
      taxCategory: 'standard',
      vatCategoryCode: 'S',
      ratePercent: '19',
      previousVatCategoryCode: null,
      previousRatePercent: null,
    });
  });

  it('records the replaced rate in history', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await setTaxRate(ctx, rateInput({ taxCategory: 'reduced', ratePercent: '7' })));

    expectSuccess(await setTaxRate(ctx, rateInput({ taxCategory: 'reduced', vatCategoryCode: 'Z', ratePercent: '0' })));

    const history = await taxRateHistory(ctx, 'DE', 'reduced');
    expect(history.map((row) => row.event)).toEqual(['tax_rate_set', 'tax_rate_set']);
    expect(history[1]?.details).toEqual({
      countryCode: 'DE',
      taxCategory: 'reduced',
      vatCategoryCode: 'Z',
      ratePercent: '0',
      previousVatCategoryCode: 'S',
      previousRatePercent: '7',
    });
  });

  it('replaces the rate and returns the previous', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await setTaxRate(ctx, rateInput({ taxCategory: 'reduced', ratePercent: '7' })));

    const outcome = expectSuccess(await setTaxRate(ctx, rateInput({ taxCategory: 'reduced', ratePercent: '5.5' })));

    expect(outcome.taxRate.ratePercent).toBe('5.5');
    expect(outcome.previous).toEqual({ countryCode: 'DE', taxCategory: 'reduced', vatCategoryCode: 'S', ratePercent: '7' });
    const rows = await ctx.db.selectFrom('tax_rate').selectAll().where('company_id', '=', ctx.companyId).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rate_percent).toBe('5.5000');
  });

  it('accepts * and zero-rate categories', async () => {
    const ctx = await newCompanyContext(database);

    for (const vatCategoryCode of ['Z', 'E', 'AE', 'K', 'G', 'O']) {
      const outcome = expectSuccess(await setTaxRate(ctx, rateInput({ countryCode: '*', taxCategory: 'zero', vatCategoryCode, ratePercent: '0' })));
      expect(outcome.taxRate.vatCategoryCode).toBe(vatCategoryCode);
    }
    expectSuccess(await setTaxRate(ctx, rateInput({ countryCode: 'ES', vatCategoryCode: 'L', ratePercent: '7' })));
  });

  it('rejects invalid rates', async () => {
    const ctx = await newCompanyContext(database);
    const cases: [Partial<SetTaxRateInput>, string][] = [
      [{ ratePercent: '100' }, '/ratePercent'],
      [{ ratePercent: '-1' }, '/ratePercent'],
      [{ ratePercent: '19.12345' }, '/ratePercent'],
      [{ ratePercent: 'abc' }, '/ratePercent'],
      [{ ratePercent: '1e1' }, '/ratePercent'],
      [{ vatCategoryCode: 'S', ratePercent: '0' }, '/ratePercent'],
      [{ vatCategoryCode: 'Z', ratePercent: '5' }, '/ratePercent'],
      [{ vatCategoryCode: 'X' }, '/vatCategoryCode'],
      [{ vatCategoryCode: 's' }, '/vatCategoryCode'],
      [{ countryCode: 'XX' }, '/countryCode'],
      [{ countryCode: 'EL' }, '/countryCode'],
      [{ taxCategory: 'luxury' as 'standard' }, '/taxCategory'],
    ];

    for (const [overrides, pointer] of cases) {
      const rejection = expectRejection(await setTaxRate(ctx, rateInput(overrides)), 'validation_failed');
      expect(failedPointers(rejection), JSON.stringify(overrides)).toEqual([pointer]);
    }
    const rows = await ctx.db.selectFrom('tax_rate').selectAll().where('company_id', '=', ctx.companyId).execute();
    expect(rows).toHaveLength(0);
    const history = await ctx.db.selectFrom('history').select('id').where('company_id', '=', ctx.companyId).where('entity_type', '=', 'tax_rate').execute();
    expect(history).toHaveLength(0);
  });
});
