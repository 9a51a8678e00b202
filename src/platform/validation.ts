import type { z } from 'zod';

import { reject, type Result } from './rejection.js';

/** Decimal string pattern used by every quantity, price and rate field. */
export const DECIMAL_STRING = /^\d+(\.\d+)?$/;
export const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates input against a zod schema and returns every problem at once as
 * `validation_failed`, each with a JSON pointer to the field.
 */
export function validateInput<T>(schema: z.ZodType<T>, input: unknown): Result<T> {
  const parsed = schema.safeParse(input, { error: describeMissingField });
  if (parsed.success) return { ok: true, value: parsed.data };

  const errors = parsed.error.issues.map((issue) => ({
    pointer: toJsonPointer(issue.path),
    message: issue.message,
  }));
  const summary = errors.map((error) => `${error.pointer}: ${error.message}`).join('; ');
  // With one problem, the rejection itself points at the field.
  const pointer = errors.length === 1 ? errors[0]!.pointer : undefined;
  return reject('validation_failed', `Invalid request: ${summary}`, { errors }, pointer);
}

/** Words a missing field as "is required" instead of zod's "expected string, received undefined". */
function describeMissingField(issue: { code?: string; input?: unknown }): string | undefined {
  return issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;
}

/** Builds an RFC 6901 JSON pointer: "" for the whole document, with "~" and "/" escaped. */
export function toJsonPointer(path: readonly PropertyKey[]): string {
  return path.map((part) => '/' + String(part).replaceAll('~', '~0').replaceAll('/', '~1')).join('');
}
