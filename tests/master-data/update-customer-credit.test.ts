import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createCustomer, type CreateCustomerInput } from '../../src/parties/commands/create-customer.js';
import { updateCustomerCredit } from '../../src/parties/commands/update-customer-credit.js';
import type { CommandContext } from '../../src/platform/command.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { expectRejection, expectSuccess, failedPointers, newCompanyContext } from './fixture.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

const address = { name: 'Dupont SARL', line1: '12 rue de la Paix', city: 'Paris', postalCode: '75002', countryCode: 'FR' };

async function customerWith(ctx: CommandContext, overrides: Partial<CreateCustomerInput> = {}) {
  return expectSuccess(
    await createCustomer(ctx, {
      code: 'C-2000',
      name: 'Dupont SARL',
      currency: 'EUR',
      paymentTermsCode: 'NET30',
      creditLimit: '1000.00',
      billTo: address,
      shipTo: [address],
      ...overrides,
    }),
  );
}

async function creditHistory(ctx: CommandContext, customerId: string) {
  return ctx.db
    .selectFrom('history')
    .selectAll()
    .where('entity_id', '=', customerId)
    .where('event', '!=', 'created')
    .orderBy('id')
    .execute();
}

describe('updateCustomerCredit', () => {
  it('raises the limit with history', async () => {
    const ctx = await newCompanyContext(database);
    const customer = await customerWith(ctx);

    const outcome = expectSuccess(
      await updateCustomerCredit(ctx, { customerCode: 'C-2000', creditLimit: '2500.50', reason: 'Annual review approved' }),
    );

    expect(outcome.customer.creditLimit).toBe('2500.50');
    expect(outcome.previousCreditLimitMinor).toBe(100000n);
    expect(outcome.previouslyBlocked).toBe(false);
    expect(outcome.events).toEqual(['credit_limit_changed']);
    const history = await creditHistory(ctx, customer.id);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      entity_type: 'customer',
      event: 'credit_limit_changed',
      reason: 'Annual review approved',
      actor: 'test-clerk',
      details: { currency: 'EUR', from: '1000.00', to: '2500.50' },
    });
  });

  it('removes the limit with null', async () => {
    const ctx = await newCompanyContext(database);
    const customer = await customerWith(ctx);

    const outcome = expectSuccess(await updateCustomerCredit(ctx, { customerCode: 'C-2000', creditLimit: null, reason: 'Parent guarantee' }));

    expect(outcome.customer.creditLimit).toBeNull();
    const history = await creditHistory(ctx, customer.id);
    expect(history[0]?.details).toEqual({ currency: 'EUR', from: '1000.00', to: null });
  });

  it('sets a limit where there was none', async () => {
    const ctx = await newCompanyContext(database);
    await customerWith(ctx, { creditLimit: null });

    const outcome = expectSuccess(await updateCustomerCredit(ctx, { customerCode: 'C-2000', creditLimit: '0', reason: 'Prepayment only' }));

    expect(outcome.previousCreditLimitMinor).toBeNull();
    expect(outcome.customer.creditLimit).toBe('0.00');
    expect(outcome.events).toEqual(['credit_limit_changed']);
  });

  it('blocks and unblocks with status history', async () => {
    const ctx = await newCompanyContext(database);
    const customer = await customerWith(ctx);

    const blocked = expectSuccess(await updateCustomerCredit(ctx, { customerCode: 'C-2000', blocked: true, reason: 'Cheque bounced' }));
    const unblocked = expectSuccess(await updateCustomerCredit(ctx, { customerCode: 'C-2000', blocked: false, reason: 'Paid in cash' }));

    expect(blocked.customer.blocked).toBe(true);
    expect(blocked.events).toEqual(['blocked']);
    expect(unblocked.customer.blocked).toBe(false);
    expect(unblocked.previouslyBlocked).toBe(true);
    expect(unblocked.events).toEqual(['unblocked']);
    const history = await creditHistory(ctx, customer.id);
    expect(history.map((row) => [row.event, row.from_status, row.to_status, row.reason])).toEqual([
      ['blocked', 'active', 'blocked', 'Cheque bounced'],
      ['unblocked', 'blocked', 'active', 'Paid in cash'],
    ]);
  });

  it('changes limit and block together', async () => {
    const ctx = await newCompanyContext(database);
    const customer = await customerWith(ctx);

    const outcome = expectSuccess(
      await updateCustomerCredit(ctx, { customerCode: 'C-2000', creditLimit: '500', blocked: true, reason: 'Insolvency notice' }),
    );

    expect(outcome.events).toEqual(['credit_limit_changed', 'blocked']);
    expect(await creditHistory(ctx, customer.id)).toHaveLength(2);
  });

  it('writes nothing when values match', async () => {
    const ctx = await newCompanyContext(database);
    const customer = await customerWith(ctx);

    const outcome = expectSuccess(
      await updateCustomerCredit(ctx, { customerCode: 'C-2000', creditLimit: '1000', blocked: false, reason: 'Review' }),
    );

    expect(outcome.events).toEqual([]);
    expect(await creditHistory(ctx, customer.id)).toHaveLength(0);
  });

  it('rejects missing reason', async () => {
    const ctx = await newCompanyContext(database);
    await customerWith(ctx);

    const rejection = expectRejection(await updateCustomerCredit(ctx, { customerCode: 'C-2000', blocked: true, reason: ' ' }), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['/reason']);
  });

  it('rejects request without a change', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(await updateCustomerCredit(ctx, { customerCode: 'C-2000', reason: 'Review' }), 'validation_failed');

    expect(failedPointers(rejection)).toEqual(['']);
  });

  it('rejects more decimals than the currency has', async () => {
    const ctx = await newCompanyContext(database);
    const customer = await customerWith(ctx);

    const rejection = expectRejection(
      await updateCustomerCredit(ctx, { customerCode: 'C-2000', creditLimit: '1000.001', reason: 'Review' }),
      'validation_failed',
    );

    expect(rejection.pointer).toBe('/creditLimit');
    const stored = await ctx.db.selectFrom('customer').select('credit_limit_minor').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(stored.credit_limit_minor).toBe(100000n);
  });

  it('rejects unknown customer', async () => {
    const ctx = await newCompanyContext(database);

    const rejection = expectRejection(
      await updateCustomerCredit(ctx, { customerCode: 'NO-SUCH-CUSTOMER', blocked: true, reason: 'Review' }),
      'customer_not_found',
    );

    expect(rejection.pointer).toBe('/customerCode');
  });
});
