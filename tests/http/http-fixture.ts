import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';

import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

import { buildServer } from '../../src/http/server.js';
import { ManualClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

export const BUSINESS_TIME = new Date('2024-03-01T09:00:00.000Z');

export interface ApiResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  /** The parsed JSON body; undefined for an empty body. */
  body: any;
}

export interface RequestOptions {
  body?: unknown;
  /** Raw text body, sent as is; use with a content-type header. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/** A server on its own test database, with a company that requests act for by default. */
export interface TestApi {
  app: FastifyInstance;
  database: TestDatabase;
  clock: ManualClock;
  companyCode: string;
  /** JSON log lines the server wrote, parsed. */
  logLines: Record<string, unknown>[];
  request(method: string, url: string, options?: RequestOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

/**
 * Starts a server on a fresh database without opening a port. With
 * `setUpCompany` (the default), the company is created through POST /companies.
 */
export async function startTestApi(
  options: { setUpCompany?: boolean; addRoutes?: (app: FastifyInstance) => void } = {},
): Promise<TestApi> {
  const database = await createTestDatabase();
  const clock = new ManualClock(BUSINESS_TIME);
  const companyCode = `CO-${randomUUID().slice(0, 8)}`;
  const logLines: Record<string, unknown>[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() !== '') logLines.push(JSON.parse(line) as Record<string, unknown>);
      }
      callback();
    },
  });

  const app = buildServer({
    db: database.db,
    logger: createLogger({ level: 'info', destination: logStream }),
    clock,
    defaultCompanyCode: companyCode,
  });
  // Routes can only be added before the first request starts the server.
  options.addRoutes?.(app);

  async function request(method: string, url: string, requestOptions: RequestOptions = {}): Promise<ApiResponse> {
    const response = await app.inject({
      method: method as 'GET',
      url,
      headers: requestOptions.headers,
      payload: requestOptions.rawBody ?? (requestOptions.body as object | undefined),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body === '' ? undefined : JSON.parse(response.body),
    };
  }

  const api: TestApi = {
    app,
    database,
    clock,
    companyCode,
    logLines,
    request,
    async close() {
      await app.close();
      await database.drop();
    },
  };

  if (options.setUpCompany ?? true) {
    const company = await request('POST', '/companies', {
      body: { code: companyCode, name: 'Example Trading GmbH', currency: 'EUR', countryCode: 'DE' },
    });
    expect(company.status, JSON.stringify(company.body)).toBe(201);
  }
  return api;
}

/** Asserts the status, showing the body when it differs, and returns the body. */
export function expectStatus(response: ApiResponse, status: number): any {
  expect(response.status, JSON.stringify(response.body, null, 2)).toBe(status);
  return response.body;
}

/** Asserts an RFC 9457 problem with this code and status, and returns it. */
export function expectProblem(response: ApiResponse, status: number, code: string): any {
  expectStatus(response, status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body.code).toBe(code);
  expect(response.body.status).toBe(status);
  expect(response.body.type).toBe(`https://o2c.dev/problems/${code}`);
  return response.body;
}

export interface MasterData {
  customerCode: string;
  /** Standard-rated (19 %), 10.00 EUR net. */
  widget: string;
  /** Reduced-rated (7 %), 20.00 EUR net. */
  book: string;
}

/**
 * Sets up tax rates, a customer, two products with prices and stock in the
 * default warehouse, all through the API, the way an administrator does.
 */
export async function setUpMasterData(
  api: TestApi,
  options: { customerCode?: string; creditLimit?: string | null; stock?: string } = {},
): Promise<MasterData> {
  const customerCode = options.customerCode ?? 'ACME';

  for (const rate of [
    { countryCode: 'DE', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: '19' },
    { countryCode: 'DE', taxCategory: 'reduced', vatCategoryCode: 'S', ratePercent: '7' },
  ]) {
    const response = await api.request('POST', '/tax-rates', { body: rate });
    expect([200, 201]).toContain(response.status);
  }

  expectStatus(await api.request('POST', '/customers', { body: customerBody(customerCode, options.creditLimit ?? null) }), 201);

  const products = [
    { sku: 'WIDGET', name: 'Widget', taxCategory: 'standard', price: '10.00' },
    { sku: 'BOOK', name: 'Handbook', taxCategory: 'reduced', price: '20.00' },
  ];
  for (const product of products) {
    const existing = await api.request('GET', `/products/${product.sku}`);
    if (existing.status === 404) {
      expectStatus(
        await api.request('POST', '/products', {
          body: { sku: product.sku, name: product.name, unitCode: 'C62', taxCategory: product.taxCategory },
        }),
        201,
      );
      expectStatus(
        await api.request('POST', '/price-lists/DEFAULT-EUR/prices', { body: { sku: product.sku, unitPrice: product.price } }),
        201,
      );
      expectStatus(
        await api.request('POST', '/stock/receipts', {
          body: { sku: product.sku, warehouseCode: 'MAIN', quantity: options.stock ?? '100', reference: 'opening stock' },
        }),
        201,
      );
    }
  }
  return { customerCode, widget: 'WIDGET', book: 'BOOK' };
}

export function customerBody(code: string, creditLimit: string | null): Record<string, unknown> {
  const address = { name: `Customer ${code}`, line1: 'Hauptstraße 1', city: 'Berlin', postalCode: '10115', countryCode: 'DE' };
  return {
    code,
    name: `Customer ${code}`,
    currency: 'EUR',
    paymentTermsCode: 'NET30',
    creditLimit,
    billTo: address,
    shipTo: [address],
  };
}
