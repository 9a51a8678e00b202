import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { submitOrder } from '../../src/orders/commands/submit-order.js';
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

/** Sets up a EUR company with customer ACME and WIDGET at 10.00 net, 100 in stock. */
async function widgetScenario(): Promise<Scenario> {
  const scenario = await createScenario(database.db);
  await scenario.addCustomer({ code: 'ACME' });
  await scenario.addProduct({ sku: 'WIDGET', price: '10.00', stock: { MAIN: '100' } });
  return scenario;
}

function pointersOf(facts: Record<string, unknown>): string[] {
  return (facts.errors as { pointer: string }[]).map((error) => error.pointer);
}

describe('pricing', () => {
  it('uses the list price', async () => {
    const scenario = await widgetScenario();

    const order = await scenario.submit('ACME', { WIDGET: '3' });

    expect(order.status).toBe('confirmed');
    expect(order.lines[0]!.unitPrice).toBe('10');
    expect(order.lines[0]!.lineAmount).toBe('30.00');
    expect(order.netAmount).toBe('30.00');
    expect(order.taxAmount).toBe('5.70');
    expect(order.grossAmount).toBe('35.70');
  });

  it('customer price beats list price', async () => {
    const scenario = await widgetScenario();
    await scenario.addCustomer({ code: 'VIP' });
    await scenario.addProduct({ sku: 'GADGET', price: '10.00', prices: [{ price: '8.50', customerCode: 'VIP' }], stock: { MAIN: '10' } });

    const vip = await scenario.submit('VIP', { GADGET: '2' });
    const other = await scenario.submit('ACME', { GADGET: '2' });

    expect(vip.lines[0]!.unitPrice).toBe('8.5');
    expect(vip.netAmount).toBe('17.00');
    expect(other.lines[0]!.unitPrice).toBe('10');
  });

  it('quantity break applies from its minimum', async () => {
    const scenario = await widgetScenario();
    await scenario.addProduct({ sku: 'BOLT', price: '1.00', prices: [{ price: '0.80', minQuantity: '10' }], stock: { MAIN: '100' } });

    const below = await scenario.submit('ACME', { BOLT: '9' });
    const at = await scenario.submit('ACME', { BOLT: '10' });

    expect(below.lines[0]!.unitPrice).toBe('1');
    expect(at.lines[0]!.unitPrice).toBe('0.8');
    expect(at.lines[0]!.lineAmount).toBe('8.00');
  });

  it('customer break beats general break', async () => {
    const scenario = await widgetScenario();
    await scenario.addCustomer({ code: 'VIP' });
    await scenario.addProduct({
      sku: 'NUT',
      price: '2.00',
      prices: [
        { price: '1.50', minQuantity: '10' },
        { price: '1.80', customerCode: 'VIP' },
        { price: '1.20', minQuantity: '10', customerCode: 'VIP' },
      ],
      stock: { MAIN: '100' },
    });

    const vipSmall = await scenario.submit('VIP', { NUT: '5' });
    const vipLarge = await scenario.submit('VIP', { NUT: '10' });
    const otherLarge = await scenario.submit('ACME', { NUT: '10' });

    expect(vipSmall.lines[0]!.unitPrice).toBe('1.8');
    expect(vipLarge.lines[0]!.unitPrice).toBe('1.2');
    expect(otherLarge.lines[0]!.unitPrice).toBe('1.5');
  });

  it('applies the line discount once', async () => {
    const scenario = await widgetScenario();

    // 3 × 3.33 × 0.85 = 8.4915, rounded once to 8.49.
    await scenario.addProduct({ sku: 'ODD', price: '3.33', stock: { MAIN: '10' } });
    const order = await scenario.submit('ACME', [{ sku: 'ODD', quantity: '3', discountPercent: '15' }]);

    expect(order.lines[0]!.lineAmount).toBe('8.49');
    expect(order.netAmount).toBe('8.49');
  });
});

describe('tax', () => {
  it('exclusive tax is per document', async () => {
    const scenario = await widgetScenario();
    for (const sku of ['A', 'B', 'C']) await scenario.addProduct({ sku, price: '0.50', stock: { MAIN: '5' } });

    // Per line 0.50 × 19 % = 0.095 rounds to 0.10, three times 0.30; per document 1.50 × 19 % = 0.285 rounds to 0.29.
    const order = await scenario.submit('ACME', { A: '1', B: '1', C: '1' });

    expect(order.netAmount).toBe('1.50');
    expect(order.taxAmount).toBe('0.29');
    expect(order.grossAmount).toBe('1.79');
  });

  it('exclusive tax per rate', async () => {
    const scenario = await widgetScenario();
    await scenario.addProduct({ sku: 'BOOK', price: '20.00', taxCategory: 'reduced', stock: { MAIN: '5' } });

    const order = await scenario.submit('ACME', { WIDGET: '1', BOOK: '1' });

    expect(order.lines.map((line) => line.taxRatePercent)).toEqual(['19', '7']);
    expect(order.taxAmount).toBe('3.30');
    expect(order.grossAmount).toBe('33.30');
  });

  it('inclusive gross splits exactly', async () => {
    const scenario = await createScenario(database.db, { pricesIncludeTax: true });
    await scenario.addCustomer({ code: 'SHOP' });
    for (const sku of ['A', 'B', 'C']) await scenario.addProduct({ sku, price: '10.00', stock: { MAIN: '5' } });

    // Per line 10.00 × 19/119 = 1.597 rounds to 1.60, three times 4.80; per document 30.00 × 19/119 = 4.790 rounds to 4.79.
    const order = await scenario.submit('SHOP', { A: '1', B: '1', C: '1' });

    expect(order.pricesIncludeTax).toBe(true);
    expect(order.grossAmount).toBe('30.00');
    expect(order.taxAmount).toBe('4.79');
    expect(order.netAmount).toBe('25.21');
  });

  it('inclusive net plus tax is gross', async () => {
    const scenario = await createScenario(database.db, { pricesIncludeTax: true });
    await scenario.addCustomer({ code: 'SHOP' });
    await scenario.addProduct({ sku: 'TEA', price: '4.99', stock: { MAIN: '50' } });
    await scenario.addProduct({ sku: 'CUP', price: '7.77', taxCategory: 'reduced', stock: { MAIN: '50' } });

    const order = await scenario.submit('SHOP', { TEA: '7', CUP: '3' });
    const row = await scenario.db.selectFrom('sales_order').select(['net_minor', 'tax_minor', 'gross_minor']).where('id', '=', order.id).executeTakeFirstOrThrow();

    // Gross 7 × 4.99 + 3 × 7.77 = 58.24; tax 34.93 × 19/119 = 5.58 plus 23.31 × 7/107 = 1.52.
    expect(row.gross_minor).toBe(5824n);
    expect(row.tax_minor).toBe(710n);
    expect(row.net_minor + row.tax_minor).toBe(row.gross_minor);
  });

  it('exempt customer pays no tax', async () => {
    const scenario = await widgetScenario();
    await scenario.addCustomer({ code: 'EXPORT', taxExempt: true });

    const order = await scenario.submit('EXPORT', { WIDGET: '2' });

    expect(order.lines[0]!.vatCategoryCode).toBe('E');
    expect(order.taxAmount).toBe('0.00');
    expect(order.grossAmount).toBe('20.00');
  });
});

describe('currencies', () => {
  it('JPY has no decimals', async () => {
    const scenario = await createScenario(database.db, { currency: 'JPY', countryCode: 'JP', taxRates: { standard: '10' } });
    await scenario.addCustomer({ code: 'TOKYO' });
    await scenario.addProduct({ sku: 'CHA', price: '333', stock: { MAIN: '10' } });

    // 999 × 10 % = 99.9 yen, rounded to 100.
    const order = await scenario.submit('TOKYO', { CHA: '3' });

    expect(order.currency).toBe('JPY');
    expect(order.netAmount).toBe('999');
    expect(order.taxAmount).toBe('100');
    expect(order.grossAmount).toBe('1099');
  });

  it('JPY rounds a fractional price', async () => {
    const scenario = await createScenario(database.db, { currency: 'JPY', countryCode: 'JP', taxRates: { standard: '10' } });
    await scenario.addCustomer({ code: 'TOKYO' });
    await scenario.addProduct({ sku: 'RICE', price: '12.5', stock: { MAIN: '10' } });

    // 3 × 12.5 = 37.5 yen, rounded half up once to 38.
    const order = await scenario.submit('TOKYO', { RICE: '3' });
    const row = await scenario.db.selectFrom('sales_order').select(['net_minor', 'tax_minor']).where('id', '=', order.id).executeTakeFirstOrThrow();

    expect(row.net_minor).toBe(38n);
    expect(row.tax_minor).toBe(4n);
  });

  it('BHD has three decimals', async () => {
    const scenario = await createScenario(database.db, { currency: 'BHD', countryCode: 'BH', taxRates: { standard: '10' } });
    await scenario.addCustomer({ code: 'MANAMA' });
    await scenario.addProduct({ sku: 'DATE', price: '1.234', stock: { MAIN: '10' } });

    // 3 × 1.234 = 3.702; 10 % of it is 0.3702, rounded to 0.370.
    const order = await scenario.submit('MANAMA', { DATE: '3' });
    const row = await scenario.db.selectFrom('sales_order').select(['net_minor', 'tax_minor', 'gross_minor']).where('id', '=', order.id).executeTakeFirstOrThrow();

    expect(order.netAmount).toBe('3.702');
    expect(order.taxAmount).toBe('0.370');
    expect(order.grossAmount).toBe('4.072');
    expect(row.gross_minor).toBe(4072n);
  });

  it('KWD rounds at the third decimal', async () => {
    const scenario = await createScenario(database.db, { currency: 'KWD', countryCode: 'KW', taxRates: { standard: '5' } });
    await scenario.addCustomer({ code: 'KUWAIT' });
    await scenario.addProduct({ sku: 'OIL', price: '0.3335', stock: { MAIN: '10' } });

    // 1.5 × 0.3335 = 0.50025, rounded half up to 0.500; 5 % tax is 0.025.
    const order = await scenario.submit('KUWAIT', { OIL: '1.5' });

    expect(order.netAmount).toBe('0.500');
    expect(order.taxAmount).toBe('0.025');
  });
});

describe('holds at intake', () => {
  it('price mismatch holds with facts', async () => {
    const scenario = await widgetScenario();

    const order = await scenario.submit('ACME', [{ sku: 'WIDGET', quantity: '2', expectedUnitPrice: '9.50' }]);

    expect(order.status).toBe('on_hold');
    expect(order.holds.map((hold) => hold.reason)).toEqual(['price_mismatch']);
    expect(order.holds[0]!.facts).toEqual({ lines: [{ line: 1, sku: 'WIDGET', expectedUnitPrice: '9.5', listUnitPrice: '10' }] });
    expect(order.lines[0]!.unitPrice).toBe('10');
    expect(order.lines[0]!.quantityReserved).toBe('2');
  });

  it('matching expected price confirms', async () => {
    const scenario = await widgetScenario();

    const order = await scenario.submit('ACME', [{ sku: 'WIDGET', quantity: '2', expectedUnitPrice: '10.00' }]);

    expect(order.status).toBe('confirmed');
    expect(order.holds).toEqual([]);
  });

  it('blocked customer holds', async () => {
    const scenario = await widgetScenario();
    await scenario.addCustomer({ code: 'BAD', blocked: true });

    const order = await scenario.submit('BAD', { WIDGET: '1' });

    expect(order.status).toBe('on_hold');
    expect(order.holds.map((hold) => hold.reason)).toEqual(['customer_blocked']);
    expect(order.holds[0]!.facts).toEqual({ customerCode: 'BAD' });
  });

  it('every failed check is a hold', async () => {
    const scenario = await widgetScenario();
    await scenario.addCustomer({ code: 'WORST', blocked: true, creditLimit: '10.00' });

    const order = await scenario.submit('WORST', [{ sku: 'WIDGET', quantity: '101', expectedUnitPrice: '9' }]);

    expect(order.status).toBe('on_hold');
    expect(order.holds.map((hold) => hold.reason).sort()).toEqual(['credit_limit', 'customer_blocked', 'price_mismatch', 'stock_shortage']);
  });

  it('stock shortage holds and backorders', async () => {
    const scenario = await widgetScenario();

    const order = await scenario.submit('ACME', { WIDGET: '120' });

    expect(order.status).toBe('on_hold');
    expect(order.holds.map((hold) => hold.reason)).toEqual(['stock_shortage']);
    expect(order.lines[0]!.quantityReserved).toBe('100');
    expect(order.lines[0]!.quantityBackordered).toBe('20');
    expect(order.lines[0]!.promisedShipDate).toBe('2024-03-15');
  });
});

describe('rejections', () => {
  it('unknown SKU names the line', async () => {
    const scenario = await widgetScenario();

    const rejection = expectRejection(
      await submitOrder(scenario.ctx(), {
        customerCode: 'ACME',
        lines: [
          { sku: 'WIDGET', quantity: '1' },
          { sku: 'NOPE', quantity: '1' },
        ],
      }),
      'product_not_found',
    );

    expect(rejection.pointer).toBe('/lines/1/sku');
    expect(rejection.facts).toEqual({ skus: ['NOPE'], lines: [2] });
  });

  it('unknown SKU writes nothing', async () => {
    const scenario = await widgetScenario();

    expectRejection(
      await submitOrder(scenario.ctx(), { customerCode: 'ACME', customerPoNumber: 'PO-X', lines: [{ sku: 'WIDGET', quantity: '5' }, { sku: 'NOPE', quantity: '1' }] }),
      'product_not_found',
    );

    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(0);
    expect(await countRows(scenario.db, 'sales_order_line', scenario.companyId)).toBe(0);
    expect(await countRows(scenario.db, 'reservation', scenario.companyId)).toBe(0);
    expect(await scenario.stockLevel('WIDGET', 'MAIN')).toEqual({ onHand: '100', reserved: '0' });
    const orderHistory = await scenario.db.selectFrom('history').select('id').where('company_id', '=', scenario.companyId).where('entity_type', '=', 'sales_order').execute();
    expect(orderHistory).toEqual([]);
  });

  it('unknown customer', async () => {
    const scenario = await widgetScenario();

    const rejection = expectRejection(await submitOrder(scenario.ctx(), { customerCode: 'GHOST', lines: [{ sku: 'WIDGET', quantity: '1' }] }), 'customer_not_found');

    expect(rejection.pointer).toBe('/customerCode');
  });

  it('missing price', async () => {
    const scenario = await widgetScenario();
    await scenario.addProduct({ sku: 'UNPRICED', stock: { MAIN: '5' } });

    const rejection = expectRejection(await submitOrder(scenario.ctx(), { customerCode: 'ACME', lines: [{ sku: 'UNPRICED', quantity: '1' }] }), 'price_missing');

    expect(rejection.pointer).toBe('/lines/0/sku');
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(0);
  });

  it('empty lines', async () => {
    const scenario = await widgetScenario();

    const rejection = expectRejection(await submitOrder(scenario.ctx(), { customerCode: 'ACME', lines: [] }), 'validation_failed');

    expect(pointersOf(rejection.facts)).toEqual(['/lines']);
  });

  it('names every invalid field', async () => {
    const scenario = await widgetScenario();

    const rejection = expectRejection(
      await submitOrder(scenario.ctx(), {
        customerCode: '',
        lines: [
          { sku: 'WIDGET', quantity: '0' },
          { sku: '', quantity: '1' },
          { sku: 'WIDGET', quantity: '-2' },
          { sku: 'WIDGET', quantity: '1,5' },
          { sku: 'WIDGET', quantity: '1', expectedUnitPrice: '1e3' },
        ],
      }),
      'validation_failed',
    );

    expect(pointersOf(rejection.facts).sort()).toEqual(
      ['/customerCode', '/lines/0/quantity', '/lines/1/sku', '/lines/2/quantity', '/lines/3/quantity', '/lines/4/expectedUnitPrice'].sort(),
    );
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(0);
  });

  it('rejects an impossible date', async () => {
    const scenario = await widgetScenario();

    const rejection = expectRejection(
      await submitOrder(scenario.ctx(), { customerCode: 'ACME', requestedDeliveryDate: '2024-02-30', lines: [{ sku: 'WIDGET', quantity: '1' }] }),
      'validation_failed',
    );

    expect(pointersOf(rejection.facts)).toEqual(['/requestedDeliveryDate']);
  });
});

describe('idempotent resubmission', () => {
  it('same key returns the order', async () => {
    const scenario = await widgetScenario();
    const po = { customerCode: 'ACME', customerPoNumber: 'PO-1', lines: [{ sku: 'WIDGET', quantity: '2' }] };

    const first = expectSuccess(await submitOrder(scenario.ctx(), po, { idempotencyKey: 'k-1' }));
    const second = expectSuccess(await submitOrder(scenario.ctx(), po, { idempotencyKey: 'k-1' }));

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.order.id).toBe(first.order.id);
    expect(await scenario.stockLevel('WIDGET', 'MAIN')).toEqual({ onHand: '100', reserved: '2' });
  });

  it('same PO number returns the order', async () => {
    const scenario = await widgetScenario();
    const po = { customerCode: 'ACME', customerPoNumber: 'PO-2', lines: [{ sku: 'WIDGET', quantity: '2' }] };

    const first = expectSuccess(await submitOrder(scenario.ctx(), po));
    const second = expectSuccess(await submitOrder(scenario.ctx(), po, { idempotencyKey: 'k-new' }));

    expect(second.created).toBe(false);
    expect(second.order.id).toBe(first.order.id);
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(1);
  });

  it('same key for another PO', async () => {
    const scenario = await widgetScenario();
    const first = expectSuccess(
      await submitOrder(scenario.ctx(), { customerCode: 'ACME', customerPoNumber: 'PO-3', lines: [{ sku: 'WIDGET', quantity: '1' }] }, { idempotencyKey: 'k-3' }),
    );

    const rejection = expectRejection(
      await submitOrder(scenario.ctx(), { customerCode: 'ACME', customerPoNumber: 'PO-4', lines: [{ sku: 'WIDGET', quantity: '1' }] }, { idempotencyKey: 'k-3' }),
      'idempotency_key_reused',
    );

    expect(rejection.facts.existingOrderId).toBe(first.order.id);
    expect(await countRows(scenario.db, 'sales_order', scenario.companyId)).toBe(1);
  });

  it('keys are per company', async () => {
    const first = await widgetScenario();
    const second = await widgetScenario();
    const po = { customerCode: 'ACME', customerPoNumber: 'PO-5', lines: [{ sku: 'WIDGET', quantity: '1' }] };

    const a = expectSuccess(await submitOrder(first.ctx(), po, { idempotencyKey: 'shared-key' }));
    const b = expectSuccess(await submitOrder(second.ctx(), po, { idempotencyKey: 'shared-key' }));

    expect(b.created).toBe(true);
    expect(b.order.id).not.toBe(a.order.id);
  });
});

describe('order record', () => {
  it('writes received and confirmed history', async () => {
    const scenario = await widgetScenario();

    const order = await scenario.submit('ACME', { WIDGET: '1' }, { channel: 'edi', customerPoNumber: 'PO-H' });
    const history = await scenario.db
      .selectFrom('history')
      .select(['event', 'from_status', 'to_status', 'actor'])
      .where('order_id', '=', order.id)
      .orderBy('id')
      .execute();

    expect(history).toEqual([
      { event: 'received', from_status: null, to_status: 'draft', actor: 'clerk' },
      { event: 'confirmed', from_status: 'draft', to_status: 'confirmed', actor: 'clerk' },
    ]);
  });

  it('stores the order as read back', async () => {
    const scenario = await widgetScenario();

    const order = await scenario.submit('ACME', { WIDGET: '4' }, { customerPoNumber: 'PO-R', requestedDeliveryDate: '2024-03-20' });
    const reread = await getOrder(scenario.db, scenario.companyId, order.id);

    expect(reread).toEqual(order);
    expect(reread.lines[0]!.promisedShipDate).toBe('2024-03-20');
    expect(reread.orderDate).toBe('2024-03-01');
  });

  it('keeps every invariant', async () => {
    await expectNoViolations(database.db);
  });
});
