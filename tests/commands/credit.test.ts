import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import { cancelLine } from '../../src/orders/commands/cancel-line.js';
import { changeLineQuantity } from '../../src/orders/commands/change-line-quantity.js';
import { releaseHold } from '../../src/orders/commands/release-hold.js';
import { getOrder } from '../../src/orders/queries/get-order.js';
import { updateCustomerCredit } from '../../src/parties/commands/update-customer-credit.js';
import { recordPayment } from '../../src/payments/commands/record-payment.js';
import { createScenario, expectNoViolations, expectSuccess, type Scenario } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Sets up a EUR company with UNIT at 100.00 net (119.00 gross), 50 in stock, and customer BUYER with `creditLimit`. */
async function creditScenario(creditLimit: string | null, db = database.db): Promise<Scenario> {
  const scenario = await createScenario(db);
  await scenario.addCustomer({ code: 'BUYER', creditLimit });
  await scenario.addProduct({ sku: 'UNIT', price: '100.00', stock: { MAIN: '50' } });
  return scenario;
}

function pay(scenario: Scenario, amount: string) {
  return recordPayment(scenario.ctx('cashier'), { customerCode: 'BUYER', amount, currency: 'EUR', receivedOn: '2024-03-05' });
}

async function holdRow(scenario: Scenario, orderId: string, reason: string) {
  return scenario.db
    .selectFrom('order_hold')
    .select(['resolution', 'resolved_by', 'facts'])
    .where('order_id', '=', orderId)
    .where('reason', '=', reason)
    .executeTakeFirstOrThrow();
}

describe('credit check at intake', () => {
  it('confirms within the limit', async () => {
    const scenario = await creditScenario('1000.00');

    const order = await scenario.submit('BUYER', { UNIT: '5' });

    expect(order.status).toBe('confirmed');
  });

  it('confirms exactly at the limit', async () => {
    const scenario = await creditScenario('595.00');

    const order = await scenario.submit('BUYER', { UNIT: '5' });

    expect(order.status).toBe('confirmed');
  });

  it('holds one cent over with facts', async () => {
    const scenario = await creditScenario('594.99');

    const order = await scenario.submit('BUYER', { UNIT: '5' });

    expect(order.status).toBe('on_hold');
    expect(order.holds.map((hold) => hold.reason)).toEqual(['credit_limit']);
    expect(order.holds[0]!.facts).toEqual({
      currency: 'EUR',
      creditLimit: '594.99',
      exposure: '595.00',
      openReceivables: '0.00',
      shippedNotInvoiced: '0.00',
      confirmedNotShipped: '0.00',
      thisOrder: '595.00',
      overLimit: '0.01',
    });
  });

  it('adds open AR and confirmed orders', async () => {
    const scenario = await creditScenario('1000.00');
    const shipped = await scenario.submit('BUYER', { UNIT: '2' });
    await scenario.shipAll(shipped.id);
    await scenario.submit('BUYER', { UNIT: '3' });
    const fits = await scenario.submit('BUYER', { UNIT: '1' });

    // Open AR 238.00 + confirmed 357.00 + 119.00 + this order 357.00 = 1071.00.
    const over = await scenario.submit('BUYER', { UNIT: '3' });

    expect(fits.status).toBe('confirmed');
    expect(over.status).toBe('on_hold');
    expect(over.holds[0]!.facts).toMatchObject({
      openReceivables: '238.00',
      confirmedNotShipped: '476.00',
      thisOrder: '357.00',
      exposure: '1071.00',
      overLimit: '71.00',
    });
  });

  it('orders on hold do not count', async () => {
    const scenario = await creditScenario('500.00');
    const held = await scenario.submit('BUYER', { UNIT: '5' });

    const next = await scenario.submit('BUYER', { UNIT: '4' });

    expect(held.status).toBe('on_hold');
    expect(next.status).toBe('confirmed');
  });

  it('unapplied cash lowers exposure', async () => {
    const scenario = await creditScenario('100.00');
    expectSuccess(await pay(scenario, '50.00'));

    const order = await scenario.submit('BUYER', { UNIT: '1' });

    expect(order.status).toBe('confirmed');
  });

  it('no limit never holds', async () => {
    const scenario = await creditScenario(null);

    const order = await scenario.submit('BUYER', { UNIT: '50' });

    expect(order.status).toBe('confirmed');
  });
});

describe('credit limit of zero', () => {
  it('holds any order', async () => {
    const scenario = await creditScenario('0');

    const order = await scenario.submit('BUYER', { UNIT: '1' });

    expect(order.status).toBe('on_hold');
    expect(order.holds[0]!.facts).toMatchObject({ creditLimit: '0.00', exposure: '119.00', overLimit: '119.00' });
  });

  it('prepayment covers the order', async () => {
    const scenario = await creditScenario('0');
    expectSuccess(await pay(scenario, '119.00'));

    const order = await scenario.submit('BUYER', { UNIT: '1' });

    expect(order.status).toBe('confirmed');
  });

  it('payment on account releases it', async () => {
    const scenario = await creditScenario('0');
    const order = await scenario.submit('BUYER', { UNIT: '1' });

    const outcome = expectSuccess(await pay(scenario, '119.00'));

    expect(outcome.releasedOrders).toEqual([order.orderNumber]);
    expect((await getOrder(scenario.db, scenario.companyId, order.id)).status).toBe('confirmed');
  });
});

describe('automatic release', () => {
  it('payment under the limit releases', async () => {
    const scenario = await creditScenario('500.00');
    const shipped = await scenario.submit('BUYER', { UNIT: '3' });
    await scenario.shipAll(shipped.id);
    const held = await scenario.submit('BUYER', { UNIT: '2' });
    expect(held.status).toBe('on_hold');

    // Open AR 357.00 − 200.00 + this order 238.00 = 395.00.
    const outcome = expectSuccess(await pay(scenario, '200.00'));
    const hold = await holdRow(scenario, held.id, 'credit_limit');

    expect(outcome.releasedOrders).toEqual([held.orderNumber]);
    expect((await getOrder(scenario.db, scenario.companyId, held.id)).status).toBe('confirmed');
    expect(hold.resolution).toBe('auto_released');
    expect(hold.resolved_by).toBe('system');
  });

  it('too small a payment keeps the hold', async () => {
    const scenario = await creditScenario('500.00');
    const shipped = await scenario.submit('BUYER', { UNIT: '3' });
    await scenario.shipAll(shipped.id);
    const held = await scenario.submit('BUYER', { UNIT: '2' });

    // Open AR 307.00 + this order 238.00 = 545.00.
    const outcome = expectSuccess(await pay(scenario, '50.00'));

    expect(outcome.releasedOrders).toEqual([]);
    expect((await getOrder(scenario.db, scenario.companyId, held.id)).status).toBe('on_hold');
  });

  it('released orders count for the next', async () => {
    const scenario = await creditScenario('500.00');
    const shipped = await scenario.submit('BUYER', { UNIT: '3' });
    await scenario.shipAll(shipped.id);
    scenario.setDate('2024-03-02');
    const older = await scenario.submit('BUYER', { UNIT: '2' });
    scenario.setDate('2024-03-03');
    const newer = await scenario.submit('BUYER', { UNIT: '3' });

    // After paying 357.00: older 238.00 fits; newer adds 357.00 to it, 595.00.
    const outcome = expectSuccess(await pay(scenario, '357.00'));

    expect(outcome.releasedOrders).toEqual([older.orderNumber]);
    expect((await getOrder(scenario.db, scenario.companyId, newer.id)).status).toBe('on_hold');
  });

  it('raised limit releases', async () => {
    const scenario = await creditScenario('100.00');
    const held = await scenario.submit('BUYER', { UNIT: '2' });

    expectSuccess(await updateCustomerCredit(scenario.ctx('credit-manager'), { customerCode: 'BUYER', creditLimit: '300.00', reason: 'annual review' }));

    expect((await getOrder(scenario.db, scenario.companyId, held.id)).status).toBe('confirmed');
  });

  it('unblocking releases', async () => {
    const scenario = await creditScenario(null);
    await scenario.addCustomer({ code: 'PAUSED', blocked: true });
    const held = await scenario.submit('PAUSED', { UNIT: '1' });

    expectSuccess(await updateCustomerCredit(scenario.ctx('credit-manager'), { customerCode: 'PAUSED', blocked: false, reason: 'dispute settled' }));

    expect((await getOrder(scenario.db, scenario.companyId, held.id)).status).toBe('confirmed');
  });

  it('cancelling a line can release', async () => {
    const scenario = await creditScenario('200.00');
    await scenario.addProduct({ sku: 'EXTRA', price: '100.00', stock: { MAIN: '5' } });
    const held = await scenario.submit('BUYER', { UNIT: '1', EXTRA: '1' });
    expect(held.status).toBe('on_hold');

    // Without EXTRA the order is 119.00, within 200.00.
    const after = expectSuccess(await cancelLine(scenario.ctx(), { orderId: held.id, lineNumber: 2, reason: 'drop extra' }));

    expect(after.status).toBe('confirmed');
  });

  it('lowered exposure alone keeps other holds', async () => {
    const scenario = await creditScenario('100.00');
    const held = await scenario.submit('BUYER', [{ sku: 'UNIT', quantity: '1', expectedUnitPrice: '90' }]);
    expect(held.holds.map((hold) => hold.reason).sort()).toEqual(['credit_limit', 'price_mismatch']);

    expectSuccess(await pay(scenario, '100.00'));
    const after = await getOrder(scenario.db, scenario.companyId, held.id);

    expect(after.status).toBe('on_hold');
    expect(after.holds.map((hold) => hold.reason)).toEqual(['price_mismatch']);
  });
});

describe('release by a person', () => {
  it('override lifts the credit hold', async () => {
    const scenario = await creditScenario('100.00');
    const held = await scenario.submit('BUYER', { UNIT: '2' });

    const outcome = expectSuccess(
      await releaseHold(scenario.ctx('credit-manager'), { orderId: held.id, overrides: ['credit_limit'], reason: 'approved by CFO' }),
    );
    const hold = await holdRow(scenario, held.id, 'credit_limit');
    const history = await scenario.db
      .selectFrom('history')
      .select(['actor', 'reason'])
      .where('order_id', '=', held.id)
      .where('event', '=', 'hold_released')
      .execute();

    expect(outcome.released).toEqual(['credit_limit']);
    expect(outcome.order.status).toBe('confirmed');
    expect(hold.resolution).toBe('released');
    expect(hold.resolved_by).toBe('credit-manager');
    expect(history).toEqual([{ actor: 'credit-manager', reason: 'approved by CFO' }]);
  });

  it('without override the hold stays', async () => {
    const scenario = await creditScenario('100.00');
    const held = await scenario.submit('BUYER', { UNIT: '2' });

    const outcome = expectSuccess(await releaseHold(scenario.ctx('clerk'), { orderId: held.id, reason: 'customer called' }));

    expect(outcome.released).toEqual([]);
    expect(outcome.remaining).toEqual(['credit_limit']);
    expect(outcome.order.status).toBe('on_hold');
  });
});

describe('quantity changes and credit', () => {
  it('increase over the limit holds', async () => {
    const scenario = await creditScenario('500.00');
    const order = await scenario.submit('BUYER', { UNIT: '4' });

    const changed = expectSuccess(await changeLineQuantity(scenario.ctx(), { orderId: order.id, lineNumber: 1, quantity: '5', reason: 'one more' }));

    expect(changed.status).toBe('on_hold');
    expect(changed.holds.map((hold) => hold.reason)).toEqual(['credit_limit']);
    expect(changed.holds[0]!.facts).toMatchObject({ thisOrder: '595.00', overLimit: '95.00' });
  });

  it('reopened order is checked on its open value', async () => {
    const scenario = await creditScenario('1000.00');
    const order = await scenario.submit('BUYER', { UNIT: '5' });
    await scenario.shipAll(order.id);
    expect((await getOrder(scenario.db, scenario.companyId, order.id)).status).toBe('closed');

    // Open AR 595.00 + one more unit 119.00 = 714.00, within 1000.00.
    const reopened = expectSuccess(await changeLineQuantity(scenario.ctx(), { orderId: order.id, lineNumber: 1, quantity: '6', reason: 'one more' }));

    expect(reopened.holds).toEqual([]);
    expect(reopened.status).toBe('confirmed');
  });

  it('partly billed order releases on payment', async () => {
    const scenario = await creditScenario('1000.00');
    const order = await scenario.submit('BUYER', { UNIT: '5' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));

    // Open AR 357.00 + unbilled 7 units 833.00 = 1190.00.
    const held = expectSuccess(await changeLineQuantity(scenario.ctx(), { orderId: order.id, lineNumber: 1, quantity: '10', reason: 'five more' }));
    expect(held.status).toBe('on_hold');
    expect(held.holds[0]!.facts).toMatchObject({ openReceivables: '357.00', thisOrder: '833.00' });

    // Paying the invoice leaves 833.00, within the limit.
    const outcome = expectSuccess(await pay(scenario, '357.00'));

    expect(outcome.releasedOrders).toEqual([order.orderNumber]);
  });

  it('reopened order counts for the next', async () => {
    const scenario = await creditScenario('1000.00');
    const order = await scenario.submit('BUYER', { UNIT: '2' });
    await scenario.shipAll(order.id);
    expectSuccess(await pay(scenario, '238.00'));
    const reopened = expectSuccess(await changeLineQuantity(scenario.ctx(), { orderId: order.id, lineNumber: 1, quantity: '4', reason: 'two more' }));
    expect(reopened.status).toBe('confirmed');

    const next = await scenario.submit('BUYER', { UNIT: '7' });

    // Open AR 0 + reopened 238.00 + this order 833.00 = 1071.00.
    expect(next.status).toBe('on_hold');
    expect(next.holds[0]!.facts).toMatchObject({ openReceivables: '0.00', confirmedNotShipped: '238.00', thisOrder: '833.00' });
  });

  it('closed order counts nothing open', async () => {
    const scenario = await creditScenario('1000.00');
    const order = await scenario.submit('BUYER', { UNIT: '2' });
    await scenario.shipAll(order.id);
    expectSuccess(await pay(scenario, '238.00'));

    const next = await scenario.submit('BUYER', { UNIT: '8' });

    expect(next.status).toBe('confirmed');
  });
});

describe('credit records', () => {
  it('keeps every invariant', async () => {
    await expectNoViolations(database.db);
  });
});

describe('shipped not invoiced', () => {
  it('counts goods issued but not billed', async () => {
    // No command leaves goods shipped and unbilled, because confirming a
    // shipment invoices it, so the state is written directly into a
    // database of its own.
    const own = await createTestDatabase();
    try {
      const scenario = await creditScenario('400.00', own.db);
      const order = await scenario.submit('BUYER', { UNIT: '3' });
      await sql`
        UPDATE sales_order_line SET quantity_reserved = quantity_reserved - 1, quantity_shipped = quantity_shipped + 1
        WHERE order_id = ${order.id}
      `.execute(own.db);

      const next = await scenario.submit('BUYER', { UNIT: '1' });

      expect(next.status).toBe('on_hold');
      expect(next.holds[0]!.facts).toMatchObject({
        shippedNotInvoiced: '119.00',
        confirmedNotShipped: '238.00',
        thisOrder: '119.00',
        exposure: '476.00',
      });
    } finally {
      await own.drop();
    }
  });
});
