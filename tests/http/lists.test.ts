import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectProblem, expectStatus, setUpMasterData, startTestApi, type TestApi } from './http-fixture.js';

let api: TestApi;
const orderNumbers: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  await setUpMasterData(api, { customerCode: 'ACME' });
  await setUpMasterData(api, { customerCode: 'BETA' });

  // Five orders a minute apart; the third and fifth wait for a price decision.
  for (let index = 0; index < 5; index += 1) {
    api.clock.set(new Date(Date.UTC(2024, 2, 1, 9, index)));
    const held = index === 2 || index === 4;
    const body = {
      customerCode: index === 4 ? 'BETA' : 'ACME',
      lines: [{ sku: 'WIDGET', quantity: '1', ...(held ? { expectedUnitPrice: '9.00' } : {}) }],
    };
    orderNumbers.push(expectStatus(await api.request('POST', '/orders', { body }), 201).orderNumber);
  }
});

afterAll(async () => {
  await api?.close();
});

describe('list routes', () => {
  it('orders page through oldest first', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page += 1) {
      const url: string = `/orders?limit=2${after === null ? '' : `&after=${after}`}`;
      const body = expectStatus(await api.request('GET', url), 200);
      expect(body.items.length).toBeLessThanOrEqual(2);
      seen.push(...body.items.map((item: { orderNumber: string }) => item.orderNumber));
      after = body.nextAfter;
      if (after === null) break;
    }
    expect(seen).toEqual(orderNumbers);
  });

  it('orders filter by status, hold reason and customer', async () => {
    const held = expectStatus(await api.request('GET', '/orders?status=on_hold'), 200);
    expect(held.items.map((item: { orderNumber: string }) => item.orderNumber)).toEqual([orderNumbers[2], orderNumbers[4]]);
    expect(held.nextAfter).toBeNull();

    const heldForAcme = expectStatus(await api.request('GET', '/orders?holdReason=price_mismatch&customerCode=ACME'), 200);
    expect(heldForAcme.items.map((item: { orderNumber: string }) => item.orderNumber)).toEqual([orderNumbers[2]]);
    expect(heldForAcme.items[0].holds[0].facts.lines[0]).toMatchObject({ sku: 'WIDGET', expectedUnitPrice: '9' });

    const none = expectStatus(await api.request('GET', '/orders?holdReason=credit_limit'), 200);
    expect(none.items).toEqual([]);
  });

  it('unknown after id ends the list', async () => {
    const body = expectStatus(await api.request('GET', '/orders?after=00000000-0000-4000-8000-000000000000'), 200);
    expect(body).toEqual({ items: [], nextAfter: null });
    expectProblem(await api.request('GET', '/orders?after=SO-0000001'), 422, 'validation_failed');
  });

  it('shipments filter by status', async () => {
    const planned = expectStatus(await api.request('POST', `/orders/${orderNumbers[0]}/shipments`), 201);
    expectStatus(await api.request('POST', `/orders/${orderNumbers[1]}/shipments`), 201);
    expectStatus(await api.request('POST', `/shipments/${planned.shipments[0].id}/confirm`), 200);

    const queue = expectStatus(await api.request('GET', '/shipments?status=planned'), 200);
    expect(queue.items.map((item: { orderNumber: string }) => item.orderNumber)).toEqual([orderNumbers[1]]);
    const done = expectStatus(await api.request('GET', '/shipments?status=confirmed&warehouseCode=MAIN'), 200);
    expect(done.items.map((item: { orderNumber: string }) => item.orderNumber)).toEqual([orderNumbers[0]]);
    expect(done.items[0].shippedAt).not.toBeNull();
  });

  it('invoices filter by kind, status and customer', async () => {
    const invoices = expectStatus(await api.request('GET', '/invoices?kind=invoice&status=open&customerCode=ACME'), 200);
    expect(invoices.items).toHaveLength(1);
    expect(invoices.items[0]).toMatchObject({ kind: 'invoice', orderNumber: orderNumbers[0], status: 'open', grossAmount: '11.90', openAmount: '11.90' });

    const creditNotes = expectStatus(await api.request('GET', '/invoices?kind=credit_note'), 200);
    expect(creditNotes.items).toEqual([]);
    const paid = expectStatus(await api.request('GET', '/invoices?status=paid'), 200);
    expect(paid.items).toEqual([]);
  });

  it('stock shows every warehouse', async () => {
    expectStatus(await api.request('POST', '/warehouses', { body: { code: 'EAST', name: 'East', countryCode: 'DE', priority: 200 } }), 201);
    const stock = expectStatus(await api.request('GET', '/stock?sku=WIDGET'), 200);
    expect(stock.levels.map((level: { warehouseCode: string }) => level.warehouseCode)).toEqual(['MAIN', 'EAST']);
    expect(stock.levels[1]).toEqual({ warehouseCode: 'EAST', warehouseName: 'East', onHand: '0', reserved: '0', available: '0' });
    // Five orders of one reserve five, held orders included; one shipped.
    expect(stock.total).toEqual({ onHand: '99', reserved: '4', available: '95' });

    const problem = expectProblem(await api.request('GET', '/stock'), 422, 'validation_failed');
    expect(problem.errors[0].pointer).toBe('/sku');
  });

  it('master data reads back', async () => {
    const customer = expectStatus(await api.request('GET', '/customers/ACME'), 200);
    expect(customer).toMatchObject({ code: 'ACME', currency: 'EUR', creditLimit: null });
    const product = expectStatus(await api.request('GET', '/products/WIDGET'), 200);
    expect(product).toMatchObject({ sku: 'WIDGET', unitCode: 'C62', taxCategory: 'standard' });
    const priceList = expectStatus(await api.request('GET', '/price-lists/DEFAULT-EUR'), 200);
    expect(priceList.items.map((item: { sku: string; unitPrice: string }) => `${item.sku} ${item.unitPrice}`)).toEqual(['BOOK 20', 'WIDGET 10']);
    const company = expectStatus(await api.request('GET', `/companies/${api.companyCode}`), 200);
    expect(company).toMatchObject({ code: api.companyCode, currency: 'EUR', countryCode: 'DE' });

    const again = await api.request('POST', '/companies', { body: { code: api.companyCode, name: 'Other name', currency: 'EUR', countryCode: 'DE' } });
    expect(expectStatus(again, 200).name).toBe('Example Trading GmbH');
    const duplicate = expectProblem(await api.request('POST', '/customers', { body: { code: 'ACME' } }), 422, 'validation_failed');
    expect(duplicate.errors.length).toBeGreaterThan(1);
  });
});
