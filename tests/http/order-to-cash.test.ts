import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectProblem, expectStatus, setUpMasterData, startTestApi, type TestApi } from './http-fixture.js';

/**
 * Each staff workflow step over HTTP, in the order a business day brings
 * them. The steps share one database, so later steps build on earlier ones.
 */

let api: TestApi;

/** The order-desk order of 10 widgets and 2 books that most steps work on. */
let mainOrder: { id: string; orderNumber: string };
let firstInvoiceNumber: string;
let secondInvoiceNumber: string;

const ACME = 'ACME';
const PURCHASE_ORDER = {
  customerCode: ACME,
  customerPoNumber: 'PO-100',
  lines: [
    { sku: 'WIDGET', quantity: '10' },
    { sku: 'BOOK', quantity: '2' },
  ],
};

function at(iso: string): void {
  api.clock.set(new Date(iso));
}

beforeAll(async () => {
  api = await startTestApi();
  await setUpMasterData(api, { customerCode: ACME });
});

afterAll(async () => {
  await api?.close();
});

describe('order desk', () => {
  it('submitted order is confirmed with amounts as strings', async () => {
    at('2024-03-01T09:00:00Z');
    const response = await api.request('POST', '/orders', { body: PURCHASE_ORDER, headers: { 'Idempotency-Key': 'acme-po-100' } });
    const order = expectStatus(response, 201);

    expect(order.status).toBe('confirmed');
    expect(order.orderNumber).toMatch(/^SO-\d{7}$/);
    expect(response.headers.location).toBe(`/orders/${order.id}`);
    // 10 × 10.00 at 19 % and 2 × 20.00 at 7 %: tax 19.00 + 2.80.
    expect(order.netAmount).toBe('140.00');
    expect(order.taxAmount).toBe('21.80');
    expect(order.grossAmount).toBe('161.80');
    expect(order.lines[0]).toMatchObject({ sku: 'WIDGET', quantityOrdered: '10', quantityReserved: '10', unitPrice: '10', lineAmount: '100.00' });
    expect(order.lines[1]).toMatchObject({ sku: 'BOOK', quantityOrdered: '2', taxRatePercent: '7', lineAmount: '40.00' });
    expect(order.holds).toEqual([]);
    mainOrder = { id: order.id, orderNumber: order.orderNumber };
  });

  it('same Idempotency-Key returns the same order', async () => {
    const response = await api.request('POST', '/orders', { body: PURCHASE_ORDER, headers: { 'Idempotency-Key': 'acme-po-100' } });
    const order = expectStatus(response, 200);

    expect(order.id).toBe(mainOrder.id);
    expect(response.headers['idempotent-replayed']).toBe('true');
    const list = expectStatus(await api.request('GET', `/orders?customerCode=${ACME}`), 200);
    expect(list.items).toHaveLength(1);
    const stock = expectStatus(await api.request('GET', '/stock?sku=WIDGET'), 200);
    expect(stock.total).toEqual({ onHand: '100', reserved: '10', available: '90' });
  });

  it('same customer PO number returns the same order', async () => {
    const withOtherKey = await api.request('POST', '/orders', { body: PURCHASE_ORDER, headers: { 'Idempotency-Key': 'acme-po-100-again' } });
    expect(expectStatus(withOtherKey, 200).id).toBe(mainOrder.id);
    const withoutKey = await api.request('POST', '/orders', { body: PURCHASE_ORDER });
    expect(expectStatus(withoutKey, 200).id).toBe(mainOrder.id);

    const list = expectStatus(await api.request('GET', `/orders?customerCode=${ACME}`), 200);
    expect(list.items).toHaveLength(1);
  });

  it('reused key with another order is rejected', async () => {
    const other = { ...PURCHASE_ORDER, customerPoNumber: 'PO-101' };
    const problem = expectProblem(await api.request('POST', '/orders', { body: other, headers: { 'Idempotency-Key': 'acme-po-100' } }), 422, 'idempotency_key_reused');
    expect(problem.facts.idempotencyKey).toBe('acme-po-100');
  });

  it('price mismatch holds the order until a person releases it', async () => {
    at('2024-03-01T10:00:00Z');
    const body = { customerCode: ACME, customerPoNumber: 'PO-200', lines: [{ sku: 'BOOK', quantity: '1', expectedUnitPrice: '18.00' }] };
    const held = expectStatus(await api.request('POST', '/orders', { body }), 201);
    expect(held.status).toBe('on_hold');
    expect(held.holds).toHaveLength(1);
    expect(held.holds[0].reason).toBe('price_mismatch');
    expect(held.holds[0].facts).toEqual({ lines: [{ line: 1, sku: 'BOOK', listUnitPrice: '20', expectedUnitPrice: '18' }] });

    const queue = expectStatus(await api.request('GET', '/orders?status=on_hold&holdReason=price_mismatch'), 200);
    expect(queue.items.map((item: { id: string }) => item.id)).toEqual([held.id]);
    expect(queue.items[0].holds[0].reason).toBe('price_mismatch');

    at('2024-03-01T11:00:00Z');
    const release = await api.request('POST', `/orders/${held.orderNumber}/release`, {
      body: { reason: 'customer accepted the list price' },
      headers: { 'O2C-Actor': 'clerk.anna' },
    });
    const released = expectStatus(release, 200);
    expect(released.released).toEqual(['price_mismatch']);
    expect(released.remaining).toEqual([]);
    expect(released.order.status).toBe('confirmed');

    const timeline = expectStatus(await api.request('GET', `/orders/${held.id}/timeline`), 200);
    const releaseEntry = timeline.entries.find((entry: { event: string }) => entry.event === 'hold_released');
    expect(releaseEntry).toMatchObject({ actor: 'clerk.anna', reason: 'customer accepted the list price', at: '2024-03-01T11:00:00.000Z' });
  });

  it('order on hold can be rejected', async () => {
    const body = { customerCode: ACME, customerPoNumber: 'PO-201', lines: [{ sku: 'WIDGET', quantity: '1', expectedUnitPrice: '9.00' }] };
    const held = expectStatus(await api.request('POST', '/orders', { body }), 201);
    expect(held.status).toBe('on_hold');

    const rejected = expectStatus(await api.request('POST', `/orders/${held.id}/reject`, { body: { reason: 'price not agreed' } }), 200);
    expect(rejected.status).toBe('cancelled');
    expect(rejected.lines[0].quantityReserved).toBe('0');

    const again = expectProblem(await api.request('POST', `/orders/${held.id}/release`), 409, 'invalid_transition');
    expect(again.facts.status).toBe('cancelled');
  });

  it('reject needs a reason', async () => {
    const problem = expectProblem(await api.request('POST', `/orders/${mainOrder.id}/reject`, { body: {} }), 422, 'validation_failed');
    expect(problem.errors.map((error: { pointer: string }) => error.pointer)).toEqual(['/reason']);
  });
});

describe('credit manager', () => {
  it('credit hold is released when payment arrives', async () => {
    at('2024-03-01T12:00:00Z');
    await setUpMasterData(api, { customerCode: 'TIGHT', creditLimit: '200.00' });

    // 10 widgets: 100.00 + 19 % = 119.00, within the 200.00 limit.
    const first = expectStatus(await api.request('POST', '/orders', { body: { customerCode: 'TIGHT', lines: [{ sku: 'WIDGET', quantity: '10' }] } }), 201);
    expect(first.status).toBe('confirmed');
    const planned = expectStatus(await api.request('POST', `/orders/${first.id}/shipments`, { body: {} }), 201);
    const confirmed = expectStatus(await api.request('POST', `/shipments/${planned.shipments[0].id}/confirm`), 200);
    const invoiceNumber = confirmed.shipment.invoiceNumber;

    // Another 119.00 makes the exposure 238.00, over the limit.
    const second = expectStatus(await api.request('POST', '/orders', { body: { customerCode: 'TIGHT', lines: [{ sku: 'WIDGET', quantity: '10' }] } }), 201);
    expect(second.status).toBe('on_hold');
    expect(second.holds[0].reason).toBe('credit_limit');
    expect(second.holds[0].facts).toMatchObject({ currency: 'EUR', creditLimit: '200.00', exposure: '238.00', overLimit: '38.00' });

    const queue = expectStatus(await api.request('GET', '/orders?holdReason=credit_limit'), 200);
    expect(queue.items.map((item: { orderNumber: string }) => item.orderNumber)).toEqual([second.orderNumber]);

    at('2024-03-05T08:00:00Z');
    const payment = await api.request('POST', '/payments', {
      body: { customerCode: 'TIGHT', amount: '119.00', currency: 'EUR', receivedOn: '2024-03-05', method: 'bank_transfer', reference: 'statement 42' },
      headers: { 'O2C-Actor': 'cash.app' },
    });
    const paid = expectStatus(payment, 201);
    expect(paid.releasedOrders).toEqual([second.orderNumber]);
    expect(paid.payment.applications).toEqual([{ invoiceNumber, amount: '119.00', discount: '0.00', appliedOn: '2024-03-05' }]);
    expect(paid.payment.unappliedAmount).toBe('0.00');

    const after = expectStatus(await api.request('GET', `/orders/${second.id}`), 200);
    expect(after.status).toBe('confirmed');
    expect(after.holds).toEqual([]);
    const timeline = expectStatus(await api.request('GET', `/orders/${second.id}/timeline`), 200);
    expect(timeline.entries.find((entry: { event: string }) => entry.event === 'hold_auto_released')).toMatchObject({ actor: 'system' });
  });

  it('raised credit limit releases the held order', async () => {
    at('2024-03-05T09:00:00Z');
    const held = expectStatus(await api.request('POST', '/orders', { body: { customerCode: 'TIGHT', lines: [{ sku: 'WIDGET', quantity: '10' }] } }), 201);
    expect(held.status).toBe('on_hold');

    // A release without an override runs the credit check again, which still fails.
    const still = expectStatus(await api.request('POST', `/orders/${held.id}/release`, { headers: { 'O2C-Actor': 'credit.carl' } }), 200);
    expect(still.released).toEqual([]);
    expect(still.remaining).toEqual(['credit_limit']);
    expect(still.order.status).toBe('on_hold');

    const credit = await api.request('PATCH', '/customers/TIGHT/credit', { body: { creditLimit: '500.00', reason: 'annual review' }, headers: { 'O2C-Actor': 'credit.carl' } });
    const updated = expectStatus(credit, 200);
    expect(updated.customer.creditLimit).toBe('500.00');
    expect(updated.events).toEqual(['credit_limit_changed']);

    const after = expectStatus(await api.request('GET', `/orders/${held.id}`), 200);
    expect(after.status).toBe('confirmed');
    const timeline = expectStatus(await api.request('GET', `/orders/${held.id}/timeline`), 200);
    expect(timeline.entries.at(-1)).toMatchObject({ event: 'released', fromStatus: 'on_hold', reason: 'annual review' });
  });

  it('credit manager override releases over the limit', async () => {
    // 40 widgets: 476.00, over the 500.00 limit with the orders already confirmed.
    const held = expectStatus(await api.request('POST', '/orders', { body: { customerCode: 'TIGHT', lines: [{ sku: 'WIDGET', quantity: '40' }] } }), 201);
    expect(held.holds.map((hold: { reason: string }) => hold.reason)).toEqual(['credit_limit']);

    const released = await api.request('POST', `/orders/${held.id}/release`, {
      body: { overrides: ['credit_limit'], reason: 'secured by guarantee' },
      headers: { 'O2C-Actor': 'credit.carl' },
    });
    expect(expectStatus(released, 200).order.status).toBe('confirmed');
    const cancelled = await api.request('POST', `/orders/${held.id}/cancel`, { body: { reason: 'customer withdrew the order' } });
    expect(expectStatus(cancelled, 200).status).toBe('cancelled');

    const unknownOverride = await api.request('POST', `/orders/${held.id}/release`, { body: { overrides: ['anything'] } });
    expect(expectProblem(unknownOverride, 422, 'validation_failed').errors[0].pointer).toBe('/overrides/0');
  });
});

describe('warehouse', () => {
  it('stock hold is released when stock arrives', async () => {
    at('2024-03-01T13:00:00Z');
    expectStatus(await api.request('POST', '/products', { body: { sku: 'GADGET', name: 'Gadget', unitCode: 'C62', taxCategory: 'standard' } }), 201);
    expectStatus(await api.request('POST', '/price-lists/DEFAULT-EUR/prices', { body: { sku: 'GADGET', unitPrice: '5.50' } }), 201);

    const held = expectStatus(await api.request('POST', '/orders', { body: { customerCode: ACME, lines: [{ sku: 'GADGET', quantity: '5' }] } }), 201);
    expect(held.status).toBe('on_hold');
    expect(held.holds[0].reason).toBe('stock_shortage');
    expect(held.holds[0].facts.lines[0]).toMatchObject({ line: 1, sku: 'GADGET', requested: '5', reserved: '0', short: '5' });
    expect(held.lines[0].quantityBackordered).toBe('5');

    const receipt = await api.request('POST', '/stock/receipts', {
      body: { sku: 'GADGET', warehouseCode: 'MAIN', quantity: '8', reference: 'ASN 7781' },
      headers: { 'O2C-Actor': 'goods.in' },
    });
    const received = expectStatus(receipt, 201);
    expect(received.releasedOrders).toEqual([held.orderNumber]);
    expect(received).toMatchObject({ onHand: '8', reserved: '5', created: true });

    const after = expectStatus(await api.request('GET', `/orders/${held.id}`), 200);
    expect(after.status).toBe('confirmed');
    expect(after.lines[0].quantityReserved).toBe('5');
  });

  it('count adjustment cannot take reserved stock', async () => {
    const problem = expectProblem(
      await api.request('POST', '/stock/adjustments', { body: { sku: 'GADGET', warehouseCode: 'MAIN', quantity: '-4', reason: 'count' } }),
      409,
      'insufficient_stock',
    );
    expect(problem.errors).toEqual([{ pointer: '/quantity', detail: problem.detail }]);

    const adjusted = expectStatus(
      await api.request('POST', '/stock/adjustments', { body: { sku: 'GADGET', warehouseCode: 'MAIN', quantity: '-3', reason: 'count' } }),
      201,
    );
    expect(adjusted).toMatchObject({ onHand: '5', reserved: '5' });
  });

  it('partial shipment leaves the backorder open', async () => {
    at('2024-03-02T10:00:00Z');
    const planned = await api.request('POST', `/orders/${mainOrder.orderNumber}/shipments`, {
      body: { lines: [{ lineNumber: 1, quantity: '4' }], carrier: 'DHL' },
    });
    const { shipments } = expectStatus(planned, 201);
    expect(shipments).toHaveLength(1);
    expect(shipments[0]).toMatchObject({ status: 'planned', warehouseCode: 'MAIN', carrier: 'DHL', invoiceNumber: null });
    expect(shipments[0].lines).toEqual([{ lineNumber: 1, sku: 'WIDGET', unitCode: 'C62', quantity: '4' }]);

    const queue = expectStatus(await api.request('GET', '/shipments?status=planned'), 200);
    expect(queue.items.map((item: { id: string }) => item.id)).toContain(shipments[0].id);
    const queued = queue.items.find((item: { id: string }) => item.id === shipments[0].id);
    expect(queued.lines).toEqual([{ lineNumber: 1, sku: 'WIDGET', description: 'Widget', quantity: '4', unitCode: 'C62' }]);

    const confirm = await api.request('POST', `/shipments/${shipments[0].shipmentNumber}/confirm`, {
      body: { trackingNumber: '1Z999AA10123456784' },
      headers: { 'O2C-Actor': 'warehouse.wim' },
    });
    const confirmed = expectStatus(confirm, 200);
    expect(confirmed.confirmed).toBe(true);
    expect(confirmed.shipment).toMatchObject({ status: 'confirmed', trackingNumber: '1Z999AA10123456784', shippedAt: '2024-03-02T10:00:00.000Z' });
    firstInvoiceNumber = confirmed.shipment.invoiceNumber;
    expect(firstInvoiceNumber).toMatch(/^INV-2024-\d{6}$/);

    const order = expectStatus(await api.request('GET', `/orders/${mainOrder.id}`), 200);
    expect(order.status).toBe('confirmed');
    expect(order.lines[0]).toMatchObject({ quantityShipped: '4', quantityInvoiced: '4', quantityOpen: '6', quantityReserved: '6', deliveryStatus: 'partially_shipped' });
    expect(order.lines[1]).toMatchObject({ quantityShipped: '0', quantityOpen: '2' });

    const again = expectStatus(await api.request('POST', `/shipments/${shipments[0].id}/confirm`), 200);
    expect(again.confirmed).toBe(false);
  });

  it('confirmed shipment issues an invoice with tax breakdown', async () => {
    const invoice = expectStatus(await api.request('GET', `/invoices/${firstInvoiceNumber}`), 200);
    expect(invoice).toMatchObject({
      kind: 'invoice',
      orderNumber: mainOrder.orderNumber,
      customerCode: ACME,
      issueDate: '2024-03-02',
      dueDate: '2024-04-01',
      status: 'open',
      netAmount: '40.00',
      taxAmount: '7.60',
      grossAmount: '47.60',
      openAmount: '47.60',
    });
    expect(invoice.taxBreakdown).toEqual([{ vatCategoryCode: 'S', ratePercent: '19', taxableAmount: '40.00', taxAmount: '7.60' }]);
    expect(invoice.lines).toHaveLength(1);
    expect(invoice.lines[0]).toMatchObject({ sku: 'WIDGET', quantity: '4', unitPrice: '10', lineNetAmount: '40.00' });

    at('2024-03-04T10:00:00Z');
    const rest = expectStatus(await api.request('POST', `/orders/${mainOrder.id}/shipments`), 201);
    const confirmed = expectStatus(await api.request('POST', `/shipments/${rest.shipments[0].id}/confirm`), 200);
    secondInvoiceNumber = confirmed.shipment.invoiceNumber;

    const second = expectStatus(await api.request('GET', `/invoices/${secondInvoiceNumber}`), 200);
    expect(second).toMatchObject({ netAmount: '100.00', taxAmount: '14.20', grossAmount: '114.20' });
    const byRate = Object.fromEntries(second.taxBreakdown.map((row: { ratePercent: string }) => [row.ratePercent, row]));
    expect(byRate['19']).toEqual({ vatCategoryCode: 'S', ratePercent: '19', taxableAmount: '60.00', taxAmount: '11.40' });
    expect(byRate['7']).toEqual({ vatCategoryCode: 'S', ratePercent: '7', taxableAmount: '40.00', taxAmount: '2.80' });

    const order = expectStatus(await api.request('GET', `/orders/${mainOrder.id}`), 200);
    expect(order.status).toBe('closed');
  });

  it('invoice numbers have no gaps', async () => {
    const list = expectStatus(await api.request('GET', '/invoices?kind=invoice'), 200);
    const sequence = list.items.map((item: { invoiceNumber: string }) => Number(item.invoiceNumber.slice('INV-2024-'.length))).sort((a: number, b: number) => a - b);
    expect(sequence.length).toBeGreaterThanOrEqual(3);
    expect(sequence).toEqual(sequence.map((_: number, index: number) => index + 1));
    expect(Number(secondInvoiceNumber.slice(-6))).toBe(Number(firstInvoiceNumber.slice(-6)) + 1);
  });

  it('shipment of a held order is rejected', async () => {
    const body = { customerCode: ACME, lines: [{ sku: 'WIDGET', quantity: '1', expectedUnitPrice: '1.00' }] };
    const held = expectStatus(await api.request('POST', '/orders', { body }), 201);
    const problem = expectProblem(await api.request('POST', `/orders/${held.id}/shipments`), 409, 'order_not_confirmed');
    expect(problem.facts).toEqual({ orderNumber: held.orderNumber, status: 'on_hold' });
    expectStatus(await api.request('POST', `/orders/${held.id}/cancel`, { body: { reason: 'entered by mistake' } }), 200);
  });
});

describe('billing and collections', () => {
  it('partial payment leaves the invoice partially paid', async () => {
    at('2024-03-10T09:00:00Z');
    const body = { customerCode: ACME, amount: '20.00', currency: 'EUR', receivedOn: '2024-03-10', applications: [{ invoiceNumber: firstInvoiceNumber, amount: '20.00' }] };
    const payment = expectStatus(await api.request('POST', '/payments', { body, headers: { 'Idempotency-Key': 'bank-2024-03-10-1' } }), 201);
    expect(payment.payment.amount).toBe('20.00');

    const invoice = expectStatus(await api.request('GET', `/invoices/${firstInvoiceNumber}`), 200);
    expect(invoice.status).toBe('partially_paid');
    expect(invoice.openAmount).toBe('27.60');

    const list = expectStatus(await api.request('GET', `/invoices?customerCode=${ACME}&status=partially_paid`), 200);
    expect(list.items.map((item: { invoiceNumber: string }) => item.invoiceNumber)).toEqual([firstInvoiceNumber]);
  });

  it('payment of the rest marks the invoice paid', async () => {
    const body = { customerCode: ACME, amount: '27.60', currency: 'EUR', receivedOn: '2024-03-11', applications: [{ invoiceNumber: firstInvoiceNumber, amount: '27.60' }] };
    const payment = expectStatus(await api.request('POST', '/payments', { body }), 201);
    expect(payment.payment.unappliedAmount).toBe('0.00');

    const fetched = expectStatus(await api.request('GET', `/payments/${payment.payment.paymentNumber}`), 200);
    expect(fetched.applications).toEqual([{ invoiceNumber: firstInvoiceNumber, amount: '27.60', discount: '0.00', appliedOn: '2024-03-11' }]);

    const invoice = expectStatus(await api.request('GET', `/invoices/${firstInvoiceNumber}`), 200);
    expect(invoice).toMatchObject({ status: 'paid', openAmount: '0.00' });
    const paid = expectStatus(await api.request('GET', `/invoices?customerCode=${ACME}&status=paid`), 200);
    expect(paid.items.map((item: { invoiceNumber: string }) => item.invoiceNumber)).toEqual([firstInvoiceNumber]);
  });

  it('payment on account is applied later', async () => {
    const onAccount = expectStatus(
      await api.request('POST', '/payments', { body: { customerCode: ACME, amount: '2.30', currency: 'EUR', receivedOn: '2024-03-11', applications: [] } }),
      201,
    );
    // Applications [] keeps the cash on account.
    expect(onAccount.payment.applications).toEqual([]);
    expect(onAccount.payment.unappliedAmount).toBe('2.30');

    // Applying without a list takes the oldest open invoice: the second one.
    const applied = expectStatus(await api.request('POST', `/payments/${onAccount.payment.id}/apply`), 200);
    expect(applied.applications.map((row: { invoiceNumber: string }) => row.invoiceNumber)).toEqual([secondInvoiceNumber]);

    const overApplied = await api.request('POST', `/payments/${onAccount.payment.id}/apply`, {
      body: { applications: [{ invoiceNumber: secondInvoiceNumber, amount: '5.00' }] },
    });
    expectProblem(overApplied, 409, 'over_application');
  });

  it('credit note for a return restocks and lowers the open amount', async () => {
    at('2024-03-12T09:00:00Z');
    const before = expectStatus(await api.request('GET', '/stock?sku=WIDGET'), 200);
    const response = await api.request('POST', `/invoices/${secondInvoiceNumber}/credit-notes`, {
      body: { reason: 'damaged in transit', restock: true, lines: [{ lineNumber: 1, quantity: '1' }] },
      headers: { 'O2C-Actor': 'billing.bea', 'Idempotency-Key': 'rma-0001' },
    });
    const creditNote = expectStatus(response, 201);
    expect(creditNote).toMatchObject({
      kind: 'credit_note',
      correctedInvoiceNumber: secondInvoiceNumber,
      reason: 'damaged in transit',
      netAmount: '10.00',
      taxAmount: '1.90',
      grossAmount: '11.90',
      openAmount: '0.00',
    });
    expect(creditNote.invoiceNumber).toMatch(/^CN-2024-000001$/);

    // 114.20 − 2.30 paid on account − 11.90 credited.
    const invoice = expectStatus(await api.request('GET', `/invoices/${secondInvoiceNumber}`), 200);
    expect(invoice).toMatchObject({ status: 'partially_paid', openAmount: '100.00' });
    const after = expectStatus(await api.request('GET', '/stock?sku=WIDGET'), 200);
    expect(Number(after.total.onHand) - Number(before.total.onHand)).toBe(1);
    const order = expectStatus(await api.request('GET', `/orders/${mainOrder.id}`), 200);
    expect(order.lines[0].quantityReturned).toBe('1');

    const tooMuch = await api.request('POST', `/invoices/${secondInvoiceNumber}/credit-notes`, {
      body: { reason: 'again', restock: false, lines: [{ lineNumber: 1, quantity: '6' }] },
    });
    const problem = expectProblem(tooMuch, 409, 'quantity_exceeds_returnable');
    expect(problem.errors[0].pointer).toBe('/lines/0/quantity');
  });

  it('customer balance shows open items and days past due', async () => {
    const balance = expectStatus(await api.request('GET', `/customers/${ACME}/balance?asOf=2024-05-15`), 200);
    const second = balance.openItems.find((item: { number: string }) => item.number === secondInvoiceNumber);
    // Due 2024-04-03 (NET30 from 2024-03-04): 42 days past due on 2024-05-15.
    expect(second).toMatchObject({ kind: 'invoice', dueDate: '2024-04-03', openAmount: '100.00', status: 'partially_paid', daysPastDue: 42, agingBucket: 'days_31_60' });
    expect(balance.openItems.some((item: { number: string }) => item.number === firstInvoiceNumber)).toBe(false);
    expect(balance.currency).toBe('EUR');
    expect(balance.openInvoices).toBe(balance.overdue);
  });

  it('aging report puts open invoices in buckets', async () => {
    const current = expectStatus(await api.request('GET', '/receivables/aging?asOf=2024-03-15'), 200);
    const acmeNow = current.customers.find((row: { customerCode: string }) => row.customerCode === ACME);
    expect(acmeNow.buckets).toMatchObject({ current: '100.00', days_31_60: '0.00' });

    const later = expectStatus(await api.request('GET', '/receivables/aging?asOf=2024-05-15'), 200);
    const acmeLater = later.customers.find((row: { customerCode: string }) => row.customerCode === ACME);
    expect(acmeLater.buckets).toEqual({ current: '0.00', days_1_30: '0.00', days_31_60: '100.00', days_61_90: '0.00', days_over_90: '0.00' });
    expect(later.totals.EUR.openInvoices).toBe(later.customers.reduce((sum: number, row: { openInvoices: string }) => sum + Number(row.openInvoices), 0).toFixed(2));

    const dso = expectStatus(await api.request('GET', '/receivables/dso?asOf=2024-03-31&periodDays=30'), 200);
    expect(dso.periodDays).toBe(30);
    expect(dso.daysSalesOutstanding.EUR).toMatch(/^\d+(\.\d)?$/);
  });
});

describe('order changes', () => {
  let changeOrder: { id: string };

  it('cancelled line releases its stock and lowers the total', async () => {
    at('2024-03-13T09:00:00Z');
    const body = { customerCode: ACME, customerPoNumber: 'PO-300', lines: [{ sku: 'WIDGET', quantity: '2' }, { sku: 'BOOK', quantity: '1' }] };
    const order = expectStatus(await api.request('POST', '/orders', { body }), 201);
    expect(order.grossAmount).toBe('45.20');
    changeOrder = { id: order.id };
    const bookBefore = expectStatus(await api.request('GET', '/stock?sku=BOOK'), 200);

    const cancelled = expectStatus(
      await api.request('POST', `/orders/${order.id}/lines/2/cancel`, { body: { reason: 'customer no longer needs it' } }),
      200,
    );
    expect(cancelled.lines[1]).toMatchObject({ quantityCancelled: '1', quantityReserved: '0', quantityOpen: '0' });
    expect(cancelled.grossAmount).toBe('23.80');
    expect(cancelled.status).toBe('confirmed');
    const bookAfter = expectStatus(await api.request('GET', '/stock?sku=BOOK'), 200);
    expect(Number(bookAfter.total.reserved)).toBe(Number(bookBefore.total.reserved) - 1);

    expectProblem(await api.request('POST', `/orders/${order.id}/lines/9/cancel`, { body: { reason: 'x' } }), 404, 'order_line_not_found');
  });

  it('changed quantity reserves more and reprices', async () => {
    const changed = expectStatus(await api.request('PATCH', `/orders/${changeOrder.id}/lines/1`, { body: { quantity: '5', reason: 'customer called' } }), 200);
    expect(changed.lines[0]).toMatchObject({ quantityOrdered: '5', quantityReserved: '5', lineAmount: '50.00' });
    expect(changed.grossAmount).toBe('59.50');

    const invalid = expectProblem(await api.request('PATCH', `/orders/${changeOrder.id}/lines/1`, { body: { quantity: '-1' } }), 422, 'validation_failed');
    expect(invalid.errors).toEqual([{ pointer: '/quantity', detail: expect.stringContaining('decimal string') }]);
  });

  it('quantity below shipped is rejected', async () => {
    const problem = expectProblem(await api.request('PATCH', `/orders/${mainOrder.id}/lines/1`, { body: { quantity: '3' } }), 409, 'quantity_below_shipped');
    expect(problem.errors[0].pointer).toBe('/quantity');
    expect(problem.facts).toMatchObject({ lineNumber: 1, requested: '3' });
  });

  it('whole order can be cancelled before shipping', async () => {
    const cancelled = expectStatus(await api.request('POST', `/orders/${changeOrder.id}/cancel`, { body: { reason: 'duplicate of PO-100' } }), 200);
    expect(cancelled.status).toBe('cancelled');
    const shipped = expectProblem(await api.request('POST', `/orders/${mainOrder.id}/cancel`, { body: { reason: 'too late' } }), 409, 'invalid_transition');
    expect(shipped.facts).toMatchObject({ status: 'closed', action: 'cancel' });
  });
});

describe('timeline', () => {
  it('order timeline lists events oldest first', async () => {
    const timeline = expectStatus(await api.request('GET', `/orders/${mainOrder.orderNumber}/timeline`), 200);
    const entries = timeline.entries as { at: string; event: string; actor: string; document: { type: string; number: string } }[];

    expect(entries.map((entry) => `${entry.document.type}:${entry.event}`)).toEqual([
      'sales_order:received',
      'sales_order:confirmed',
      'shipment:planned',
      'shipment:shipped',
      'invoice:invoiced',
      'shipment:planned',
      'shipment:shipped',
      'invoice:invoiced',
      'sales_order:closed',
      'invoice:partially_paid',
      'invoice:paid',
      'invoice:partially_paid',
      'invoice:credit_note_issued',
      'invoice:credit_applied',
    ]);
    const times = entries.map((entry) => entry.at);
    expect(times).toEqual([...times].sort());
    const shipped = entries.find((entry) => entry.event === 'shipped');
    expect(shipped).toMatchObject({ actor: 'warehouse.wim', at: '2024-03-02T10:00:00.000Z' });
    expect(shipped?.document.number).toMatch(/^SH-\d{7}$/);
    const credit = entries.find((entry) => entry.event === 'credit_note_issued');
    expect(credit?.document.number).toBe('CN-2024-000001');
  });
});

describe('checks', () => {
  it('invariants hold after the workflow', async () => {
    const checks = expectStatus(await api.request('GET', '/checks'), 200);
    expect(checks.violations).toEqual([]);
    expect(checks.ok).toBe(true);
  });
});
