import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createProduct, type CreateProductInput } from '../../src/catalog/commands/create-product.js';
import { getProduct } from '../../src/catalog/queries/get-product.js';
import type { CommandContext } from '../../src/platform/command.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BUSINESS_TIME, expectRejection, expectSuccess, failedPointers, newCompanyContext, readHistory } from './fixture.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

function productInput(overrides: Partial<CreateProductInput> = {}): CreateProductInput {
  return { sku: 'WIDGET-1', name: 'Widget, blue', unitCode: 'C62', taxCategory: 'standard', ...overrides };
}

async function countProductHistory(ctx: CommandContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('history')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('company_id', '=', ctx.companyId)
    .where('entity_type', '=', 'product')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

async function countProducts(ctx: CommandContext): Promise<number> {
  const row = await ctx.db
    .selectFrom('product')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('company_id', '=', ctx.companyId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

describe('createProduct', () => {
  it('creates product with column defaults', async () => {
    const ctx = await newCompanyContext(database);

    const product = expectSuccess(await createProduct(ctx, productInput()));

    expect(product).toMatchObject({
      sku: 'WIDGET-1',
      name: 'Widget, blue',
      unitCode: 'C62',
      unitName: 'one',
      gtin: null,
      taxCategory: 'standard',
      standardCost: '0',
      replenishmentLeadTimeDays: 14,
      stocked: true,
      createdAt: BUSINESS_TIME.toISOString(),
    });
  });

  it('stores a non-stocked service item', async () => {
    const ctx = await newCompanyContext(database);

    const product = expectSuccess(await createProduct(ctx, productInput({ sku: 'POST', name: 'Postage', stocked: false })));

    expect(product.stocked).toBe(false);
  });

  it('stores cost, lead time and GTIN', async () => {
    const ctx = await newCompanyContext(database);

    const product = expectSuccess(
      await createProduct(
        ctx,
        productInput({ unitCode: 'KGM', gtin: ' 4006381333931 ', taxCategory: 'reduced', standardCost: '12.345678', replenishmentLeadTimeDays: 0 }),
      ),
    );

    expect(product).toMatchObject({
      unitCode: 'KGM',
      gtin: '4006381333931',
      taxCategory: 'reduced',
      standardCost: '12.345678',
      replenishmentLeadTimeDays: 0,
    });
    expect(await getProduct(ctx.db, ctx.companyId, 'WIDGET-1')).toEqual(product);
  });

  it('writes a created history row', async () => {
    const ctx = await newCompanyContext(database);

    const product = expectSuccess(
      await createProduct(ctx, productInput({ gtin: '4006381333931', taxCategory: 'reduced', standardCost: '12.50', stocked: false })),
    );

    const history = await readHistory(ctx, 'product', product.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ event: 'created', actor: 'test-clerk', order_id: null, reason: null });
    expect(history[0]?.occurred_at.toISOString()).toBe(BUSINESS_TIME.toISOString());
    expect(history[0]?.details).toEqual({
      sku: 'WIDGET-1',
      name: 'Widget, blue',
      unitCode: 'C62',
      gtin: '4006381333931',
      taxCategory: 'reduced',
      standardCost: '12.5',
      replenishmentLeadTimeDays: 14,
      stocked: false,
    });
  });

  it('rejects GTIN naming the expected check digit', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createProduct(ctx, productInput({ gtin: '4006381333932' })), 'invalid_gtin');

    expect(rejection.facts).toEqual({ gtin: '4006381333932', checkDigit: 2, expectedCheckDigit: 1 });
    expect(rejection.message).toContain('expected 1');
    expect(rejection.pointer).toBe('/gtin');
    expect(await countProducts(ctx)).toBe(0);
  });

  it('rejects GTIN of wrong length', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await createProduct(ctx, productInput({ gtin: '123456789' })), 'invalid_gtin');

    expect(rejection.facts).toEqual({ gtin: '123456789' });
    expect(rejection.message).toContain('has 9 digits');
  });

  it('rejects unknown unit code', async () => {
    const ctx = await newCompanyContext(database);

    for (const unitCode of ['PCS', 'kgm']) {
      const rejection = expectRejection(await createProduct(ctx, productInput({ unitCode })), 'invalid_unit_code');
      expect(rejection.facts, unitCode).toEqual({ unitCode });
      expect(rejection.pointer, unitCode).toBe('/unitCode');
    }
    expect(await countProducts(ctx)).toBe(0);
  });

  it('rejects duplicate SKU', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await createProduct(ctx, productInput()));

    const rejection = expectRejection(await createProduct(ctx, productInput({ name: 'Widget, red' })), 'duplicate_sku');

    expect(rejection.facts).toEqual({ sku: 'WIDGET-1' });
    expect(rejection.pointer).toBe('/sku');
    expect(await countProducts(ctx)).toBe(1);
    expect(await countProductHistory(ctx)).toBe(1);
  });

  it('rejects duplicate GTIN naming its SKU', async () => {
    const ctx = await newCompanyContext(database);
    expectSuccess(await createProduct(ctx, productInput({ gtin: '96385074' })));

    const rejection = expectRejection(await createProduct(ctx, productInput({ sku: 'WIDGET-2', gtin: '96385074' })), 'duplicate_gtin');

    expect(rejection.facts).toEqual({ gtin: '96385074', existingSku: 'WIDGET-1' });
  });

  it('rejects cost beyond the column scale', async () => {
    const ctx = await newCompanyContext(database);

    for (const standardCost of ['1.1234567', '1234567890123', '-1', '1e3']) {
      const rejection = expectRejection(await createProduct(ctx, productInput({ standardCost })), 'validation_failed');
      expect(failedPointers(rejection), standardCost).toEqual(['/standardCost']);
    }
  });

  it('rejects every invalid field at once', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(
      await createProduct(ctx, { sku: '', name: ' ', unitCode: 'C62', taxCategory: 'luxury' as 'standard', replenishmentLeadTimeDays: 1.5 }),
      'validation_failed',
    );

    expect(failedPointers(rejection).sort()).toEqual(['/name', '/replenishmentLeadTimeDays', '/sku', '/taxCategory']);
  });
});

describe('getProduct', () => {
  it('rejects unknown SKU', async () => {
    const ctx = await newCompanyContext(database);

    await expect(getProduct(ctx.db, ctx.companyId, 'NO-SUCH-SKU')).rejects.toMatchObject({
      rejection: { code: 'product_not_found', facts: { sku: 'NO-SUCH-SKU' } },
    });
  });
});
