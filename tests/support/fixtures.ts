/**
 * Builds master data for command tests through the real commands: a company
 * with tax rates and warehouses, then customers and products with prices and
 * stock. Each scenario is a new company, so tests in one file can share a
 * database without seeing each other's orders, stock or invoice numbers.
 */
import { randomUUID } from 'node:crypto';

import { sql, type Kysely } from 'kysely';
import { expect } from 'vitest';

import { createProduct } from '../../src/catalog/commands/create-product.js';
import type { ProductView } from '../../src/catalog/queries/get-product.js';
import { checkInvariants, type Violation } from '../../src/checker/invariants.js';
import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import type { ShipmentView } from '../../src/fulfillment/queries/get-shipment.js';
import { createWarehouse } from '../../src/inventory/commands/create-warehouse.js';
import { receiveStock } from '../../src/inventory/commands/receive-stock.js';
import { getInvoice, type InvoiceView } from '../../src/invoicing/queries/get-invoice.js';
import { Dec } from '../../src/money/index.js';
import { submitOrder, type SubmitOrderOptions } from '../../src/orders/commands/submit-order.js';
import type { PurchaseOrderInput } from '../../src/orders/purchase-order-input.js';
import type { OrderView } from '../../src/orders/queries/get-order.js';
import { createCustomer } from '../../src/parties/commands/create-customer.js';
import type { CustomerView } from '../../src/parties/queries/get-customer.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { CommandContext } from '../../src/platform/command.js';
import { setupCompany } from '../../src/platform/company/setup-company.js';
import { createLogger } from '../../src/platform/logger.js';
import type { Rejection, RejectionCode, Result } from '../../src/platform/rejection.js';
import type { DB } from '../../src/platform/schema.js';
import { setPrice } from '../../src/pricing/commands/set-price.js';
import { setTaxRate } from '../../src/tax/commands/set-tax-rate.js';

/** Business time at which every scenario starts: a Friday, 09:00 UTC. */
export const SCENARIO_START = new Date('2024-03-01T09:00:00.000Z');

export interface ScenarioOptions {
  /** Company currency, and the currency of the default price list and of customers. Defaults to EUR. */
  currency?: string;
  /** Company country, the default warehouse's and the customers' ship-to country. Defaults to DE. */
  countryCode?: string;
  /** True when the default price list contains gross prices. Defaults to false. */
  pricesIncludeTax?: boolean;
  /**
   * Warehouses besides MAIN (priority 100, made by setupCompany). Defaults
   * to EAST with priority 200, so MAIN is reserved from first.
   */
  warehouses?: { code: string; priority: number }[];
  /** VAT rates in percent for every ship-to country. Default: standard 19, reduced 7. */
  taxRates?: { standard?: string; reduced?: string };
}

export interface CustomerOptions {
  code: string;
  /** Major units of the scenario currency, such as "1000.00"; absent means no limit. */
  creditLimit?: string | null;
  /** Payment terms code. Defaults to NET30. */
  terms?: string;
  blocked?: boolean;
  taxExempt?: boolean;
}

export interface ProductOptions {
  sku: string;
  /** List price for every customer on the default price list; absent means no price. */
  price?: string;
  /** Further price list items: quantity breaks and customer-specific prices. */
  prices?: { price: string; minQuantity?: string; customerCode?: string }[];
  /** Quantity received per warehouse code, such as { MAIN: '20', EAST: '5' }. */
  stock?: Record<string, string>;
  taxCategory?: 'standard' | 'reduced' | 'zero' | 'exempt';
  /** False for services and charges, which are never reserved. Defaults to true. */
  stocked?: boolean;
  replenishmentLeadTimeDays?: number;
}

export type OrderLines = Record<string, string> | PurchaseOrderInput['lines'];

export interface Scenario {
  db: Kysely<DB>;
  companyId: string;
  companyCode: string;
  currency: string;
  /** Business time of every context this scenario hands out. */
  clock: ManualClock;
  /** Command context for `actor`; all contexts share the scenario clock. */
  ctx(actor?: string): CommandContext;
  /** Moves business time to 09:00 UTC of a date given as YYYY-MM-DD. */
  setDate(date: string): void;
  addCustomer(options: CustomerOptions): Promise<CustomerView>;
  addProduct(options: ProductOptions): Promise<ProductView>;
  /** Receives stock through receiveStock and returns the orders it released. */
  receive(sku: string, warehouseCode: string, quantity: string): Promise<string[]>;
  /** Submits a purchase order and fails the test unless the command succeeds. */
  submit(customerCode: string, lines: OrderLines, extra?: Partial<PurchaseOrderInput>, options?: SubmitOrderOptions): Promise<OrderView>;
  /** Plans shipments of everything reserved on the order and confirms each; returns the shipments and their invoices. */
  shipAll(orderId: string): Promise<{ shipments: ShipmentView[]; invoices: InvoiceView[] }>;
  /** On hand and reserved of a product in one warehouse, as decimal strings without trailing zeros. */
  stockLevel(sku: string, warehouseCode: string): Promise<{ onHand: string; reserved: string }>;
  /** Open reservations of an order, per line and warehouse code, such as { '1/MAIN': '3' }. */
  reservations(orderId: string): Promise<Record<string, string>>;
}

/** Sets up a new company with tax rates and warehouses on `db`. */
export async function createScenario(db: Kysely<DB>, options: ScenarioOptions = {}): Promise<Scenario> {
  const currency = options.currency ?? 'EUR';
  const countryCode = options.countryCode ?? 'DE';
  const clock = new ManualClock(SCENARIO_START);
  const companyCode = `CO-${randomUUID().slice(0, 8)}`;
  const companyId = await setupCompany(db, clock, {
    code: companyCode,
    name: `Company ${companyCode}`,
    currency,
    countryCode,
    pricesIncludeTax: options.pricesIncludeTax ?? false,
  });

  const logger = createLogger({ level: 'silent' });
  const ctx = (actor = 'clerk'): CommandContext => ({ db, clock, logger, companyId, actor });
  const admin = ctx('admin');

  const rates = [
    { taxCategory: 'standard' as const, vatCategoryCode: 'S', ratePercent: options.taxRates?.standard ?? '19' },
    { taxCategory: 'reduced' as const, vatCategoryCode: 'S', ratePercent: options.taxRates?.reduced ?? '7' },
    { taxCategory: 'zero' as const, vatCategoryCode: 'Z', ratePercent: '0' },
    { taxCategory: 'exempt' as const, vatCategoryCode: 'E', ratePercent: '0' },
  ];
  for (const rate of rates) {
    expectSuccess(await setTaxRate(admin, { countryCode: '*', ...rate }));
  }
  for (const warehouse of options.warehouses ?? [{ code: 'EAST', priority: 200 }]) {
    expectSuccess(await createWarehouse(admin, { code: warehouse.code, name: `Warehouse ${warehouse.code}`, countryCode, priority: warehouse.priority }));
  }

  const priceListCode = `DEFAULT-${currency}`;
  const address = (name: string) => ({ name, line1: 'Hauptstrasse 1', city: 'Berlin', postalCode: '10115', countryCode });

  const scenario: Scenario = {
    db,
    companyId,
    companyCode,
    currency,
    clock,
    ctx,

    setDate(date) {
      clock.set(new Date(`${date}T09:00:00.000Z`));
    },

    async addCustomer(customer) {
      return expectSuccess(
        await createCustomer(admin, {
          code: customer.code,
          name: `Customer ${customer.code}`,
          currency,
          paymentTermsCode: customer.terms ?? 'NET30',
          creditLimit: customer.creditLimit ?? null,
          blocked: customer.blocked ?? false,
          taxExempt: customer.taxExempt ?? false,
          taxExemptionReason: customer.taxExempt ? 'export certificate 42' : null,
          billTo: address(`Customer ${customer.code}`),
          shipTo: [address(`Customer ${customer.code}`)],
        }),
      );
    },

    async addProduct(product) {
      const created = expectSuccess(
        await createProduct(admin, {
          sku: product.sku,
          name: `Product ${product.sku}`,
          unitCode: 'C62',
          taxCategory: product.taxCategory ?? 'standard',
          stocked: product.stocked ?? true,
          ...(product.replenishmentLeadTimeDays === undefined ? {} : { replenishmentLeadTimeDays: product.replenishmentLeadTimeDays }),
        }),
      );
      const prices = [...(product.price === undefined ? [] : [{ price: product.price }]), ...(product.prices ?? [])];
      for (const price of prices) {
        expectSuccess(
          await setPrice(admin, {
            priceListCode,
            sku: product.sku,
            unitPrice: price.price,
            minQuantity: price.minQuantity ?? '1',
            customerCode: price.customerCode ?? null,
          }),
        );
      }
      for (const [warehouseCode, quantity] of Object.entries(product.stock ?? {})) {
        if (new Dec(quantity).isZero()) continue;
        await scenario.receive(product.sku, warehouseCode, quantity);
      }
      return created;
    },

    async receive(sku, warehouseCode, quantity) {
      const outcome = expectSuccess(await receiveStock(ctx('warehouse'), { sku, warehouseCode, quantity, reference: 'test receipt' }));
      return outcome.releasedOrders;
    },

    async submit(customerCode, lines, extra = {}, submitOptions = {}) {
      const outcome = expectSuccess(await submitOrder(ctx(), { customerCode, lines: toOrderLines(lines), ...extra }, submitOptions));
      return outcome.order;
    },

    async shipAll(orderId) {
      const shipments = expectSuccess(await createShipment(ctx('warehouse'), { orderId }));
      const confirmed: ShipmentView[] = [];
      const invoices: InvoiceView[] = [];
      for (const shipment of shipments) {
        const outcome = expectSuccess(await confirmShipment(ctx('warehouse'), { shipmentId: shipment.id }));
        confirmed.push(outcome.shipment);
        invoices.push(await invoiceOfShipment(db, companyId, shipment.id));
      }
      return { shipments: confirmed, invoices };
    },

    async stockLevel(sku, warehouseCode) {
      const row = await db
        .selectFrom('stock_level as s')
        .innerJoin('product as p', 'p.id', 's.product_id')
        .innerJoin('warehouse as w', 'w.id', 's.warehouse_id')
        .select(['s.on_hand', 's.reserved'])
        .where('p.company_id', '=', companyId)
        .where('p.sku', '=', sku)
        .where('w.code', '=', warehouseCode)
        .executeTakeFirst();
      return { onHand: new Dec(row?.on_hand ?? '0').toString(), reserved: new Dec(row?.reserved ?? '0').toString() };
    },

    async reservations(orderId) {
      const rows = await db
        .selectFrom('reservation as r')
        .innerJoin('sales_order_line as l', 'l.id', 'r.order_line_id')
        .innerJoin('warehouse as w', 'w.id', 'r.warehouse_id')
        .select(['l.line_number', 'w.code', 'r.quantity'])
        .where('l.order_id', '=', orderId)
        .where('r.quantity', '>', '0')
        .orderBy('l.line_number')
        .orderBy('w.code')
        .execute();
      return Object.fromEntries(rows.map((row) => [`${row.line_number}/${row.code}`, new Dec(row.quantity).toString()]));
    },
  };
  return scenario;
}

/** Turns { SKU: quantity } into purchase order lines; arrays pass through unchanged. */
export function toOrderLines(lines: OrderLines): PurchaseOrderInput['lines'] {
  if (Array.isArray(lines)) return lines;
  return Object.entries(lines).map(([sku, quantity]) => ({ sku, quantity }));
}

/** Reads the invoice that confirming a shipment issued. */
export async function invoiceOfShipment(db: Kysely<DB>, companyId: string, shipmentId: string): Promise<InvoiceView> {
  const row = await db
    .selectFrom('invoice')
    .select('id')
    .where('shipment_id', '=', shipmentId)
    .where('kind', '=', 'invoice')
    .executeTakeFirstOrThrow();
  return getInvoice(db, companyId, row.id);
}

/** Counts the rows of a table that belong to a company. */
export async function countRows(
  db: Kysely<DB>,
  table: 'sales_order' | 'sales_order_line' | 'order_hold' | 'reservation' | 'history' | 'invoice' | 'application' | 'shipment' | 'stock_movement' | 'payment',
  companyId: string,
): Promise<number> {
  const result = await sql<{ count: string }>`SELECT COUNT(*)::text AS count FROM ${sql.table(table)} WHERE company_id = ${companyId}`.execute(db);
  return Number(result.rows[0]?.count ?? '0');
}

/** Asserts that the command succeeded and returns its value. */
export function expectSuccess<T>(result: Result<T>): T {
  if (!result.ok) {
    expect.fail(`expected success, got ${result.rejection.code}: ${result.rejection.message}`);
  }
  return result.value;
}

/** Asserts that the command was rejected with `code` and returns the rejection. */
export function expectRejection<T>(result: Result<T>, code: RejectionCode): Rejection {
  if (result.ok) {
    expect.fail(`expected rejection ${code}, got success`);
  }
  expect(result.rejection.code, result.rejection.message).toBe(code);
  return result.rejection;
}

/** Runs the invariant checker over the whole database and asserts that it finds nothing. */
export async function expectNoViolations(db: Kysely<DB>): Promise<void> {
  const { violations } = await checkInvariants(db);
  expect(violations, describeViolations(violations)).toEqual([]);
}

function describeViolations(violations: readonly Violation[]): string {
  return violations
    .slice(0, 5)
    .map((violation) => `${violation.invariant}: ${JSON.stringify(violation.row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))}`)
    .join('\n');
}
