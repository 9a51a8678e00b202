/**
 * Commands racing each other on separate connections. Each race starts all
 * its calls in the same tick, so the pool opens one connection per call and
 * PostgreSQL, not the test, decides who wins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import { adjustStock, receiveStock } from '../../src/inventory/commands/receive-stock.js';
import { issueCreditNote } from '../../src/invoicing/commands/issue-credit-note.js';
import { Dec } from '../../src/money/index.js';
import { submitOrder } from '../../src/orders/commands/submit-order.js';
import { applyPayment } from '../../src/payments/commands/apply-payment.js';
import { recordPayment } from '../../src/payments/commands/record-payment.js';
import type { Result } from '../../src/platform/rejection.js';
import { countRows, createScenario, expectNoViolations, expectSuccess, type Scenario } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const CLIENTS = 50;

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase({ maxConnections: CLIENTS });
});

afterAll(async () => {
  await database?.drop();
});

function codes<T>(results: readonly Result<T>[]): string[] {
  return results.map((result) => (result.ok ? 'ok' : result.rejection.code));
}

/** Counts the pool's connections checked out at the same time until the returned function is called, which returns the peak. */
function countConnectionsInUse(database: TestDatabase): () => number {
  let inUse = 0;
  let peak = 0;
  const onAcquire = () => {
    inUse += 1;
    peak = Math.max(peak, inUse);
  };
  const onRelease = () => {
    inUse -= 1;
  };
  database.pool.on('acquire', onAcquire);
  database.pool.on('release', onRelease);
  return () => {
    database.pool.off('acquire', onAcquire);
    database.pool.off('release', onRelease);
    return peak;
  };
}

/** Returns 'ok', the rejection code, or 'threw: …' for each settled call, so a thrown error shows in the comparison. */
function settledCodes<T>(results: readonly PromiseSettledResult<Result<T>>[]): string[] {
  return results.map((result) => {
    if (result.status === 'rejected') return `threw: ${(result.reason as Error).message}`;
    return result.value.ok ? 'ok' : result.value.rejection.code;
  });
}

function countOf(values: readonly string[], value: string): number {
  return values.filter((candidate) => candidate === value).length;
}

describe('submitOrder under contention', () => {
  let scenario: Scenario;
  let statuses: string[];
  let heldOrders: { holds: { reason: string; facts: unknown }[]; lines: { quantityReserved: string }[] }[];
  let maxInUse = 0;

  beforeAll(async () => {
    scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'HOT-1', price: '10.00', stock: { MAIN: '20' } });
    await Promise.all(Array.from({ length: CLIENTS }, (_, index) => scenario.addCustomer({ code: `RUSH-${index}` })));

    const stopCounting = countConnectionsInUse(database);
    const results = await Promise.all(
      Array.from({ length: CLIENTS }, (_, index) =>
        submitOrder(scenario.ctx(`client-${index}`), { customerCode: `RUSH-${index}`, customerPoNumber: `PO-${index}`, lines: [{ sku: 'HOT-1', quantity: '1' }] }),
      ),
    );
    maxInUse = stopCounting();
    const orders = results.map((result) => expectSuccess(result).order);
    statuses = orders.map((order) => order.status);
    heldOrders = orders.filter((order) => order.status === 'on_hold');
    for (const order of orders.filter((candidate) => candidate.status === 'confirmed')) {
      expect(order.lines[0]!.quantityReserved, order.orderNumber).toBe('1');
    }
  });

  it('ran on 50 connections at once', () => {
    expect(maxInUse).toBe(CLIENTS);
  });

  it('confirms exactly 20 orders', () => {
    expect(countOf(statuses, 'confirmed')).toBe(20);
  });

  it('holds the other 30 for stock', () => {
    expect(countOf(statuses, 'on_hold')).toBe(30);
    for (const order of heldOrders) {
      expect(order.holds.map((hold) => hold.reason)).toEqual(['stock_shortage']);
      expect(order.lines[0]!.quantityReserved).toBe('0');
    }
  });

  it('reserves all 20 and no more', async () => {
    expect(await scenario.stockLevel('HOT-1', 'MAIN')).toEqual({ onHand: '20', reserved: '20' });
  });

  it('keeps every invariant', async () => {
    await expectNoViolations(database.db);
  });
});

describe('submitOrder races on one customer', () => {
  it('confirms 20 of 50 POs', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'HOT-2', price: '10.00', stock: { MAIN: '12', EAST: '8' } });
    await scenario.addCustomer({ code: 'BIG' });

    const results = await Promise.all(
      Array.from({ length: CLIENTS }, (_, index) =>
        submitOrder(scenario.ctx(), { customerCode: 'BIG', customerPoNumber: `PO-${index}`, lines: [{ sku: 'HOT-2', quantity: '1' }] }),
      ),
    );
    const statuses = results.map((result) => expectSuccess(result).order.status);

    expect(countOf(statuses, 'confirmed')).toBe(20);
    expect(countOf(statuses, 'on_hold')).toBe(30);
    expect(await scenario.stockLevel('HOT-2', 'MAIN')).toEqual({ onHand: '12', reserved: '12' });
    expect(await scenario.stockLevel('HOT-2', 'EAST')).toEqual({ onHand: '8', reserved: '8' });
    await expectNoViolations(database.db);
  });
});

describe('idempotent resubmission races', () => {
  it('same key and PO make one order', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'ONE', price: '5.00', stock: { MAIN: '100' } });
    await scenario.addCustomer({ code: 'RETRY' });
    const po = { customerCode: 'RETRY', customerPoNumber: 'PO-RETRY-1', lines: [{ sku: 'ONE', quantity: '2' }] };

    const results = await Promise.all(Array.from({ length: 30 }, () => submitOrder(scenario.ctx(), po, { idempotencyKey: 'key-retry-1' })));
    const outcomes = results.map(expectSuccess);

    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.order.id)).size).toBe(1);
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(1);
    expect(await scenario.stockLevel('ONE', 'MAIN')).toEqual({ onHand: '100', reserved: '2' });
  });

  it('same key without PO makes one order', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'ONE', price: '5.00', stock: { MAIN: '100' } });
    await scenario.addCustomer({ code: 'RETRY' });
    const po = { customerCode: 'RETRY', lines: [{ sku: 'ONE', quantity: '3' }] };

    const results = await Promise.all(Array.from({ length: 30 }, () => submitOrder(scenario.ctx(), po, { idempotencyKey: 'key-retry-2' })));
    const outcomes = results.map(expectSuccess);

    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.order.id)).size).toBe(1);
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(1);
    expect(await scenario.stockLevel('ONE', 'MAIN')).toEqual({ onHand: '100', reserved: '3' });
  });

  it('same PO without key makes one order', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'ONE', price: '5.00', stock: { MAIN: '100' } });
    await scenario.addCustomer({ code: 'RETRY' });
    const po = { customerCode: 'RETRY', customerPoNumber: 'PO-RETRY-3', lines: [{ sku: 'ONE', quantity: '4' }] };

    const results = await Promise.all(Array.from({ length: 30 }, () => submitOrder(scenario.ctx(), po)));
    const outcomes = results.map(expectSuccess);

    expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(1);
    expect(await scenario.stockLevel('ONE', 'MAIN')).toEqual({ onHand: '100', reserved: '4' });
  });
});

describe('idempotency key races', () => {
  it('same payment key records once', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'PAYER' });
    const payment = { customerCode: 'PAYER', amount: '25.00', currency: 'EUR', receivedOn: '2024-03-01', idempotencyKey: 'bank-line-1' };

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => recordPayment(scenario.ctx('cashier'), payment)));
    const outcomes = settledCodes(results);

    expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'ok'));
    expect(await countRows(scenario.db, 'payment', scenario.companyId)).toBe(1);
  });

  it('same receipt key books once', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'CRATE', price: '1.00' });
    const receipt = { sku: 'CRATE', warehouseCode: 'MAIN', quantity: '5', idempotencyKey: 'asn-1' };

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => receiveStock(scenario.ctx('warehouse'), receipt)));
    const outcomes = settledCodes(results);

    expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'ok'));
    expect(await scenario.stockLevel('CRATE', 'MAIN')).toEqual({ onHand: '5', reserved: '0' });
  });

  it('same shipment key plans once', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'BOX', price: '12.00', stock: { MAIN: '10' } });
    await scenario.addCustomer({ code: 'SHIPTO' });
    const order = await scenario.submit('SHIPTO', { BOX: '4' });

    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => createShipment(scenario.ctx('warehouse'), { orderId: order.id, idempotencyKey: 'pick-1' })),
    );
    const outcomes = settledCodes(results);

    expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'ok'));
    expect(await countRows(scenario.db, 'shipment', scenario.companyId)).toBe(1);
  });

  it('same credit note key credits once', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'BOX', price: '12.00', stock: { MAIN: '10' } });
    await scenario.addCustomer({ code: 'RETURNER' });
    const order = await scenario.submit('RETURNER', { BOX: '4' });
    const invoice = (await scenario.shipAll(order.id)).invoices[0]!;
    // All four units, so that a retry planning again would find nothing left to credit.
    const input = { invoiceId: invoice.id, reason: 'returned', lines: [{ lineNumber: 1, quantity: '4' }], idempotencyKey: 'rma-1' };

    const results = await Promise.allSettled(Array.from({ length: 10 }, () => issueCreditNote(scenario.ctx('billing'), input)));
    const outcomes = settledCodes(results);

    expect(outcomes).toEqual(Array.from({ length: 10 }, () => 'ok'));
    expect(await countRows(scenario.db, 'invoice', scenario.companyId)).toBe(2);
  });
});

describe('payment application races', () => {
  it('never over-applies one invoice', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'GOOD', price: '100.00', stock: { MAIN: '10' } });
    await scenario.addCustomer({ code: 'PAYER' });

    // Cash on account first, so that every racer has money to apply.
    const payments = [];
    for (let index = 0; index < 6; index += 1) {
      const outcome = expectSuccess(
        await recordPayment(scenario.ctx('cashier'), { customerCode: 'PAYER', amount: '40.00', currency: 'EUR', receivedOn: '2024-03-01' }),
      );
      payments.push(outcome.payment);
    }
    const order = await scenario.submit('PAYER', { GOOD: '1' });
    const { invoices } = await scenario.shipAll(order.id);
    const invoice = invoices[0]!;
    expect(invoice.grossAmount).toBe('119.00');

    const results = await Promise.all(
      payments.map((payment) =>
        applyPayment(scenario.ctx('cashier'), { paymentId: payment.id, applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '40.00' }] }),
      ),
    );
    const outcomes = codes(results);

    expect(countOf(outcomes, 'ok')).toBe(2);
    expect(countOf(outcomes, 'over_application')).toBe(4);
    const open = await scenario.db.selectFrom('invoice').select('open_minor').where('id', '=', invoice.id).executeTakeFirstOrThrow();
    expect(open.open_minor).toBe(3900n);
    await expectNoViolations(database.db);
  });

  it('recordPayment racers share one invoice', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'GOOD', price: '100.00', stock: { MAIN: '10' } });
    await scenario.addCustomer({ code: 'PAYER' });
    const order = await scenario.submit('PAYER', { GOOD: '1' });
    const invoice = (await scenario.shipAll(order.id)).invoices[0]!;

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        recordPayment(scenario.ctx('cashier'), {
          customerCode: 'PAYER',
          amount: '50.00',
          currency: 'EUR',
          receivedOn: '2024-03-02',
          reference: `transfer ${index}`,
          applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '50.00' }],
        }),
      ),
    );
    const outcomes = codes(results);

    // 119.00 open takes two payments of 50.00; the third finds 19.00 open.
    expect(countOf(outcomes, 'ok')).toBe(2);
    expect(countOf(outcomes, 'over_application')).toBe(8);
    const open = await scenario.db.selectFrom('invoice').select('open_minor').where('id', '=', invoice.id).executeTakeFirstOrThrow();
    expect(open.open_minor).toBe(1900n);
    expect(await countRows(scenario.db, 'payment', scenario.companyId)).toBe(2);
    await expectNoViolations(database.db);
  });
});

describe('shipment confirmation races', () => {
  it('invoices a shipment once', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'BOX', price: '12.00', stock: { MAIN: '10' } });
    await scenario.addCustomer({ code: 'SHIPTO' });
    const order = await scenario.submit('SHIPTO', { BOX: '4' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));

    const results = await Promise.all(
      Array.from({ length: 20 }, () => confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id })),
    );
    const outcomes = results.map(expectSuccess);

    expect(outcomes.filter((outcome) => outcome.confirmed)).toHaveLength(1);
    expect(await countRows(scenario.db, 'invoice', scenario.companyId)).toBe(1);
    expect(await scenario.stockLevel('BOX', 'MAIN')).toEqual({ onHand: '6', reserved: '0' });
    await expectNoViolations(database.db);
  });
});

describe('invoice number races', () => {
  it('concurrent invoices leave no gap', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'BOX', price: '12.00', stock: { MAIN: '30' } });
    await scenario.addCustomer({ code: 'MANY' });
    const shipmentIds: string[] = [];
    for (let index = 0; index < 20; index += 1) {
      const order = await scenario.submit('MANY', { BOX: '1' });
      const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));
      shipmentIds.push(shipment!.id);
    }

    const results = await Promise.all(shipmentIds.map((shipmentId) => confirmShipment(scenario.ctx('warehouse'), { shipmentId })));
    results.forEach(expectSuccess);
    const numbers = await scenario.db
      .selectFrom('invoice')
      .select('invoice_number')
      .where('company_id', '=', scenario.companyId)
      .orderBy('invoice_number')
      .execute();

    expect(numbers.map((row) => row.invoice_number)).toEqual(
      Array.from({ length: 20 }, (_, index) => `INV-2024-${String(index + 1).padStart(6, '0')}`),
    );
    await expectNoViolations(database.db);
  });
});

describe('stock adjustment races', () => {
  it('cannot take reserved stock', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'PART', price: '3.00', stock: { MAIN: '20' } });
    await scenario.addCustomer({ code: 'HOLDER' });
    await scenario.submit('HOLDER', { PART: '15' });

    const results = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        adjustStock(scenario.ctx('counter'), { sku: 'PART', warehouseCode: 'MAIN', quantity: '-1', reason: `count ${index}` }),
      ),
    );
    const outcomes = codes(results);

    expect(countOf(outcomes, 'ok')).toBe(5);
    expect(countOf(outcomes, 'insufficient_stock')).toBe(7);
    expect(await scenario.stockLevel('PART', 'MAIN')).toEqual({ onHand: '15', reserved: '15' });
    await expectNoViolations(database.db);
  });

  it('receipts and orders interleave', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'FLOW', price: '1.00', stock: { MAIN: '5' } });
    await Promise.all(Array.from({ length: 20 }, (_, index) => scenario.addCustomer({ code: `FLOW-${index}` })));

    const submissions = Array.from({ length: 20 }, (_, index) =>
      submitOrder(scenario.ctx(), { customerCode: `FLOW-${index}`, lines: [{ sku: 'FLOW', quantity: '1' }] }),
    );
    const receipts = Array.from({ length: 10 }, () => scenario.receive('FLOW', 'MAIN', '1'));
    await Promise.all([...submissions, ...receipts]);

    // 15 units arrived in all, and held orders take receipts as they come, so exactly 15 orders hold stock.
    const reserved = await scenario.db
      .selectFrom('sales_order_line')
      .select((eb) => eb.fn.sum<string>('quantity_reserved').as('total'))
      .where('company_id', '=', scenario.companyId)
      .executeTakeFirstOrThrow();
    expect(new Dec(reserved.total).toString()).toBe('15');
    expect(await scenario.stockLevel('FLOW', 'MAIN')).toEqual({ onHand: '15', reserved: '15' });
    await expectNoViolations(database.db);
  });
});
