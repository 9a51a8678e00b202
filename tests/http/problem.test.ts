import { STATUS_CODES } from 'node:http';

import { describe, expect, it } from 'vitest';

import { problemFromRejection, problemTitle, PROBLEM_TYPE_BASE } from '../../src/http/problem.js';
import { REJECTION_HTTP_STATUS, type RejectionCode } from '../../src/platform/rejection.js';

const CODES = Object.keys(REJECTION_HTTP_STATUS) as RejectionCode[];

describe('problem mapper', () => {
  it('every rejection code has a valid HTTP status', () => {
    for (const code of CODES) {
      const status = REJECTION_HTTP_STATUS[code];
      expect(Number.isInteger(status), code).toBe(true);
      expect(status, code).toBeGreaterThanOrEqual(400);
      expect(status, code).toBeLessThanOrEqual(599);
      expect(STATUS_CODES[status], `${code}: ${status}`).toBeDefined();
    }
  });

  it('every rejection code maps to a problem', () => {
    for (const code of CODES) {
      const problem = problemFromRejection({ code, message: `message for ${code}`, facts: { code } }, 'request-1');
      expect(problem.status, code).toBe(REJECTION_HTTP_STATUS[code]);
      expect(problem.type, code).toBe(PROBLEM_TYPE_BASE + code);
      expect(problem.code, code).toBe(code);
      expect(problem.title, code).toMatch(/^[A-Z][A-Za-z0-9 ]+$/);
      expect(problem.detail, code).toBe(`message for ${code}`);
      expect(problem.facts, code).toEqual({ code });
      expect(problem.requestId, code).toBe('request-1');
      expect(problem.errors, code).toBeUndefined();
    }
  });

  it('codes have distinct titles', () => {
    const titles = CODES.map(problemTitle);
    expect(new Set(titles).size).toBe(CODES.length);
    expect(problemTitle('invalid_gtin')).toBe('Invalid GTIN');
    expect(problemTitle('insufficient_stock')).toBe('Insufficient stock');
  });

  it('validation errors become pointers', () => {
    const problem = problemFromRejection(
      {
        code: 'validation_failed',
        message: 'Invalid request: /lines/0/quantity: must be a decimal string',
        facts: { errors: [{ pointer: '/lines/0/quantity', message: 'must be a decimal string' }, { pointer: '/customerCode', message: 'Required' }] },
      },
      'request-2',
    );
    expect(problem.errors).toEqual([
      { pointer: '/lines/0/quantity', detail: 'must be a decimal string' },
      { pointer: '/customerCode', detail: 'Required' },
    ]);
  });

  it('single pointer becomes one error', () => {
    const problem = problemFromRejection(
      { code: 'insufficient_stock', message: 'Only 3 left.', facts: { sku: 'A' }, pointer: '/lines/1/quantity' },
      'request-3',
    );
    expect(problem.status).toBe(409);
    expect(problem.errors).toEqual([{ pointer: '/lines/1/quantity', detail: 'Only 3 left.' }]);
  });

  it('bigint facts become strings', () => {
    const problem = problemFromRejection(
      { code: 'over_application', message: 'Too much.', facts: { requested: 12345n, nested: { open: 0n } } },
      'request-4',
    );
    expect(problem.facts).toEqual({ requested: '12345', nested: { open: '0' } });
  });
});
