/**
 * Drives a few hundred random commands (orders, receipts, shipments, goods
 * issues, payments, cancellations, credit notes, quantity changes) and
 * compares the database with a small in-memory model of on-hand stock and
 * customer balances, then runs the invariant checker.
 *
 * The seed is in the test name. Set O2C_TEST_SEED to replay a run.
 */
import seedrandom from 'seedrandom';
import { afterAll, beforeAll, expect, it } from 'vitest';

import { checkInvariants } from '../../src/checker/invariants.js';
import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import type { ShipmentView } from '../../src/fulfillment/queries/get-shipment.js';
import { adjustStock } from '../../src/inventory/commands/receive-stock.js';
import { issueCreditNote } from '../../src/invoicing/commands/issue-credit-note.js';
import type { InvoiceView } from '../../src/invoicing/queries/get-invoice.js';
import { Dec, toMinorUnits } from '../../src/money/index.js';
import { cancelOrder } from '../../src/orders/commands/cancel-order.js';
import { changeLineQuantity } from '../../src/orders/commands/change-line-quantity.js';
import { releaseHold } from '../../src/orders/commands/release-hold.js';
import { submitOrder } from '../../src/orders/commands/submit-order.js';
import { getOrder } from '../../src/orders/queries/get-order.js';
import { recordPayment } from '../../src/payments/commands/record-payment.js';
import type { RejectionCode, Result } from '../../src/platform/rejection.js';
import { createScenario, invoiceOfShipment, type Scenario } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const SEED = process.env.O2C_TEST_SEED ?? String(Math.floor(Math.random() * 1_000_000_000));
const OPERATIONS = 300;
/** The invariant checker also runs every this many operations, so a violation points near its cause. */
const CHECK_EVERY = 50;

const SKUS = ['P1', 'P2', 'P3'];
const PRICES: Record<string, string> = { P1: '10.00', P2: '7.50', P3: '3.33' };
const WAREHOUSES = ['MAIN', 'EAST'];
const CUSTOMERS = ['C1', 'C2', 'C3', 'C4'];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Expected state: on hand per SKU and warehouse, and each customer's balance in cents. */
interface Model {
  onHand: Map<string, Dec>;
  balanceMinor: Map<string, bigint>;
}

interface World {
  scenario: Scenario;
  model: Model;
  random: () => number;
  orders: string[];
  plannedShipments: ShipmentView[];
  invoices: { invoice: InvoiceView; warehouseCode: string; customerCode: string }[];
  trace: string[];
}

function pick<T>(world: World, items: readonly T[]): T | undefined {
  if (items.length === 0) return undefined;
  return items[Math.floor(world.random() * items.length)];
}

function integer(world: World, min: number, max: number): number {
  return min + Math.floor(world.random() * (max - min + 1));
}

function stockKey(sku: string, warehouseCode: string): string {
  return `${sku}/${warehouseCode}`;
}

function addStock(model: Model, sku: string, warehouseCode: string, quantity: Dec): void {
  const key = stockKey(sku, warehouseCode);
  model.onHand.set(key, (model.onHand.get(key) ?? new Dec(0)).plus(quantity));
}

function addBalance(model: Model, customerCode: string, minor: bigint): void {
  model.balanceMinor.set(customerCode, (model.balanceMinor.get(customerCode) ?? 0n) + minor);
}

/** Fails unless the result is a success or one of the rejections the operation may meet. */
function expectOutcome<T>(world: World, result: Result<T>, allowed: readonly RejectionCode[]): T | null {
  if (result.ok) return result.value;
  if (!allowed.includes(result.rejection.code)) {
    expect.fail(`seed ${SEED}: unexpected ${result.rejection.code}: ${result.rejection.message}\nlast steps:\n${world.trace.slice(-15).join('\n')}`);
  }
  return null;
}

const operations: Record<string, { weight: number; run: (world: World) => Promise<void> }> = {
  submit: {
    weight: 22,
    async run(world) {
      const customerCode = pick(world, CUSTOMERS)!;
      const skus = SKUS.filter(() => world.random() < 0.5);
      const lines = (skus.length > 0 ? skus : [pick(world, SKUS)!]).map((sku) => ({ sku, quantity: String(integer(world, 1, 6)) }));
      world.trace.push(`submit ${customerCode} ${JSON.stringify(lines)}`);
      const outcome = expectOutcome(world, await submitOrder(world.scenario.ctx(), { customerCode, lines }), []);
      world.orders.push(outcome!.order.id);
    },
  },
  receive: {
    weight: 12,
    async run(world) {
      const sku = pick(world, SKUS)!;
      const warehouseCode = pick(world, WAREHOUSES)!;
      const quantity = String(integer(world, 1, 12));
      world.trace.push(`receive ${quantity} ${sku} into ${warehouseCode}`);
      await world.scenario.receive(sku, warehouseCode, quantity);
      addStock(world.model, sku, warehouseCode, new Dec(quantity));
    },
  },
  plan: {
    weight: 14,
    async run(world) {
      const orderId = pick(world, world.orders);
      if (!orderId) return;
      world.trace.push(`plan shipments for ${orderId}`);
      const shipments = expectOutcome(world, await createShipment(world.scenario.ctx('warehouse'), { orderId }), ['nothing_to_ship', 'order_not_confirmed']);
      world.plannedShipments.push(...(shipments ?? []));
    },
  },
  confirm: {
    weight: 14,
    async run(world) {
      const shipment = pick(world, world.plannedShipments);
      if (!shipment) return;
      world.plannedShipments = world.plannedShipments.filter((candidate) => candidate.id !== shipment.id);
      world.trace.push(`confirm ${shipment.shipmentNumber}`);
      const outcome = expectOutcome(
        world,
        await confirmShipment(world.scenario.ctx('warehouse'), { shipmentId: shipment.id }),
        ['shipment_not_planned', 'order_not_confirmed'],
      );
      if (!outcome?.confirmed) return;

      for (const line of outcome.shipment.lines) addStock(world.model, line.sku, shipment.warehouseCode, new Dec(line.quantity).neg());
      const invoice = await invoiceOfShipment(world.scenario.db, world.scenario.companyId, shipment.id);
      world.invoices.push({ invoice, warehouseCode: shipment.warehouseCode, customerCode: invoice.customerCode });
      addBalance(world.model, invoice.customerCode, toMinorUnits(new Dec(invoice.grossAmount), 'EUR'));
    },
  },
  pay: {
    weight: 10,
    async run(world) {
      const customerCode = pick(world, CUSTOMERS)!;
      const amount = (integer(world, 100, 40_000) / 100).toFixed(2);
      world.trace.push(`pay ${amount} from ${customerCode}`);
      expectOutcome(
        world,
        await recordPayment(world.scenario.ctx('cashier'), { customerCode, amount, currency: 'EUR', receivedOn: world.scenario.clock.now().toISOString().slice(0, 10) }),
        [],
      );
      addBalance(world.model, customerCode, -toMinorUnits(new Dec(amount), 'EUR'));
    },
  },
  cancel: {
    weight: 5,
    async run(world) {
      const orderId = pick(world, world.orders);
      if (!orderId) return;
      world.trace.push(`cancel ${orderId}`);
      expectOutcome(world, await cancelOrder(world.scenario.ctx(), { orderId, reason: 'random cancellation' }), ['invalid_transition']);
    },
  },
  release: {
    weight: 6,
    async run(world) {
      const orderId = pick(world, world.orders);
      if (!orderId) return;
      world.trace.push(`release ${orderId} accepting backorder`);
      expectOutcome(
        world,
        await releaseHold(world.scenario.ctx('planner'), { orderId, overrides: ['stock_shortage'], reason: 'ship what is there' }),
        ['invalid_transition'],
      );
    },
  },
  changeQuantity: {
    weight: 6,
    async run(world) {
      const orderId = pick(world, world.orders);
      if (!orderId) return;
      const order = await getOrder(world.scenario.db, world.scenario.companyId, orderId);
      const line = pick(world, order.lines)!;
      const quantity = String(integer(world, 1, 8));
      world.trace.push(`change ${order.orderNumber} line ${line.lineNumber} to ${quantity}`);
      expectOutcome(
        world,
        await changeLineQuantity(world.scenario.ctx(), { orderId, lineNumber: line.lineNumber, quantity, reason: 'random change' }),
        ['invalid_transition', 'quantity_below_shipped'],
      );
    },
  },
  creditNote: {
    weight: 5,
    async run(world) {
      const billed = pick(world, world.invoices);
      if (!billed) return;
      const line = pick(world, billed.invoice.lines)!;
      const restock = world.random() < 0.7;
      world.trace.push(`credit 1 of ${billed.invoice.invoiceNumber} line ${line.lineNumber}${restock ? ' with restock' : ''}`);
      const creditNote = expectOutcome(
        world,
        await issueCreditNote(world.scenario.ctx('billing'), { invoiceId: billed.invoice.id, reason: 'random return', restock, lines: [{ lineNumber: line.lineNumber, quantity: '1' }] }),
        ['quantity_exceeds_returnable'],
      );
      if (!creditNote) return;

      if (restock) addStock(world.model, line.sku, billed.warehouseCode, new Dec(1));
      addBalance(world.model, billed.customerCode, -toMinorUnits(new Dec(creditNote.grossAmount), 'EUR'));
    },
  },
  writeOff: {
    weight: 4,
    async run(world) {
      const sku = pick(world, SKUS)!;
      const warehouseCode = pick(world, WAREHOUSES)!;
      world.trace.push(`adjust ${sku} in ${warehouseCode} by -1`);
      const outcome = expectOutcome(
        world,
        await adjustStock(world.scenario.ctx('counter'), { sku, warehouseCode, quantity: '-1', reason: 'random count' }),
        ['insufficient_stock'],
      );
      if (outcome) addStock(world.model, sku, warehouseCode, new Dec(-1));
    },
  },
  passTime: {
    weight: 2,
    async run(world) {
      const next = new Date(world.scenario.clock.now().getTime() + integer(world, 1, 72) * 3_600_000);
      world.trace.push(`time passes to ${next.toISOString()}`);
      world.scenario.clock.set(next);
    },
  },
};

function chooseOperation(world: World): string {
  const names = Object.keys(operations);
  const total = names.reduce((sum, name) => sum + operations[name]!.weight, 0);
  let ticket = world.random() * total;
  for (const name of names) {
    ticket -= operations[name]!.weight;
    if (ticket < 0) return name;
  }
  return names[names.length - 1]!;
}

async function expectInvariants(world: World, step: number): Promise<void> {
  const { violations } = await checkInvariants(world.scenario.db);
  const detail = violations
    .slice(0, 5)
    .map((violation) => `${violation.invariant}: ${JSON.stringify(violation.row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
    .join('\n');
  expect(violations, `seed ${SEED}, after step ${step}:\n${detail}\nlast steps:\n${world.trace.slice(-15).join('\n')}`).toEqual([]);
}

async function databaseOnHand(scenario: Scenario): Promise<Map<string, string>> {
  const rows = await scenario.db
    .selectFrom('stock_level as s')
    .innerJoin('product as p', 'p.id', 's.product_id')
    .innerJoin('warehouse as w', 'w.id', 's.warehouse_id')
    .select(['p.sku', 'w.code', 's.on_hand'])
    .where('s.company_id', '=', scenario.companyId)
    .execute();
  return new Map(rows.map((row) => [stockKey(row.sku, row.code), new Dec(row.on_hand).toString()]));
}

/** Open invoices − open credit notes − unapplied payments, per customer code. */
async function databaseBalances(scenario: Scenario): Promise<Map<string, bigint>> {
  const documents = await scenario.db
    .selectFrom('invoice as i')
    .innerJoin('customer as c', 'c.id', 'i.customer_id')
    .select(['c.code', 'i.kind', 'i.open_minor'])
    .where('i.company_id', '=', scenario.companyId)
    .execute();
  const payments = await scenario.db
    .selectFrom('payment as p')
    .innerJoin('customer as c', 'c.id', 'p.customer_id')
    .select(['c.code', 'p.unapplied_minor'])
    .where('p.company_id', '=', scenario.companyId)
    .execute();

  const balances = new Map<string, bigint>();
  const add = (code: string, minor: bigint) => balances.set(code, (balances.get(code) ?? 0n) + minor);
  for (const row of documents) add(row.code, row.kind === 'invoice' ? row.open_minor : -row.open_minor);
  for (const row of payments) add(row.code, -row.unapplied_minor);
  return balances;
}

it(`random commands match the model, seed ${SEED}`, { timeout: 120_000 }, async () => {
  const scenario = await createScenario(database.db);
  for (const code of CUSTOMERS) await scenario.addCustomer({ code });
  for (const sku of SKUS) await scenario.addProduct({ sku, price: PRICES[sku]! });

  const world: World = {
    scenario,
    model: { onHand: new Map(), balanceMinor: new Map() },
    random: seedrandom(SEED),
    orders: [],
    plannedShipments: [],
    invoices: [],
    trace: [],
  };

  for (let step = 1; step <= OPERATIONS; step += 1) {
    await operations[chooseOperation(world)]!.run(world);
    if (step % CHECK_EVERY === 0) await expectInvariants(world, step);
  }
  await expectInvariants(world, OPERATIONS);

  const onHand = await databaseOnHand(scenario);
  for (const sku of SKUS) {
    for (const warehouseCode of WAREHOUSES) {
      const key = stockKey(sku, warehouseCode);
      expect(onHand.get(key) ?? '0', `seed ${SEED}: on hand of ${key}`).toBe((world.model.onHand.get(key) ?? new Dec(0)).toString());
    }
  }

  const balances = await databaseBalances(scenario);
  for (const code of CUSTOMERS) {
    expect(balances.get(code) ?? 0n, `seed ${SEED}: balance of ${code}`).toBe(world.model.balanceMinor.get(code) ?? 0n);
  }

  // The run must have reached the interesting states, or it proves little.
  expect(world.invoices.length, `seed ${SEED}: invoices issued`).toBeGreaterThanOrEqual(3);
});
