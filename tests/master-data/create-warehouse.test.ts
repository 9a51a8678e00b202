import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createWarehouse } from '../../src/inventory/commands/create-warehouse.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { BUSINESS_TIME, expectRejection, expectSuccess, failedPointers, newCompanyContext, readHistory } from './fixture.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

describe('createWarehouse', () => {
  it('creates warehouse with default priority', async () => {
    const ctx = await newCompanyContext(database);

    const warehouse = expectSuccess(await createWarehouse(ctx, { code: 'WEST', name: 'Lyon hub', countryCode: 'FR' }));

    expect(warehouse).toMatchObject({ code: 'WEST', name: 'Lyon hub', countryCode: 'FR', priority: 100 });
  });

  it('writes a created history row', async () => {
    const ctx = await newCompanyContext(database);

    const warehouse = expectSuccess(await createWarehouse(ctx, { code: 'WEST', name: 'Lyon hub', countryCode: 'FR', priority: 20 }));

    const history = await readHistory(ctx, 'warehouse', warehouse.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ event: 'created', actor: 'test-clerk', order_id: null, reason: null });
    expect(history[0]?.occurred_at.toISOString()).toBe(BUSINESS_TIME.toISOString());
    expect(history[0]?.details).toEqual({ code: 'WEST', name: 'Lyon hub', countryCode: 'FR', priority: 20 });
  });

  it('stores an explicit priority', async () => {
    const ctx = await newCompanyContext(database);

    const warehouse = expectSuccess(await createWarehouse(ctx, { code: 'EAST', name: 'Wien', countryCode: 'AT', priority: 10 }));

    expect(warehouse.priority).toBe(10);
  });

  it('rejects duplicate warehouse code', async () => {
    const ctx = await newCompanyContext(database);

    // setupCompany already created MAIN.
    const rejection = expectRejection(await createWarehouse(ctx, { code: 'MAIN', name: 'Second main', countryCode: 'DE' }), 'duplicate_warehouse_code');

    expect(rejection.facts).toEqual({ warehouseCode: 'MAIN' });
    expect(rejection.pointer).toBe('/code');
    const history = await ctx.db
      .selectFrom('history')
      .select('actor')
      .where('company_id', '=', ctx.companyId)
      .where('entity_type', '=', 'warehouse')
      .execute();
    expect(history).toEqual([{ actor: 'system' }]);
  });

  it('rejects invalid country and priority', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(
      await createWarehouse(ctx, { code: 'X', name: 'X', countryCode: 'UK', priority: -1 }),
      'validation_failed',
    );

    expect(failedPointers(rejection)).toEqual(['/countryCode', '/priority']);
  });
});
