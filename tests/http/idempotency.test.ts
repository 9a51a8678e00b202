import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { customerBody, expectProblem, expectStatus, setUpMasterData, startTestApi, type TestApi } from './http-fixture.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
  await setUpMasterData(api);
});

afterAll(async () => {
  await api?.close();
});

function order(poNumber: string, quantity = '1') {
  return { customerCode: 'ACME', customerPoNumber: poNumber, lines: [{ sku: 'WIDGET', quantity }] };
}

async function countRows(table: 'sales_order' | 'payment' | 'idempotency_record' | 'history'): Promise<number> {
  const result = await sql<{ count: number }>`SELECT COUNT(*)::int AS count FROM ${sql.table(table)}`.execute(api.database.db);
  return result.rows[0]!.count;
}

describe('Idempotency-Key', () => {
  it('retry returns the stored response', async () => {
    const headers = { 'Idempotency-Key': 'retry-1' };
    const first = await api.request('POST', '/orders', { body: order('PO-I1'), headers });
    const created = expectStatus(first, 201);
    const ordersBefore = await countRows('sales_order');
    const historyBefore = await countRows('history');

    const retry = await api.request('POST', '/orders', { body: order('PO-I1'), headers });
    expect(expectStatus(retry, 200)).toEqual(created);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(await countRows('sales_order')).toBe(ordersBefore);
    expect(await countRows('history')).toBe(historyBefore);
  });

  it('fields in another order count as the same request', async () => {
    const headers = { 'Idempotency-Key': 'retry-2' };
    const created = expectStatus(await api.request('POST', '/orders', { body: order('PO-I2'), headers }), 201);
    const reordered = { lines: [{ quantity: '1', sku: 'WIDGET' }], customerPoNumber: 'PO-I2', customerCode: 'ACME' };
    expect(expectStatus(await api.request('POST', '/orders', { body: reordered, headers }), 200).id).toBe(created.id);
  });

  it('same key with another body is rejected', async () => {
    const headers = { 'Idempotency-Key': 'retry-3' };
    expectStatus(await api.request('POST', '/orders', { body: order('PO-I3'), headers }), 201);
    const problem = expectProblem(await api.request('POST', '/orders', { body: order('PO-I3', '2'), headers }), 422, 'idempotency_key_reused');
    expect(problem.facts).toMatchObject({ idempotencyKey: 'retry-3', method: 'POST', url: '/orders' });
  });

  it('same key on another route is rejected', async () => {
    const headers = { 'Idempotency-Key': 'retry-4' };
    expectStatus(await api.request('POST', '/orders', { body: order('PO-I4'), headers }), 201);
    const receipt = { sku: 'WIDGET', warehouseCode: 'MAIN', quantity: '1' };
    expectProblem(await api.request('POST', '/stock/receipts', { body: receipt, headers }), 422, 'idempotency_key_reused');
  });

  it('quoted structured-field key is the same key', async () => {
    const created = expectStatus(await api.request('POST', '/orders', { body: order('PO-I5'), headers: { 'Idempotency-Key': 'retry-5' } }), 201);
    const quoted = await api.request('POST', '/orders', { body: order('PO-I5'), headers: { 'Idempotency-Key': '"retry-5"' } });
    expect(expectStatus(quoted, 200).id).toBe(created.id);
    expect(quoted.headers['idempotent-replayed']).toBe('true');
  });

  it('invalid key is a 400 problem', async () => {
    for (const key of ['', 'x'.repeat(201), 'with space']) {
      const problem = expectProblem(await api.request('POST', '/orders', { body: order('PO-I6'), headers: { 'Idempotency-Key': key } }), 400, 'invalid_request');
      expect(problem.facts.header).toBe('Idempotency-Key');
    }
  });

  it('rejection is not stored', async () => {
    // It changed nothing, so the retry with the same key runs the command again.
    const headers = { 'Idempotency-Key': 'retry-7' };
    const body = { customerCode: 'ACME', customerPoNumber: 'PO-I7', lines: [{ sku: 'LATER', quantity: '1' }] };
    expectProblem(await api.request('POST', '/orders', { body, headers }), 404, 'product_not_found');

    expectStatus(await api.request('POST', '/products', { body: { sku: 'LATER', name: 'Later', unitCode: 'C62', taxCategory: 'standard' } }), 201);
    expectStatus(await api.request('POST', '/price-lists/DEFAULT-EUR/prices', { body: { sku: 'LATER', unitPrice: '1.00' } }), 201);
    const retry = await api.request('POST', '/orders', { body, headers });
    expectStatus(retry, 201);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('key is passed to the command', async () => {
    const headers = { 'Idempotency-Key': 'bank-line-8' };
    const body = { customerCode: 'ACME', amount: '5.00', currency: 'EUR', receivedOn: '2024-03-01' };
    const first = expectStatus(await api.request('POST', '/payments', { body, headers }), 201);

    // As if the process died after the payment committed but before its response was stored.
    await api.database.db.deleteFrom('idempotency_record').where('key', '=', 'bank-line-8').execute();
    const paymentsBefore = await countRows('payment');
    const retry = await api.request('POST', '/payments', { body, headers });
    expect(expectStatus(retry, 200).payment.id).toBe(first.payment.id);
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
    expect(await countRows('payment')).toBe(paymentsBefore);
  });

  it('key makes a release safe to retry', async () => {
    const held = expectStatus(
      await api.request('POST', '/orders', { body: { ...order('PO-I9'), lines: [{ sku: 'WIDGET', quantity: '1', expectedUnitPrice: '8.00' }] } }),
      201,
    );
    expect(held.status).toBe('on_hold');

    const headers = { 'Idempotency-Key': 'release-9' };
    const released = expectStatus(await api.request('POST', `/orders/${held.id}/release`, { body: { reason: 'ok' }, headers }), 200);
    expect(released.order.status).toBe('confirmed');
    const historyBefore = await countRows('history');

    // Without the key this would be invalid_transition, since the order is no longer on hold.
    const retry = await api.request('POST', `/orders/${held.id}/release`, { body: { reason: 'ok' }, headers });
    expect(expectStatus(retry, 200)).toEqual(released);
    expect(await countRows('history')).toBe(historyBefore);
  });

  it('request still running is a 409 problem', async () => {
    const company = await api.database.db.selectFrom('company').select('id').where('code', '=', api.companyCode).executeTakeFirstOrThrow();
    const body = order('PO-I10');
    // A probe with its own key stores the hash this method, path and body have.
    const probe = expectStatus(await api.request('POST', '/orders', { body, headers: { 'Idempotency-Key': 'probe-10' } }), 201);
    const { request_hash: requestHash } = await api.database.db
      .selectFrom('idempotency_record')
      .select('request_hash')
      .where('key', '=', 'probe-10')
      .executeTakeFirstOrThrow();
    // Claim a second key the way a running request does: that hash, no response yet.
    await api.database.db
      .insertInto('idempotency_record')
      .values({ company_id: company.id, key: 'running-10', request_hash: requestHash, status_code: 0, response_body: '{}' })
      .execute();

    const problem = expectProblem(await api.request('POST', '/orders', { body, headers: { 'Idempotency-Key': 'running-10' } }), 409, 'idempotency_request_in_progress');
    expect(problem.facts.idempotencyKey).toBe('running-10');

    // A claim older than the abandon limit belongs to a dead process and is taken over.
    await api.database.db
      .updateTable('idempotency_record')
      .set({ created_at: sql<Date>`now() - interval '1 hour'` })
      .where('key', '=', 'running-10')
      .execute();
    const takenOver = await api.request('POST', '/orders', { body, headers: { 'Idempotency-Key': 'running-10' } });
    // The customer PO number leads the command to the probe's order.
    expect(expectStatus(takenOver, 200).id).toBe(probe.id);
    const record = await api.database.db.selectFrom('idempotency_record').select('status_code').where('key', '=', 'running-10').executeTakeFirstOrThrow();
    expect(record.status_code).toBe(200);
  });

  it('concurrent duplicates create one order', async () => {
    const headers = { 'Idempotency-Key': 'burst-11' };
    const responses = await Promise.all(Array.from({ length: 6 }, () => api.request('POST', '/orders', { body: order('PO-I11'), headers })));

    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    for (const status of statuses) expect([200, 201, 409]).toContain(status);
    const ids = new Set(responses.filter((response) => response.status !== 409).map((response) => response.body.id));
    expect(ids.size).toBe(1);
    const orders = expectStatus(await api.request('GET', '/orders?customerCode=ACME&limit=200'), 200);
    expect(orders.items.filter((item: { customerPoNumber: string }) => item.customerPoNumber === 'PO-I11')).toHaveLength(1);
  });

  it('concurrent keys for one PO create one order', async () => {
    const responses = await Promise.all(
      Array.from({ length: 6 }, (_, index) => api.request('POST', '/orders', { body: order('PO-I12'), headers: { 'Idempotency-Key': `burst-12-${index}` } })),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
  });

  it('keys are per company', async () => {
    const otherCompany = `${api.companyCode}-B`;
    expectStatus(await api.request('POST', '/companies', { body: { code: otherCompany, name: 'Second GmbH', currency: 'EUR', countryCode: 'DE' } }), 201);
    const headers = { 'O2C-Company': otherCompany, 'Idempotency-Key': 'retry-1' };
    const created = await api.request('POST', '/customers', { body: customerBody('ACME', null), headers });
    expect(expectStatus(created, 201).code).toBe('ACME');
    expect(created.headers['idempotent-replayed']).toBeUndefined();
  });

  it('GET ignores the key', async () => {
    const response = await api.request('GET', '/orders?limit=1', { headers: { 'Idempotency-Key': 'retry-1' } });
    expectStatus(response, 200);
    expect(response.headers['idempotent-replayed']).toBeUndefined();
  });
});
