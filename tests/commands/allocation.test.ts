import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import { adjustStock, receiveStock } from '../../src/inventory/commands/receive-stock.js';
import { cancelOrder } from '../../src/orders/commands/cancel-order.js';
import { releaseHold } from '../../src/orders/commands/release-hold.js';
import { getOrder } from '../../src/orders/queries/get-order.js';
import { countRows, createScenario, expectNoViolations, expectRejection, expectSuccess, type Scenario } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Sets up customer ACME and PUMP with 3 in MAIN (priority 100) and 5 in EAST (priority 200). */
async function twoWarehouses(): Promise<Scenario> {
  const scenario = await createScenario(database.db);
  await scenario.addCustomer({ code: 'ACME' });
  await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '3', EAST: '5' } });
  return scenario;
}

describe('reservation across warehouses', () => {
  it('takes MAIN first, then EAST', async () => {
    const scenario = await twoWarehouses();

    const order = await scenario.submit('ACME', { PUMP: '7' });

    expect(order.status).toBe('confirmed');
    expect(await scenario.reservations(order.id)).toEqual({ '1/MAIN': '3', '1/EAST': '4' });
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '3', reserved: '3' });
    expect(await scenario.stockLevel('PUMP', 'EAST')).toEqual({ onHand: '5', reserved: '4' });
  });

  it('follows priority, not code', async () => {
    const scenario = await createScenario(database.db, { warehouses: [{ code: 'EAST', priority: 10 }] });
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '3', EAST: '5' } });

    const order = await scenario.submit('ACME', { PUMP: '6' });

    expect(await scenario.reservations(order.id)).toEqual({ '1/EAST': '5', '1/MAIN': '1' });
  });

  it('takes one warehouse when it suffices', async () => {
    const scenario = await twoWarehouses();

    const order = await scenario.submit('ACME', { PUMP: '2' });

    expect(await scenario.reservations(order.id)).toEqual({ '1/MAIN': '2' });
  });

  it('reserves each line on its own', async () => {
    const scenario = await twoWarehouses();
    await scenario.addProduct({ sku: 'HOSE', price: '5.00', stock: { EAST: '10' } });

    const order = await scenario.submit('ACME', { PUMP: '4', HOSE: '6' });

    expect(await scenario.reservations(order.id)).toEqual({ '1/MAIN': '3', '1/EAST': '1', '2/EAST': '6' });
  });

  it('reserves decimal quantities', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'CABLE', price: '1.20', stock: { MAIN: '2.5', EAST: '10' } });

    const order = await scenario.submit('ACME', { CABLE: '3.75' });

    expect(await scenario.reservations(order.id)).toEqual({ '1/MAIN': '2.5', '1/EAST': '1.25' });
    expect(order.netAmount).toBe('4.50');
  });
});

describe('shipments', () => {
  it('splits per warehouse', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '7' });

    const shipments = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));
    const byWarehouse = Object.fromEntries(shipments.map((shipment) => [shipment.warehouseCode, shipment.lines.map((line) => line.quantity)]));

    expect(shipments).toHaveLength(2);
    expect(byWarehouse).toEqual({ MAIN: ['3'], EAST: ['4'] });
    expect(shipments.every((shipment) => shipment.status === 'planned')).toBe(true);
  });

  it('confirming both closes the order', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '7' });

    const { invoices } = await scenario.shipAll(order.id);
    const after = await getOrder(scenario.db, scenario.companyId, order.id);

    expect(invoices).toHaveLength(2);
    expect(after.status).toBe('closed');
    expect(after.lines[0]!.quantityShipped).toBe('7');
    expect(after.lines[0]!.quantityInvoiced).toBe('7');
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '0', reserved: '0' });
    expect(await scenario.stockLevel('PUMP', 'EAST')).toEqual({ onHand: '1', reserved: '0' });
  });

  it('planning moves no stock', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '2' });

    expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));

    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '3', reserved: '2' });
    expect(await countRows(scenario.db, 'invoice', scenario.companyId)).toBe(0);
  });

  it('does not plan the same stock twice', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '2' });
    expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));

    const rejection = expectRejection(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }), 'nothing_to_ship');

    expect(rejection.facts).toEqual({ orderNumber: order.orderNumber });
  });

  it('rejects more than reserved', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '2' });

    const rejection = expectRejection(
      await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }),
      'insufficient_stock',
    );

    expect(rejection.pointer).toBe('/lines/0/quantity');
    expect(rejection.facts.reservedUnplanned).toBe('2');
    expect(await countRows(scenario.db, 'shipment', scenario.companyId)).toBe(0);
  });

  it('rejects an order on hold', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '9' });

    const rejection = expectRejection(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }), 'order_not_confirmed');

    expect(rejection.facts.status).toBe('on_hold');
  });

  it('same idempotency key plans once', async () => {
    const scenario = await twoWarehouses();
    const order = await scenario.submit('ACME', { PUMP: '7' });

    const first = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, idempotencyKey: 'pick-1' }));
    const second = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, idempotencyKey: 'pick-1' }));

    expect(second.map((shipment) => shipment.id).sort()).toEqual(first.map((shipment) => shipment.id).sort());
    expect(await countRows(scenario.db, 'shipment', scenario.companyId)).toBe(2);
  });
});

describe('partial shipment and backorder', () => {
  it('partial shipment leaves the rest reserved', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '10' } });
    const order = await scenario.submit('ACME', { PUMP: '7' });

    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));
    const after = await getOrder(scenario.db, scenario.companyId, order.id);

    expect(after.status).toBe('confirmed');
    expect(after.lines[0]!.quantityShipped).toBe('3');
    expect(after.lines[0]!.quantityReserved).toBe('4');
    expect(after.lines[0]!.quantityOpen).toBe('4');
    expect(after.lines[0]!.deliveryStatus).toBe('partially_shipped');
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '7', reserved: '4' });
  });

  it('shipping the rest closes', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '10' } });
    const order = await scenario.submit('ACME', { PUMP: '7' });
    const [first] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: first!.id }));

    const { shipments } = await scenario.shipAll(order.id);
    const after = await getOrder(scenario.db, scenario.companyId, order.id);

    expect(shipments[0]!.lines[0]!.quantity).toBe('4');
    expect(after.status).toBe('closed');
    expect(after.lines[0]!.deliveryStatus).toBe('shipped');
  });

  it('accepted backorder ships later', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '6' } });
    const held = await scenario.submit('ACME', { PUMP: '10' });
    expect(held.holds.map((hold) => hold.reason)).toEqual(['stock_shortage']);

    const released = expectSuccess(await releaseHold(scenario.ctx('planner'), { orderId: held.id, overrides: ['stock_shortage'], reason: 'ship what we have' }));
    await scenario.shipAll(held.id);
    const afterFirst = await getOrder(scenario.db, scenario.companyId, held.id);

    expect(released.order.status).toBe('confirmed');
    expect(afterFirst.status).toBe('confirmed');
    expect(afterFirst.lines[0]!.quantityShipped).toBe('6');
    expect(afterFirst.lines[0]!.quantityBackordered).toBe('4');

    const releasedByReceipt = await scenario.receive('PUMP', 'EAST', '5');
    const afterReceipt = await getOrder(scenario.db, scenario.companyId, held.id);

    expect(releasedByReceipt).toEqual([]);
    expect(afterReceipt.lines[0]!.quantityReserved).toBe('4');
    expect(await scenario.stockLevel('PUMP', 'EAST')).toEqual({ onHand: '5', reserved: '4' });

    await scenario.shipAll(held.id);
    expect((await getOrder(scenario.db, scenario.companyId, held.id)).status).toBe('closed');
  });
});

describe('receipts serve waiting orders', () => {
  it('oldest order first', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00' });
    const orders = [];
    for (const minute of ['00', '05', '10']) {
      scenario.clock.set(new Date(`2024-03-01T10:${minute}:00.000Z`));
      orders.push(await scenario.submit('ACME', { PUMP: '2' }));
    }
    expect(orders.map((order) => order.status)).toEqual(['on_hold', 'on_hold', 'on_hold']);

    const firstRelease = await scenario.receive('PUMP', 'MAIN', '3');
    const states = await Promise.all(orders.map((order) => getOrder(scenario.db, scenario.companyId, order.id)));

    expect(firstRelease).toEqual([orders[0]!.orderNumber]);
    expect(states.map((state) => state.status)).toEqual(['confirmed', 'on_hold', 'on_hold']);
    expect(states.map((state) => state.lines[0]!.quantityReserved)).toEqual(['2', '1', '0']);

    const secondRelease = await scenario.receive('PUMP', 'EAST', '3');

    expect(secondRelease).toEqual([orders[1]!.orderNumber, orders[2]!.orderNumber]);
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '3', reserved: '3' });
    expect(await scenario.stockLevel('PUMP', 'EAST')).toEqual({ onHand: '3', reserved: '3' });
  });

  it('release writes history', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00' });
    const order = await scenario.submit('ACME', { PUMP: '1' });

    await scenario.receive('PUMP', 'MAIN', '1');
    const rows = await scenario.db
      .selectFrom('history')
      .select(['event', 'actor', 'reason', 'to_status'])
      .where('order_id', '=', order.id)
      .where('event', 'in', ['hold_auto_released', 'released'])
      .orderBy('id')
      .execute();

    expect(rows).toEqual([
      { event: 'hold_auto_released', actor: 'system', reason: 'stock received', to_status: null },
      { event: 'released', actor: 'system', reason: 'stock received', to_status: 'confirmed' },
    ]);
  });

  it('receipt brings the promise forward', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00' });
    scenario.clock.set(new Date('2024-03-01T10:00:00.000Z'));
    const order = await scenario.submit('ACME', { PUMP: '1' });
    const promisedAtIntake = order.lines[0]!.promisedShipDate;

    scenario.clock.set(new Date('2024-03-04T08:00:00.000Z'));
    await scenario.receive('PUMP', 'MAIN', '1');
    const after = await getOrder(scenario.db, scenario.companyId, order.id);

    expect(promisedAtIntake).toBe('2024-03-15');
    expect(after.lines[0]!.promisedShipDate).toBe('2024-03-04');
  });

  it('positive adjustment serves waiting orders', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00' });
    const order = await scenario.submit('ACME', { PUMP: '1' });

    const outcome = expectSuccess(await adjustStock(scenario.ctx('counter'), { sku: 'PUMP', warehouseCode: 'MAIN', quantity: '2', reason: 'found in count' }));

    expect(outcome.releasedOrders).toEqual([order.orderNumber]);
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '2', reserved: '1' });
  });

  it('cancellation frees stock for the next', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '2' } });
    const first = await scenario.submit('ACME', { PUMP: '2' });
    const waiting = await scenario.submit('ACME', { PUMP: '2' });
    expect(waiting.status).toBe('on_hold');

    expectSuccess(await cancelOrder(scenario.ctx(), { orderId: first.id, reason: 'customer withdrew' }));
    const after = await getOrder(scenario.db, scenario.companyId, waiting.id);

    expect(after.status).toBe('confirmed');
    expect(after.lines[0]!.quantityReserved).toBe('2');
  });
});

describe('stock adjustments', () => {
  it('negative adjustment spares reserved stock', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '5' } });
    await scenario.submit('ACME', { PUMP: '4' });
    const movementsBefore = await countRows(scenario.db, 'stock_movement', scenario.companyId);

    const rejection = expectRejection(
      await adjustStock(scenario.ctx('counter'), { sku: 'PUMP', warehouseCode: 'MAIN', quantity: '-2', reason: 'broken' }),
      'insufficient_stock',
    );

    expect(rejection.facts).toEqual({ sku: 'PUMP', warehouseCode: 'MAIN', requested: '2', onHand: '5', reserved: '4' });
    expect(rejection.pointer).toBe('/quantity');
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '5', reserved: '4' });
    expect(await countRows(scenario.db, 'stock_movement', scenario.companyId)).toBe(movementsBefore);
  });

  it('negative adjustment takes free stock', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addCustomer({ code: 'ACME' });
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '5' } });
    await scenario.submit('ACME', { PUMP: '4' });

    const outcome = expectSuccess(await adjustStock(scenario.ctx('counter'), { sku: 'PUMP', warehouseCode: 'MAIN', quantity: '-1', reason: 'broken' }));

    expect(outcome).toMatchObject({ created: true, onHand: '4', reserved: '4' });
  });

  it('rejects a zero adjustment', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'PUMP', price: '50.00', stock: { MAIN: '5' } });

    const rejection = expectRejection(await adjustStock(scenario.ctx('counter'), { sku: 'PUMP', warehouseCode: 'MAIN', quantity: '0' }), 'validation_failed');

    expect(rejection.pointer).toBe('/quantity');
  });

  it('receipt idempotency key books once', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'PUMP', price: '50.00' });
    const receipt = { sku: 'PUMP', warehouseCode: 'MAIN', quantity: '4', idempotencyKey: 'asn-77' };

    const first = expectSuccess(await receiveStock(scenario.ctx('warehouse'), receipt));
    const second = expectSuccess(await receiveStock(scenario.ctx('warehouse'), receipt));

    expect(second.created).toBe(false);
    expect(second.movementId).toBe(first.movementId);
    expect(await scenario.stockLevel('PUMP', 'MAIN')).toEqual({ onHand: '4', reserved: '0' });
  });

  it('unknown warehouse', async () => {
    const scenario = await createScenario(database.db);
    await scenario.addProduct({ sku: 'PUMP', price: '50.00' });

    const rejection = expectRejection(await adjustStock(scenario.ctx('counter'), { sku: 'PUMP', warehouseCode: 'WEST', quantity: '1' }), 'warehouse_not_found');

    expect(rejection.pointer).toBe('/warehouseCode');
  });
});

describe('allocation records', () => {
  it('keeps every invariant', async () => {
    await expectNoViolations(database.db);
  });
});
