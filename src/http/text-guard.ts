import type { FastifyInstance } from 'fastify';

import { toJsonPointer } from '../platform/validation.js';
import { sendRejection } from './problem.js';

/**
 * Characters no text field may hold: NUL, which PostgreSQL cannot store in
 * text, and unpaired UTF-16 surrogates, which are not valid Unicode.
 */
const FORBIDDEN = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Rejects requests whose path, query or body carries a string with a forbidden character. */
export function registerTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request, reply) => {
    for (const [part, value] of [
      ['path', request.params],
      ['query', request.query],
      ['body', request.body],
    ] as const) {
      const path = findForbidden(value, []);
      if (path === null) continue;

      const pointer = toJsonPointer(path);
      return sendRejection(reply, {
        code: 'validation_failed',
        message: `Invalid request: ${part} field ${pointer || '(whole value)'} contains a NUL character or invalid Unicode; remove it.`,
        facts: { errors: [{ pointer, message: 'must not contain NUL characters or unpaired surrogates' }], part },
        pointer,
      });
    }
  });
}

function findForbidden(value: unknown, path: PropertyKey[]): PropertyKey[] | null {
  if (typeof value === 'string') return FORBIDDEN.test(value) ? path : null;
  if (value === null || typeof value !== 'object') return null;

  for (const [key, child] of Object.entries(value)) {
    if (FORBIDDEN.test(key)) return [...path, key];
    const found = findForbidden(child, [...path, key]);
    if (found !== null) return found;
  }
  return null;
}
