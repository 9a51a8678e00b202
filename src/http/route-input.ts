import { z } from 'zod';

import { reject, type Result } from '../platform/rejection.js';
import { validateInput } from '../platform/validation.js';

/**
 * Helpers that turn path parameters, query strings and bodies into command
 * input. Query and path values arrive as strings, so these schemas convert
 * them. Problems are reported the way commands report them, as
 * `validation_failed` with a JSON pointer per field.
 */

/** Largest page a list route returns. */
export const MAX_PAGE_SIZE = 200;
export const DEFAULT_PAGE_SIZE = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A positive whole number sent as text, such as an order line number in a path. */
export const positiveIntegerText = z
  .string()
  .regex(/^[1-9]\d{0,8}$/, 'must be a whole number from 1 to 999999999')
  .transform(Number);

/** `limit` and `after` of a list route: at most MAX_PAGE_SIZE rows after the row with id `after`. */
export const pageQuery = {
  limit: z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .refine((limit) => limit >= 1 && limit <= MAX_PAGE_SIZE, `must be from 1 to ${MAX_PAGE_SIZE}`)
    .default(DEFAULT_PAGE_SIZE),
  after: z.string().regex(UUID, 'must be the id of the last row of the previous page').optional(),
};

/**
 * Returns the request body as an object. A missing body counts as `{}`, so
 * routes whose fields are all optional accept a bare POST.
 */
export function bodyObject(body: unknown): Result<Record<string, unknown>> {
  if (body === undefined || body === null) return { ok: true, value: {} };
  if (typeof body !== 'object' || Array.isArray(body)) {
    return reject('validation_failed', 'Invalid request: the body must be a JSON object.', {
      errors: [{ pointer: '', message: 'must be a JSON object' }],
    });
  }
  return { ok: true, value: body as Record<string, unknown> };
}

/** Validates a body, query string or set of path parameters against a schema. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): Result<T> {
  return validateInput(schema, input ?? {});
}
