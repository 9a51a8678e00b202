import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectProblem, expectStatus, setUpMasterData, startTestApi, type TestApi } from './http-fixture.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({
    // Routes that fail the way a bug does, so the 500 path runs through the real error handler.
    addRoutes(app) {
      app.get('/test/thrown-error', { config: { companyScoped: false } }, async () => {
        throw new Error('secret internal detail: connection to 10.0.0.5 refused');
      });
      app.get('/test/float-reply', { config: { companyScoped: false } }, async () => ({ amount: 12.5 }));
    },
  });
  await setUpMasterData(api);
});

afterAll(async () => {
  await api?.close();
});

describe('hostile text and numbers', () => {
  it('NUL in a path is a 422 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/orders/SO-0000001%00'), 422, 'validation_failed');
    expect(problem.facts.part).toBe('path');
  });

  it('NUL in a query is a 422 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/orders?customerCode=a%00b'), 422, 'validation_failed');
    expect(problem.errors).toEqual([{ pointer: '/customerCode', detail: expect.stringContaining('NUL') }]);
  });

  it('NUL in a body field is a 422 problem', async () => {
    const body = { customerCode: 'ACME', customerPoNumber: 'PO\u0000X', lines: [{ sku: 'WIDGET', quantity: '1' }] };
    const problem = expectProblem(await api.request('POST', '/orders', { body }), 422, 'validation_failed');
    expect(problem.errors).toEqual([{ pointer: '/customerPoNumber', detail: expect.stringContaining('NUL') }]);
  });

  it('unpaired surrogate is a 422 problem', async () => {
    const body = { customerCode: 'ACME', customerPoNumber: 'PO\ud800', lines: [{ sku: 'WIDGET', quantity: '1' }] };
    expectProblem(await api.request('POST', '/orders', { body }), 422, 'validation_failed');
  });

  it('amount too large to store is a 422 problem', async () => {
    const body = { customerCode: 'ACME', amount: '99999999999999999.99', currency: 'EUR', receivedOn: '2026-01-05' };
    const problem = expectProblem(await api.request('POST', '/payments', { body }), 422, 'value_out_of_range');
    expect(problem.detail).toContain('too large to store');
  });

  it('stock beyond the column is a 422 problem', async () => {
    // BOOK already has stock, so the largest receipt the field accepts overflows the column.
    const body = { sku: 'BOOK', warehouseCode: 'MAIN', quantity: '999999999999.999999' };
    const problem = expectProblem(await api.request('POST', '/stock/receipts', { body }), 422, 'value_out_of_range');
    expect(problem.detail).toContain('too large to store');
  });
});

describe('problem responses', () => {
  it('unknown route is a 404 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/no-such-route?x=1'), 404, 'route_not_found');
    expect(problem.title).toBe('Route not found');
    expect(problem.detail).toContain('GET /no-such-route');
    expect(problem.facts).toEqual({ method: 'GET', url: '/no-such-route?x=1' });
  });

  it('wrong method on a known path is a 404 problem', async () => {
    expectProblem(await api.request('DELETE', '/orders'), 404, 'route_not_found');
  });

  it('malformed JSON is a 400 problem', async () => {
    const response = await api.request('POST', '/orders', {
      rawBody: '{"customerCode": "ACME", "lines": [',
      headers: { 'content-type': 'application/json' },
    });
    const problem = expectProblem(response, 400, 'invalid_request');
    expect(problem.errors).toEqual([{ pointer: '', detail: 'is not valid JSON' }]);
  });

  it('prototype pollution in JSON is rejected', async () => {
    const response = await api.request('POST', '/orders', {
      rawBody: '{"customerCode": "ACME", "__proto__": {"admin": true}}',
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400, 'invalid_request');
  });

  it('non-JSON media type is a 415 problem', async () => {
    const response = await api.request('POST', '/orders', { rawBody: 'customerCode=ACME', headers: { 'content-type': 'text/plain' } });
    const problem = expectProblem(response, 415, 'unsupported_media_type');
    expect(problem.facts.contentType).toBe('text/plain');
  });

  it('malformed URL is a 400 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/orders/%E0%A4%A'), 400, 'invalid_request');
    expect(problem.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('oversized body is a 413 problem', async () => {
    const body = { customerCode: 'ACME', lines: [{ sku: 'WIDGET', quantity: '1' }], note: 'x'.repeat(2 * 1024 * 1024) };
    const problem = expectProblem(await api.request('POST', '/orders', { body }), 413, 'payload_too_large');
    expect(problem.facts.bodyLimit).toBe(1024 * 1024);
  });

  it('empty JSON body counts as no body', async () => {
    const response = await api.request('POST', '/orders/SO-9999999/release', { rawBody: '', headers: { 'content-type': 'application/json' } });
    expectProblem(response, 404, 'order_not_found');
  });

  it('body that is not an object is a 422 problem', async () => {
    const problem = expectProblem(await api.request('POST', '/orders', { body: [1, 2] }), 422, 'validation_failed');
    expect(problem.errors).toEqual([{ pointer: '', detail: 'must be a JSON object' }]);
  });

  it('validation errors carry a pointer per field', async () => {
    const response = await api.request('POST', '/orders', {
      body: { customerCode: 'ACME', lines: [{ sku: 'WIDGET', quantity: 2 }, { sku: '', quantity: '1.5.5' }] },
    });
    const problem = expectProblem(response, 422, 'validation_failed');
    const pointers = problem.errors.map((error: { pointer: string }) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/lines/0/quantity', '/lines/1/sku', '/lines/1/quantity']));
    for (const error of problem.errors) expect(typeof error.detail).toBe('string');
  });

  it('float amount in a body is rejected with its pointer', async () => {
    const response = await api.request('POST', '/payments', {
      body: { customerCode: 'ACME', amount: 100.1, currency: 'EUR', receivedOn: '2024-03-01' },
    });
    const problem = expectProblem(response, 422, 'validation_failed');
    expect(problem.errors.map((error: { pointer: string }) => error.pointer)).toEqual(['/amount']);
  });

  it('unknown SKU names the line in its pointer', async () => {
    const response = await api.request('POST', '/orders', {
      body: { customerCode: 'ACME', lines: [{ sku: 'WIDGET', quantity: '1' }, { sku: 'NOPE', quantity: '1' }] },
    });
    const problem = expectProblem(response, 404, 'product_not_found');
    expect(problem.errors).toEqual([{ pointer: '/lines/1/sku', detail: problem.detail }]);
    expect(problem.facts.skus).toEqual(['NOPE']);
  });

  it('unknown document ids and numbers are 404 problems', async () => {
    expectProblem(await api.request('GET', '/orders/SO-9999999'), 404, 'order_not_found');
    expectProblem(await api.request('GET', '/orders/00000000-0000-4000-8000-000000000000'), 404, 'order_not_found');
    expectProblem(await api.request('GET', '/shipments/not-a-shipment'), 404, 'shipment_not_found');
    expectProblem(await api.request('GET', '/invoices/INV-1900-000001'), 404, 'invoice_not_found');
    expectProblem(await api.request('GET', '/payments/PAY-nothing'), 404, 'payment_not_found');
    expectProblem(await api.request('GET', '/customers/NOBODY'), 404, 'customer_not_found');
    expectProblem(await api.request('GET', '/products/NOTHING'), 404, 'product_not_found');
    expectProblem(await api.request('GET', '/stock?sku=NOTHING'), 404, 'product_not_found');
  });

  it('invalid path and query values are 422 problems', async () => {
    const line = expectProblem(await api.request('POST', '/orders/SO-1/lines/zero/cancel', { body: { reason: 'x' } }), 422, 'validation_failed');
    expect(line.errors[0].pointer).toBe('/lineNumber');
    const limit = expectProblem(await api.request('GET', '/orders?limit=5000'), 422, 'validation_failed');
    expect(limit.errors[0].pointer).toBe('/limit');
    const status = expectProblem(await api.request('GET', '/orders?status=lost'), 422, 'validation_failed');
    expect(status.errors[0].pointer).toBe('/status');
    const asOf = expectProblem(await api.request('GET', '/receivables/aging?asOf=2024-02-30'), 422, 'validation_failed');
    expect(asOf.errors[0].pointer).toBe('/asOf');
  });

  it('unknown company header is a 404 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/orders', { headers: { 'O2C-Company': 'NO-SUCH-CO' } }), 404, 'company_not_found');
    expect(problem.facts).toEqual({ companyCode: 'NO-SUCH-CO' });
  });

  it('invalid actor header is a 400 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/orders', { headers: { 'O2C-Actor': 'x'.repeat(101) } }), 400, 'invalid_request');
    expect(problem.facts.header).toBe('O2C-Actor');
  });

  it('thrown error is a 500 problem without internals', async () => {
    const response = await api.request('GET', '/test/thrown-error');
    const problem = expectProblem(response, 500, 'internal_error');
    expect(JSON.stringify(problem)).not.toContain('secret');
    expect(JSON.stringify(problem)).not.toContain('10.0.0.5');
    expect(problem.requestId).toBe(response.headers['request-id']);

    const logged = api.logLines.find((line) => line.msg === 'request failed with an unexpected error' && line.requestId === problem.requestId);
    expect(logged?.level).toBe(50);
    expect(JSON.stringify(logged?.err)).toContain('secret internal detail');
  });

  it('float in a reply is a 500 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/test/float-reply'), 500, 'internal_error');
    expect(JSON.stringify(problem)).not.toContain('12.5');
  });

  it('health reports the database reachable', async () => {
    expect(expectStatus(await api.request('GET', '/health'), 200)).toEqual({ status: 'ok' });
  });

  it('every response carries the request id', async () => {
    const response = await api.request('GET', '/health');
    expect(response.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
