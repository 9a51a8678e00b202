import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { confirmShipment } from '../../src/fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../../src/fulfillment/commands/create-shipment.js';
import { issueCreditNote } from '../../src/invoicing/commands/issue-credit-note.js';
import { getInvoice, type InvoiceView } from '../../src/invoicing/queries/get-invoice.js';
import { getOrder } from '../../src/orders/queries/get-order.js';
import { applyPayment } from '../../src/payments/commands/apply-payment.js';
import { recordPayment, type RecordPaymentInput } from '../../src/payments/commands/record-payment.js';
import { getAgingReport } from '../../src/receivables/queries/aging-report.js';
import { countRows, createScenario, expectNoViolations, expectRejection, expectSuccess, invoiceOfShipment, type Scenario } from '../support/fixtures.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database?.drop();
});

/** Sets up customer ACME on `terms`, UNIT at 100.00 net (119.00 gross) and BOOK at 20.00 with 7 % tax, 100 of each in MAIN. */
async function billingScenario(terms = 'NET30'): Promise<Scenario> {
  const scenario = await createScenario(database.db);
  await scenario.addCustomer({ code: 'ACME', terms });
  await scenario.addProduct({ sku: 'UNIT', price: '100.00', stock: { MAIN: '100' } });
  await scenario.addProduct({ sku: 'BOOK', price: '20.00', taxCategory: 'reduced', stock: { MAIN: '100' } });
  return scenario;
}

/** Submits an order for `units` UNITs, ships it whole and returns its invoice. */
async function invoiceFor(scenario: Scenario, units: string, customerCode = 'ACME'): Promise<InvoiceView> {
  const order = await scenario.submit(customerCode, { UNIT: units });
  const { invoices } = await scenario.shipAll(order.id);
  return invoices[0]!;
}

function pay(scenario: Scenario, input: Partial<RecordPaymentInput> & { amount: string }) {
  return recordPayment(scenario.ctx('cashier'), { customerCode: 'ACME', currency: 'EUR', receivedOn: '2024-03-05', ...input });
}

async function reread(scenario: Scenario, invoice: InvoiceView): Promise<InvoiceView> {
  return getInvoice(scenario.db, scenario.companyId, invoice.id);
}

describe('invoice on goods issue', () => {
  it('bills exactly the shipped quantity', async () => {
    const scenario = await billingScenario();
    const order = await scenario.submit('ACME', { UNIT: '5' });
    const [shipment] = expectSuccess(await createShipment(scenario.ctx('warehouse'), { orderId: order.id, lines: [{ lineNumber: 1, quantity: '3' }] }));

    expectSuccess(await confirmShipment(scenario.ctx('warehouse'), { shipmentId: shipment!.id }));
    const invoice = await invoiceOfShipment(scenario.db, scenario.companyId, shipment!.id);
    const after = await getOrder(scenario.db, scenario.companyId, order.id);

    expect(invoice.lines.map((line) => [line.sku, line.quantity, line.lineNetAmount])).toEqual([['UNIT', '3', '300.00']]);
    expect(invoice.netAmount).toBe('300.00');
    expect(invoice.taxAmount).toBe('57.00');
    expect(invoice.grossAmount).toBe('357.00');
    expect(invoice.status).toBe('open');
    expect(after.lines[0]!.quantityInvoiced).toBe('3');
    expect(after.lines[0]!.billingStatus).toBe('partially_invoiced');
  });

  it('numbers are gapless per company', async () => {
    const scenario = await billingScenario();
    const other = await billingScenario();

    const numbers = [];
    for (let index = 0; index < 3; index += 1) numbers.push((await invoiceFor(scenario, '1')).invoiceNumber);
    const otherFirst = (await invoiceFor(other, '1')).invoiceNumber;

    expect(numbers).toEqual(['INV-2024-000001', 'INV-2024-000002', 'INV-2024-000003']);
    expect(otherFirst).toBe('INV-2024-000001');
  });

  it('a new year restarts numbering', async () => {
    const scenario = await billingScenario();
    scenario.clock.set(new Date('2024-12-31T23:30:00.000Z'));
    const last = await invoiceFor(scenario, '1');
    scenario.clock.set(new Date('2025-01-01T00:30:00.000Z'));

    const first = await invoiceFor(scenario, '1');

    expect(last.invoiceNumber).toBe('INV-2024-000001');
    expect(last.issueDate).toBe('2024-12-31');
    expect(first.invoiceNumber).toBe('INV-2025-000001');
    expect(first.issueDate).toBe('2025-01-01');
  });

  it('split shipment makes two invoices', async () => {
    const scenario = await billingScenario();
    await scenario.addProduct({ sku: 'PUMP', price: '10.00', stock: { MAIN: '1', EAST: '2' } });
    const order = await scenario.submit('ACME', { PUMP: '3' });

    const { invoices } = await scenario.shipAll(order.id);

    expect(invoices.map((invoice) => invoice.invoiceNumber).sort()).toEqual(['INV-2024-000001', 'INV-2024-000002']);
    expect(invoices.map((invoice) => invoice.lines[0]!.quantity).sort()).toEqual(['1', '2']);
  });

  it('due date from NET30', async () => {
    const scenario = await billingScenario('NET30');

    const invoice = await invoiceFor(scenario, '1');

    expect(invoice.issueDate).toBe('2024-03-01');
    expect(invoice.dueDate).toBe('2024-03-31');
    expect(invoice.discountDeadline).toBeNull();
    expect(invoice.paymentTermsCode).toBe('NET30');
  });

  it('due date and discount from 2/10 NET30', async () => {
    const scenario = await billingScenario('2/10 NET30');

    const invoice = await invoiceFor(scenario, '1');

    expect(invoice.dueDate).toBe('2024-03-31');
    expect(invoice.discountDeadline).toBe('2024-03-11');
  });

  it('due on receipt', async () => {
    const scenario = await billingScenario('DUE_ON_RECEIPT');

    const invoice = await invoiceFor(scenario, '1');

    expect(invoice.dueDate).toBe('2024-03-01');
  });

  it('tax breakdown per rate', async () => {
    const scenario = await billingScenario();
    const order = await scenario.submit('ACME', { UNIT: '2', BOOK: '3' });

    const { invoices } = await scenario.shipAll(order.id);
    const invoice = invoices[0]!;

    expect(invoice.taxBreakdown).toEqual([
      { vatCategoryCode: 'S', ratePercent: '7', taxableAmount: '60.00', taxAmount: '4.20' },
      { vatCategoryCode: 'S', ratePercent: '19', taxableAmount: '200.00', taxAmount: '38.00' },
    ]);
    expect(invoice.taxAmount).toBe('42.20');
    expect(invoice.grossAmount).toBe('302.20');
  });

  it('tax-inclusive invoice keeps the gross', async () => {
    const scenario = await createScenario(database.db, { pricesIncludeTax: true });
    await scenario.addCustomer({ code: 'SHOP' });
    for (const sku of ['A', 'B', 'C']) await scenario.addProduct({ sku, price: '10.00', stock: { MAIN: '5' } });
    const order = await scenario.submit('SHOP', { A: '1', B: '1', C: '1' });

    const invoice = (await scenario.shipAll(order.id)).invoices[0]!;

    expect(invoice.grossAmount).toBe('30.00');
    expect(invoice.taxAmount).toBe('4.79');
    expect(invoice.netAmount).toBe('25.21');
    expect(invoice.lines.map((line) => line.lineNetAmount)).toEqual(['8.40', '8.40', '8.41']);
  });
});

describe('credit notes', () => {
  it('return restocks and settles the invoice', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '3');
    expect(await scenario.stockLevel('UNIT', 'MAIN')).toEqual({ onHand: '97', reserved: '0' });

    const creditNote = expectSuccess(
      await issueCreditNote(scenario.ctx('billing'), { invoiceId: invoice.id, reason: 'damaged in transit', lines: [{ lineNumber: 1, quantity: '1' }] }),
    );
    const after = await reread(scenario, invoice);

    expect(creditNote.kind).toBe('credit_note');
    expect(creditNote.invoiceNumber).toBe('CN-2024-000001');
    expect(creditNote.correctedInvoiceNumber).toBe(invoice.invoiceNumber);
    expect(creditNote.grossAmount).toBe('119.00');
    expect(creditNote.openAmount).toBe('0.00');
    expect(after.openAmount).toBe('238.00');
    expect(await scenario.stockLevel('UNIT', 'MAIN')).toEqual({ onHand: '98', reserved: '0' });
  });

  it('full return closes the invoice', async () => {
    const scenario = await billingScenario();
    const order = await scenario.submit('ACME', { UNIT: '2' });
    const invoice = (await scenario.shipAll(order.id)).invoices[0]!;

    expectSuccess(await issueCreditNote(scenario.ctx('billing'), { invoiceId: invoice.invoiceNumber, reason: 'wrong item', lines: [{ lineNumber: 1, quantity: '2' }] }));
    const after = await reread(scenario, invoice);
    const line = (await getOrder(scenario.db, scenario.companyId, order.id)).lines[0]!;

    expect(after.openAmount).toBe('0.00');
    expect(after.status).toBe('paid');
    expect(line.quantityReturned).toBe('2');
  });

  it('without restock leaves stock', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '2');

    expectSuccess(await issueCreditNote(scenario.ctx('billing'), { invoiceId: invoice.id, reason: 'written off', restock: false, lines: [{ lineNumber: 1, quantity: '1' }] }));

    expect(await scenario.stockLevel('UNIT', 'MAIN')).toEqual({ onHand: '98', reserved: '0' });
  });

  it('on a paid invoice leaves credit', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '1');
    expectSuccess(await pay(scenario, { amount: '119.00' }));

    const creditNote = expectSuccess(await issueCreditNote(scenario.ctx('billing'), { invoiceId: invoice.id, reason: 'returned', lines: [{ lineNumber: 1, quantity: '1' }] }));
    const aging = await getAgingReport(scenario.db, scenario.companyId, '2024-03-05');

    expect(creditNote.openAmount).toBe('119.00');
    expect(aging.customers[0]!.unappliedCredits).toBe('119.00');
    expect(aging.customers[0]!.balance).toBe('-119.00');
  });

  it('cannot credit more than invoiced', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '2');
    expectSuccess(await issueCreditNote(scenario.ctx('billing'), { invoiceId: invoice.id, reason: 'returned', lines: [{ lineNumber: 1, quantity: '1' }] }));

    const rejection = expectRejection(
      await issueCreditNote(scenario.ctx('billing'), { invoiceId: invoice.id, reason: 'returned again', lines: [{ lineNumber: 1, quantity: '2' }] }),
      'quantity_exceeds_returnable',
    );

    expect(rejection.pointer).toBe('/lines/0/quantity');
    expect(rejection.facts).toMatchObject({ invoiced: '2', alreadyCredited: '1', requested: '2' });
    expect(await countRows(scenario.db, 'invoice', scenario.companyId)).toBe(2);
  });

  it('same idempotency key credits once', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '2');
    const input = { invoiceId: invoice.id, reason: 'returned', lines: [{ lineNumber: 1, quantity: '1' }], idempotencyKey: 'rma-1' };

    const first = expectSuccess(await issueCreditNote(scenario.ctx('billing'), input));
    const second = expectSuccess(await issueCreditNote(scenario.ctx('billing'), input));

    expect(second.id).toBe(first.id);
    expect(await scenario.stockLevel('UNIT', 'MAIN')).toEqual({ onHand: '99', reserved: '0' });
  });
});

describe('payments', () => {
  it('full payment', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '1');

    const outcome = expectSuccess(await pay(scenario, { amount: '119.00' }));

    expect(outcome.payment.unappliedAmount).toBe('0.00');
    expect(outcome.payment.applications).toEqual([{ invoiceNumber: invoice.invoiceNumber, amount: '119.00', discount: '0.00', appliedOn: '2024-03-05' }]);
    expect((await reread(scenario, invoice)).status).toBe('paid');
  });

  it('open, partially paid, paid', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '1');
    expect(invoice.status).toBe('open');

    expectSuccess(await pay(scenario, { amount: '19.00' }));
    const partly = await reread(scenario, invoice);
    expectSuccess(await pay(scenario, { amount: '100.00', receivedOn: '2024-03-06' }));
    const paid = await reread(scenario, invoice);
    const history = await scenario.db
      .selectFrom('history')
      .select(['event', 'from_status', 'to_status'])
      .where('entity_id', '=', invoice.id)
      .orderBy('id')
      .execute();

    expect(partly.status).toBe('partially_paid');
    expect(partly.openAmount).toBe('100.00');
    expect(paid.status).toBe('paid');
    expect(paid.openAmount).toBe('0.00');
    expect(history.map((row) => [row.event, row.from_status, row.to_status])).toEqual([
      ['invoiced', null, 'open'],
      ['partially_paid', 'open', 'partially_paid'],
      ['paid', 'partially_paid', 'paid'],
    ]);
  });

  it('several invoices at once', async () => {
    const scenario = await billingScenario();
    const first = await invoiceFor(scenario, '1');
    const second = await invoiceFor(scenario, '2');

    const outcome = expectSuccess(
      await pay(scenario, {
        amount: '357.00',
        applications: [
          { invoiceNumber: second.invoiceNumber, amount: '238.00' },
          { invoiceNumber: first.invoiceNumber, amount: '119.00' },
        ],
      }),
    );

    expect(outcome.payment.unappliedAmount).toBe('0.00');
    expect((await reread(scenario, first)).status).toBe('paid');
    expect((await reread(scenario, second)).status).toBe('paid');
  });

  it('oldest due first, rest on account', async () => {
    const scenario = await billingScenario();
    const older = await invoiceFor(scenario, '1');
    scenario.setDate('2024-03-10');
    const newer = await invoiceFor(scenario, '2');

    const outcome = expectSuccess(await pay(scenario, { amount: '200.00', receivedOn: '2024-03-12' }));

    expect(outcome.payment.applications.map((application) => [application.invoiceNumber, application.amount])).toEqual([
      [older.invoiceNumber, '119.00'],
      [newer.invoiceNumber, '81.00'],
    ]);
    expect((await reread(scenario, newer)).openAmount).toBe('157.00');
    expect(outcome.payment.unappliedAmount).toBe('0.00');
  });

  it('rest stays on account', async () => {
    const scenario = await billingScenario();
    await invoiceFor(scenario, '1');

    const outcome = expectSuccess(await pay(scenario, { amount: '200.00' }));

    expect(outcome.payment.unappliedAmount).toBe('81.00');
  });

  it('cash on account applies later', async () => {
    const scenario = await billingScenario();
    const onAccount = expectSuccess(await pay(scenario, { amount: '150.00' })).payment;
    const invoice = await invoiceFor(scenario, '1');

    const applied = expectSuccess(await applyPayment(scenario.ctx('cashier'), { paymentId: onAccount.paymentNumber }));

    expect(applied.unappliedAmount).toBe('31.00');
    expect((await reread(scenario, invoice)).status).toBe('paid');
  });

  it('named application beyond open', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '1');

    const rejection = expectRejection(
      await pay(scenario, { amount: '150.00', applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '150.00' }] }),
      'over_application',
    );

    expect(rejection.facts).toMatchObject({ invoiceNumber: invoice.invoiceNumber });
    expect(await countRows(scenario.db, 'payment', scenario.companyId)).toBe(0);
  });

  it('named application beyond payment', async () => {
    const scenario = await billingScenario();
    const invoice = await invoiceFor(scenario, '1');

    expectRejection(
      await pay(scenario, { amount: '50.00', applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '60.00' }] }),
      'over_application',
    );

    expect((await reread(scenario, invoice)).openAmount).toBe('119.00');
  });

  it("another customer's invoice", async () => {
    const scenario = await billingScenario();
    await scenario.addCustomer({ code: 'OTHER' });
    const invoice = await invoiceFor(scenario, '1', 'OTHER');

    const rejection = expectRejection(
      await pay(scenario, { amount: '119.00', applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '119.00' }] }),
      'invoice_not_open',
    );

    expect(rejection.pointer).toBe('/applications/0/invoiceNumber');
  });

  it('wrong currency', async () => {
    const scenario = await billingScenario();

    const rejection = expectRejection(await pay(scenario, { amount: '10.00', currency: 'USD' }), 'currency_mismatch');

    expect(rejection.pointer).toBe('/currency');
  });

  it('too many decimals', async () => {
    const scenario = await billingScenario();

    const rejection = expectRejection(await pay(scenario, { amount: '10.001' }), 'validation_failed');

    expect(rejection.pointer).toBe('/amount');
  });

  it('impossible received date', async () => {
    const scenario = await billingScenario();

    const rejection = expectRejection(await pay(scenario, { amount: '10.00', receivedOn: '2024-02-30' }), 'validation_failed');

    expect((rejection.facts.errors as { pointer: string }[]).map((error) => error.pointer)).toEqual(['/receivedOn']);
    expect(await countRows(scenario.db, 'payment', scenario.companyId)).toBe(0);
  });

  it('same idempotency key pays once', async () => {
    const scenario = await billingScenario();
    await invoiceFor(scenario, '1');

    const first = expectSuccess(await pay(scenario, { amount: '50.00', idempotencyKey: 'bank-line-9' }));
    const second = expectSuccess(await pay(scenario, { amount: '50.00', idempotencyKey: 'bank-line-9' }));

    expect(second.created).toBe(false);
    expect(second.payment.id).toBe(first.payment.id);
    expect(await countRows(scenario.db, 'payment', scenario.companyId)).toBe(1);
  });
});

describe('early-payment discount', () => {
  it('within 10 days settles with 2 %', async () => {
    const scenario = await billingScenario('2/10 NET30');
    const invoice = await invoiceFor(scenario, '1');

    // 2 % of 119.00 is 2.38, so 116.62 settles the invoice on the last discount day.
    const outcome = expectSuccess(
      await pay(scenario, { amount: '116.62', receivedOn: '2024-03-11', applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '116.62' }] }),
    );
    const after = await reread(scenario, invoice);

    expect(outcome.payment.applications[0]).toMatchObject({ amount: '116.62', discount: '2.38' });
    expect(after.status).toBe('paid');
  });

  it('oldest-first takes the discount', async () => {
    const scenario = await billingScenario('2/10 NET30');
    const invoice = await invoiceFor(scenario, '1');

    const outcome = expectSuccess(await pay(scenario, { amount: '119.00', receivedOn: '2024-03-08' }));

    expect(outcome.payment.applications[0]).toMatchObject({ amount: '116.62', discount: '2.38' });
    expect(outcome.payment.unappliedAmount).toBe('2.38');
    expect((await reread(scenario, invoice)).status).toBe('paid');
  });

  it('none after day 10', async () => {
    const scenario = await billingScenario('2/10 NET30');
    const invoice = await invoiceFor(scenario, '1');

    const outcome = expectSuccess(
      await pay(scenario, { amount: '116.62', receivedOn: '2024-03-12', applications: [{ invoiceNumber: invoice.invoiceNumber, amount: '116.62' }] }),
    );
    const after = await reread(scenario, invoice);

    expect(outcome.payment.applications[0]).toMatchObject({ amount: '116.62', discount: '0.00' });
    expect(after.status).toBe('partially_paid');
    expect(after.openAmount).toBe('2.38');
  });

  it('none on NET30 terms', async () => {
    const scenario = await billingScenario('NET30');
    const invoice = await invoiceFor(scenario, '1');

    expectSuccess(await pay(scenario, { amount: '116.62', receivedOn: '2024-03-02' }));

    expect((await reread(scenario, invoice)).openAmount).toBe('2.38');
  });
});

describe('aging', () => {
  it('buckets by days past due', async () => {
    const scenario = await billingScenario('NET30');
    // Issue dates and, with NET30, days past due on 2024-05-15.
    const issued: [string, string][] = [
      ['2024-04-20', '1'], // due 05-20: current
      ['2024-04-01', '2'], // due 05-01: 14 days, 1-30
      ['2024-03-01', '3'], // due 03-31: 45 days, 31-60
      ['2024-02-01', '4'], // due 03-02: 74 days, 61-90
      ['2024-01-10', '5'], // due 02-09: 96 days, over 90
    ];
    for (const [date, units] of issued) {
      scenario.setDate(date);
      await invoiceFor(scenario, units);
    }

    const report = await getAgingReport(scenario.db, scenario.companyId, '2024-05-15');
    const row = report.customers[0]!;

    expect(row.buckets).toEqual({
      current: '119.00',
      days_1_30: '238.00',
      days_31_60: '357.00',
      days_61_90: '476.00',
      days_over_90: '595.00',
    });
    expect(row.openInvoices).toBe('1785.00');
  });

  it('due date itself is current', async () => {
    const scenario = await billingScenario('NET30');
    await invoiceFor(scenario, '1');

    const onDue = await getAgingReport(scenario.db, scenario.companyId, '2024-03-31');
    const dayAfter = await getAgingReport(scenario.db, scenario.companyId, '2024-04-01');

    expect(onDue.customers[0]!.buckets.current).toBe('119.00');
    expect(dayAfter.customers[0]!.buckets.days_1_30).toBe('119.00');
  });

  it('leaves out later invoices', async () => {
    const scenario = await billingScenario('NET30');
    scenario.setDate('2024-03-10');
    await invoiceFor(scenario, '1');

    const report = await getAgingReport(scenario.db, scenario.companyId, '2024-03-09');

    expect(report.customers).toEqual([]);
  });

  it('unapplied cash lowers the balance', async () => {
    const scenario = await billingScenario('NET30');
    expectSuccess(await pay(scenario, { amount: '50.00', receivedOn: '2024-03-01' }));
    scenario.setDate('2024-03-02');
    await invoiceFor(scenario, '1');

    const report = await getAgingReport(scenario.db, scenario.companyId, '2024-03-03');
    const row = report.customers[0]!;

    // The payment came before the invoice, so recording it applied nothing.
    expect(row.openInvoices).toBe('119.00');
    expect(row.unappliedCredits).toBe('50.00');
    expect(row.balance).toBe('69.00');
    expect(report.totals.EUR!.balance).toBe('69.00');
  });
});

describe('billing records', () => {
  it('keeps every invariant', async () => {
    await expectNoViolations(database.db);
  });
});
