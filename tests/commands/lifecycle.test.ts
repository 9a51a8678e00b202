import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import { cancelLine } from '../../src/orders/commands/cancel-line.js';
import { cancelOrder } from '../../src/orders/commands/cancel-order.js';
import { changeLineQuantity } from '../../src/orders/commands/change-line-quantity.js';
import { releaseHold } from '../../src/orders/commands/release-hold.js';
import { getOrder, type OrderView } from '../../src/orders/queries/get-order.js';
import { getOrderTimeline } from '../../src/orders/queries/get-timeline.js';
import { countRows, createScenario, expectNoViolations, expectRejection, expectSuccess, type Scenario } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Sets up customer ACME, GEAR at 10.00 with 10 in MAIN and BELT at 2.00 with 20 in MAIN. */
async function gearScenario(): Promise<Scenario> {
  const scenario = await createScenario(database.db);
  await scenario.addCustomer({ code: 'ACME' });
  await scenario.addProduct({ sku: 'GEAR', price: '10.00', stock: { MAIN: '10' } });
  await scenario.addProduct({ sku: 'BELT', price: '2.00', stock: { MAIN: '20' } });
  return scenario;
}

async function historyOf(scenario: Scenario, orderId: string, event: string) {
  return scenario.db
    .selectFrom('history')
    .select(['from_status', 'to_status', 'actor', 'reason'])
    .where('order_id', '=', orderId)
    .where('entity_type', '=', 'sales_order')
    .where('event', '=', event)
    .orderBy('id')
    .execute();
}

/** Reads what a rejected command must leave untouched: the order, the history count, GEAR stock and the hold count. */
async function snapshot(scenario: Scenario, orderId: string) {
  return {
    order: await getOrder(scenario.db, scenario.companyId, orderId),
    history: await countRows(scenario.db, 'history', scenario.companyId),
    gear: await scenario.stockLevel('GEAR', 'MAIN'),
    holds: await countRows(scenario.db, 'order_hold', scenario.companyId),
  };
}

function line(order: OrderView, lineNumber: number) {
  const found = order.lines.find((candidate) => candidate.lineNumber === lineNumber);
  if (!found) throw new Error(`order ${order.orderNumber} has no line ${lineNumber}`);
  return found;
}

describe('release and reject', () => {
  it('person releases a price hold', async () => {
    const scenario = await gearScenario();
    const held = await scenario.submit('ACME', [{ sku: 'GEAR', quantity: '2', expectedUnitPrice: '9' }]);

    const outcome = expectSuccess(await releaseHold(scenario.ctx('anna'), { orderId: held.id, reason: 'customer accepts list price' }));

    expect(outcome.released).toEqual(['price_mismatch']);
    expect(outcome.order.status).toBe('confirmed');
    expect(await historyOf(scenario, held.id, 'hold_released')).toEqual([
      { from_status: null, to_status: null, actor: 'anna', reason: 'customer accepts list price' },
    ]);
    expect(await historyOf(scenario, held.id, 'released')).toEqual([
      { from_status: 'on_hold', to_status: 'confirmed', actor: 'anna', reason: 'customer accepts list price' },
    ]);
  });

  it('blocked customer stays held', async () => {
    const scenario = await gearScenario();
    await scenario.addCustomer({ code: 'BAD', blocked: true });
    const held = await scenario.submit('BAD', { GEAR: '1' });

    const outcome = expectSuccess(await releaseHold(scenario.ctx('anna'), { orderId: held.id, reason: 'try again' }));

    expect(outcome.remaining).toEqual(['customer_blocked']);
    expect(outcome.order.status).toBe('on_hold');
  });

  it('reject cancels and frees stock', async () => {
    const scenario = await gearScenario();
    const held = await scenario.submit('ACME', [{ sku: 'GEAR', quantity: '4', expectedUnitPrice: '9' }]);
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '4' });

    const rejected = expectSuccess(await cancelOrder(scenario.ctx('anna'), { orderId: held.id, action: 'reject', reason: 'price not acceptable' }));
    const hold = await scenario.db.selectFrom('order_hold').select(['resolution', 'resolved_by']).where('order_id', '=', held.id).executeTakeFirstOrThrow();

    expect(rejected.status).toBe('cancelled');
    expect(rejected.holds).toEqual([]);
    expect(line(rejected, 1).quantityCancelled).toBe('4');
    expect(line(rejected, 1).quantityReserved).toBe('0');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '0' });
    expect(hold).toEqual({ resolution: 'rejected', resolved_by: 'anna' });
    expect(await historyOf(scenario, held.id, 'rejected')).toEqual([
      { from_status: 'on_hold', to_status: 'cancelled', actor: 'anna', reason: 'price not acceptable' },
    ]);
  });

  it('reject needs a hold', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '1' });
    const before = await snapshot(scenario, order.id);

    const rejection = expectRejection(await cancelOrder(scenario.ctx('anna'), { orderId: order.id, action: 'reject', reason: 'no' }), 'invalid_transition');

    expect(rejection.facts).toEqual({ orderNumber: order.orderNumber, status: 'confirmed', action: 'reject' });
    expect(await snapshot(scenario, order.id)).toEqual(before);
  });
});

describe('cancel order', () => {
  it('cancels and releases reservations', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3', BELT: '5' });

    const cancelled = expectSuccess(await cancelOrder(scenario.ctx('ben'), { orderId: order.id, reason: 'customer withdrew' }));

    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.lines.map((candidate) => candidate.quantityCancelled)).toEqual(['3', '5']);
    expect(cancelled.grossAmount).toBe('0.00');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '0' });
    expect(await scenario.stockLevel('BELT', 'MAIN')).toEqual({ onHand: '20', reserved: '0' });
    expect(await scenario.reservations(order.id)).toEqual({});
    expect(await historyOf(scenario, order.id, 'cancelled')).toEqual([
      { from_status: 'confirmed', to_status: 'cancelled', actor: 'ben', reason: 'customer withdrew' },
    ]);
  });

  it('cancels an order on hold', async () => {
    const scenario = await gearScenario();
    const held = await scenario.submit('ACME', { GEAR: '12' });

    const cancelled = expectSuccess(await cancelOrder(scenario.ctx('ben'), { orderId: held.id, reason: 'too late' }));

    expect(cancelled.status).toBe('cancelled');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '0' });
  });

  it('cancels planned shipments', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));

    expectSuccess(await cancelOrder(scenario.ctx('ben'), { orderId: order.id, reason: 'customer withdrew' }));
    const rejection = expectRejection(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }), 'shipment_not_planned');

    expect(rejection.facts.status).toBe('cancelled');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '0' });
  });

  it('after partial shipment closes', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '5' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '2' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));

    const closed = expectSuccess(await cancelOrder(scenario.ctx('ben'), { orderId: order.id, reason: 'rest not needed' }));

    expect(closed.status).toBe('closed');
    expect(line(closed, 1).quantityShipped).toBe('2');
    expect(line(closed, 1).quantityCancelled).toBe('3');
    expect(line(closed, 1).quantityReserved).toBe('0');
    expect(closed.netAmount).toBe('20.00');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '8', reserved: '0' });
    expect(await historyOf(scenario, order.id, 'closed')).toEqual([
      { from_status: 'confirmed', to_status: 'closed', actor: 'ben', reason: 'rest not needed' },
    ]);
  });

  it('held after partial shipment closes', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '5' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '2' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));
    const held = expectSuccess(await changeLineQuantity(scenario.ctx(), { orderId: order.id, lineNumber: 1, quantity: '20', reason: 'bigger order' }));
    expect(held.status).toBe('on_hold');

    const closed = expectSuccess(await cancelOrder(scenario.ctx('ben'), { orderId: order.id, reason: 'rest not needed' }));

    expect(closed.status).toBe('closed');
    expect(closed.holds).toEqual([]);
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '8', reserved: '0' });
  });
});

describe('cancel line', () => {
  it('cancels one line', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3', BELT: '5' });

    const after = expectSuccess(await cancelLine(scenario.ctx('ben'), { orderId: order.id, lineNumber: 2, reason: 'belt not needed' }));

    expect(after.status).toBe('confirmed');
    expect(line(after, 2).quantityCancelled).toBe('5');
    expect(line(after, 2).lineAmount).toBe('0.00');
    expect(after.netAmount).toBe('30.00');
    expect(after.grossAmount).toBe('35.70');
    expect(await scenario.stockLevel('BELT', 'MAIN')).toEqual({ onHand: '20', reserved: '0' });
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '3' });
    expect(await historyOf(scenario, order.id, 'line_cancelled')).toEqual([
      { from_status: null, to_status: null, actor: 'ben', reason: 'belt not needed' },
    ]);
  });

  it('last line cancels the order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3' });

    const after = expectSuccess(await cancelLine(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, reason: 'not needed' }));

    expect(after.status).toBe('cancelled');
  });

  it('cancelling the short line releases', async () => {
    const scenario = await gearScenario();
    const held = await scenario.submit('ACME', { GEAR: '15', BELT: '5' });
    expect(held.holds.map((hold) => hold.reason)).toEqual(['stock_shortage']);

    const after = expectSuccess(await cancelLine(scenario.ctx('ben'), { orderId: held.id, lineNumber: 1, reason: 'gear unavailable' }));

    expect(after.status).toBe('confirmed');
    expect(after.holds).toEqual([]);
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '0' });
  });

  it('unknown line', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3' });

    const rejection = expectRejection(await cancelLine(scenario.ctx('ben'), { orderId: order.id, lineNumber: 9, reason: 'typo' }), 'order_line_not_found');

    expect(rejection.facts).toEqual({ orderNumber: order.orderNumber, lineNumber: 9 });
  });
});

describe('change line quantity', () => {
  it('increase reserves more', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3' });

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '6', reason: 'customer wants more' }));

    expect(after.status).toBe('confirmed');
    expect(line(after, 1).quantityReserved).toBe('6');
    expect(after.netAmount).toBe('60.00');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '6' });
    expect(await historyOf(scenario, order.id, 'line_quantity_changed')).toEqual([
      { from_status: null, to_status: null, actor: 'ben', reason: 'customer wants more' },
    ]);
  });

  it('increase beyond stock holds', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3' });

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '12' }));

    expect(after.status).toBe('on_hold');
    expect(after.holds.map((hold) => hold.reason)).toEqual(['stock_shortage']);
    expect(line(after, 1).quantityReserved).toBe('10');
    expect(await historyOf(scenario, order.id, 'held')).toEqual([
      { from_status: 'confirmed', to_status: 'on_hold', actor: 'ben', reason: 'stock_shortage' },
    ]);
  });

  it('decrease releases reservation', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '6' });

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '2' }));

    expect(after.status).toBe('confirmed');
    expect(line(after, 1).quantityReserved).toBe('2');
    expect(after.netAmount).toBe('20.00');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '2' });
  });

  it('decrease clears a stock hold', async () => {
    const scenario = await gearScenario();
    const held = await scenario.submit('ACME', { GEAR: '12' });

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: held.id, lineNumber: 1, quantity: '10' }));

    expect(after.status).toBe('confirmed');
    expect(line(after, 1).quantityReserved).toBe('10');
  });

  it('decrease serves a waiting order', async () => {
    const scenario = await gearScenario();
    const first = await scenario.submit('ACME', { GEAR: '10' });
    const waiting = await scenario.submit('ACME', { GEAR: '3' });

    expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: first.id, lineNumber: 1, quantity: '7' }));

    expect((await getOrder(scenario.db, scenario.companyId, waiting.id)).status).toBe('confirmed');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '10', reserved: '10' });
  });

  it('decrease cancels planned shipment', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '3' });
    const [planned] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));

    expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '2' }));
    const [replanned] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id }));

    expectRejection(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: planned!.id }), 'shipment_not_planned');
    expect(replanned!.lines[0]!.quantity).toBe('2');
  });

  it('reprices at a quantity break', async () => {
    const scenario = await gearScenario();
    await scenario.addProduct({ sku: 'BOLT', price: '1.00', prices: [{ price: '0.50', minQuantity: '100' }], stock: { MAIN: '200' } });
    const order = await scenario.submit('ACME', { BOLT: '10' });

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '100' }));

    expect(line(after, 1).unitPrice).toBe('0.5');
    expect(after.netAmount).toBe('50.00');
  });

  it('cannot go below shipped', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '5' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));
    const before = await snapshot(scenario, order.id);

    const rejection = expectRejection(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '2' }), 'quantity_below_shipped');

    expect(rejection.pointer).toBe('/quantity');
    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('down to shipped closes', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '5' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '3' }));

    expect(after.status).toBe('closed');
    expect(await scenario.stockLevel('GEAR', 'MAIN')).toEqual({ onHand: '7', reserved: '0' });
  });

  it('increase reopens a closed order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    await scenario.shipAll(order.id);

    const after = expectSuccess(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '3', reason: 'one more' }));

    expect(after.status).toBe('confirmed');
    expect(line(after, 1).quantityReserved).toBe('1');
    expect(await historyOf(scenario, order.id, 'reopened')).toEqual([{ from_status: 'closed', to_status: 'confirmed', actor: 'ben', reason: 'one more' }]);
  });

  it('rejects a zero quantity', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });

    const rejection = expectRejection(await changeLineQuantity(scenario.ctx('ben'), { orderId: order.id, lineNumber: 1, quantity: '0' }), 'validation_failed');

    expect(rejection.pointer).toBe('/quantity');
  });
});

describe('invalid transitions', () => {
  it('cancel a cancelled order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    expectSuccess(await cancelOrder(scenario.ctx(), { orderId: order.id, reason: 'first' }));
    const before = await snapshot(scenario, order.id);

    const rejection = expectRejection(await cancelOrder(scenario.ctx(), { orderId: order.id, reason: 'again' }), 'invalid_transition');

    expect(rejection.facts).toEqual({ orderNumber: order.orderNumber, status: 'cancelled', action: 'cancel' });
    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('cancel a closed order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    await scenario.shipAll(order.id);
    const before = await snapshot(scenario, order.id);

    expectRejection(await cancelOrder(scenario.ctx(), { orderId: order.id, reason: 'too late' }), 'invalid_transition');

    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('release a confirmed order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    const before = await snapshot(scenario, order.id);

    const rejection = expectRejection(await releaseHold(scenario.ctx(), { orderId: order.id }), 'invalid_transition');

    expect(rejection.facts).toEqual({ orderNumber: order.orderNumber, status: 'confirmed' });
    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('cancel a line of a cancelled order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    expectSuccess(await cancelOrder(scenario.ctx(), { orderId: order.id, reason: 'first' }));
    const before = await snapshot(scenario, order.id);

    expectRejection(await cancelLine(scenario.ctx(), { orderId: order.id, lineNumber: 1, reason: 'again' }), 'invalid_transition');

    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('cancel a fully shipped line', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2', BELT: '1' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '2' }] }));
    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));
    const before = await snapshot(scenario, order.id);

    expectRejection(await cancelLine(scenario.ctx(), { orderId: order.id, lineNumber: 1, reason: 'too late' }), 'invalid_transition');

    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('change a cancelled order', async () => {
    const scenario = await gearScenario();
    const order = await scenario.submit('ACME', { GEAR: '2' });
    expectSuccess(await cancelOrder(scenario.ctx(), { orderId: order.id, reason: 'first' }));
    const before = await snapshot(scenario, order.id);

    expectRejection(await changeLineQuantity(scenario.ctx(), { orderId: order.id, lineNumber: 1, quantity: '3' }), 'invalid_transition');

    expect(await snapshot(scenario, order.id)).toEqual(before);
  });

  it('unknown order', async () => {
    const scenario = await gearScenario();

    expectRejection(await cancelOrder(scenario.ctx(), { orderId: 'SO-9999999', reason: 'none' }), 'order_not_found');
  });
});

describe('timeline', () => {
  it('records each step in order', async () => {
    const scenario = await gearScenario();
    const held = await scenario.submit('ACME', [{ sku: 'GEAR', quantity: '2', expectedUnitPrice: '9' }]);
    scenario.setDate('2024-03-02');
    expectSuccess(await releaseHold(scenario.ctx('anna'), { orderId: held.id, reason: 'accepted' }));
    scenario.setDate('2024-03-03');
    await scenario.shipAll(held.id);

    const timeline = await getOrderTimeline(scenario.db, scenario.companyId, held.id);

    expect(timeline.map((entry) => [entry.document.type, entry.event, entry.actor])).toEqual([
      ['sales_order', 'received', 'clerk'],
      ['sales_order', 'hold_placed', 'clerk'],
      ['sales_order', 'held', 'clerk'],
      ['sales_order', 'hold_released', 'anna'],
      ['sales_order', 'released', 'anna'],
      ['shipment', 'planned', 'warehouse'],
      ['shipment', 'shipped', 'warehouse'],
      ['invoice', 'invoiced', 'warehouse'],
      ['sales_order', 'closed', 'warehouse'],
    ]);
  });

  it('keeps every invariant', async () => {
    await expectNoViolations(database.db);
  });
});
