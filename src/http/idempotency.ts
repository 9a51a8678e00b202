import { createHash } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';

import { reject, type Result } from '../platform/rejection.js';
import type { DB } from '../platform/schema.js';
import { sendRejection } from './problem.js';
import { requestScope } from './request-scope.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** The commands store keys of up to 200 characters, and a shipment adds a suffix of its own. */
const MAX_KEY_LENGTH = 200;

/**
 * `status_code` of a record whose request is still running. The table has no
 * column for the state, and no HTTP status is 0.
 */
const IN_PROGRESS = 0;

/**
 * A record still in progress after this long belongs to a request whose
 * process died, so the next request with the key takes it over. Commands run
 * in one short transaction, and this bound is a judgment, not a measurement.
 */
const ABANDONED_AFTER_SECONDS = 120;

/** Requests that own their key's record; their response is stored when it is sent. */
const claimedKeys = new WeakMap<FastifyRequest, { companyId: string; key: string }>();

type Claim =
  | { kind: 'claimed' }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'different_request' }
  | { kind: 'in_progress' };

/**
 * Makes POST requests with an Idempotency-Key header safe to retry. The first
 * request claims the key for its company with a hash of method, path and
 * body; its 2xx response is stored in `idempotency_record`. A retry with the
 * same key and request gets the stored body again, with 200 in place of 201
 * because the retry created nothing. The same key with a different request
 * is rejected with `idempotency_key_reused`, and a retry while the first
 * request still runs with `idempotency_request_in_progress`.
 *
 * A rejection or an error is not stored: it changed nothing, so the retry
 * runs the command again. The record is written after the command's own
 * transaction commits, which is why routes also pass the key to commands
 * that take one: their unique keys catch a retry whose record was lost.
 *
 * TODO: records are kept forever; nothing deletes old ones yet.
 */
export function registerIdempotency(app: FastifyInstance, db: Kysely<DB>): void {
  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'POST' || request.is404 || request.routeOptions.config.companyScoped === false) return;

    const key = readIdempotencyKey(request);
    if (!key.ok) return sendRejection(reply, key.rejection);
    if (key.value === null) return;

    const { companyId } = requestScope(request).context;
    const claim = await claimKey(db, companyId, key.value, requestHash(request));
    switch (claim.kind) {
      case 'claimed':
        claimedKeys.set(request, { companyId, key: key.value });
        return;
      case 'replay':
        request.log.info({ idempotencyKey: key.value }, 'replaying the stored response of an earlier request with this Idempotency-Key');
        return reply
          .code(claim.statusCode === 201 ? 200 : claim.statusCode)
          .header(REPLAYED_HEADER, 'true')
          .send(claim.body);
      case 'different_request':
        return sendRejection(reply, {
          code: 'idempotency_key_reused',
          message: `Idempotency-Key ${key.value} was already used for a different request; send a new key for a new request.`,
          facts: { idempotencyKey: key.value, method: request.method, url: request.url },
        });
      case 'in_progress':
        return sendRejection(reply, {
          code: 'idempotency_request_in_progress',
          message: `A request with Idempotency-Key ${key.value} is still running; retry after it has finished.`,
          facts: { idempotencyKey: key.value },
        });
    }
  });

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claimed = claimedKeys.get(request);
    if (claimed === undefined) return payload;
    claimedKeys.delete(request);

    try {
      if (reply.statusCode >= 200 && reply.statusCode < 300 && typeof payload === 'string') {
        await storeResponse(db, claimed, reply.statusCode, payload);
      } else {
        await releaseKey(db, claimed);
      }
    } catch (error) {
      // The response itself is right, so it still goes out. The key stays in
      // progress until it counts as abandoned, and the commands' own keys
      // catch a retry that runs again.
      request.log.error({ err: error, idempotencyKey: claimed.key }, 'failed to store the response for an Idempotency-Key');
    }
    return payload;
  });
}

/**
 * Returns the Idempotency-Key of a POST request, or null without one. The
 * value may be sent bare or as a quoted structured-field string.
 */
export function readIdempotencyKey(request: FastifyRequest): Result<string | null> {
  const raw = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (raw === undefined || request.method !== 'POST') return { ok: true, value: null };

  const text = Array.isArray(raw) ? null : raw.trim();
  const key = text !== null && /^".*"$/.test(text) ? text.slice(1, -1) : text;
  if (key === null || key === '' || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
    return reject(
      'invalid_request',
      `Invalid ${IDEMPOTENCY_KEY_HEADER} header: send it once, as 1 to ${MAX_KEY_LENGTH} printable ASCII characters without spaces, such as a UUID.`,
      { header: IDEMPOTENCY_KEY_HEADER, value: raw },
    );
  }
  return { ok: true, value: key };
}

/** Returns the request's Idempotency-Key for a command that takes one; the hook has already rejected an invalid one. */
export function idempotencyKeyOf(request: FastifyRequest): string | null {
  const key = readIdempotencyKey(request);
  return key.ok ? key.value : null;
}

/**
 * SHA-256 of method, URL and body. Object keys are sorted first, so a client
 * that sends the same fields in another order sends the same request.
 */
export function requestHash(request: FastifyRequest): string {
  const body = request.body === undefined ? '' : JSON.stringify(sortKeys(request.body));
  return createHash('sha256').update(`${request.method} ${request.url}\n${body}`).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value === 'object' && value !== null) {
    // Code-unit order, the same in every locale. The keys of one object are unique, so none compare equal.
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    return Object.fromEntries(entries.map(([key, item]) => [key, sortKeys(item)]));
  }
  return value;
}

/**
 * Claims the key with an in-progress record, or returns the state of the
 * existing record. Tries twice, because the owner of an existing record may
 * release it between the insert and the read.
 */
async function claimKey(db: Kysely<DB>, companyId: string, key: string, hash: string): Promise<Claim> {
  for (let attempt = 1; attempt <= 2; attempt += 1) {
    const inserted = await db
      .insertInto('idempotency_record')
      .values({ company_id: companyId, key, request_hash: hash, status_code: IN_PROGRESS, response_body: '{}' })
      .onConflict((conflict) => conflict.columns(['company_id', 'key']).doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return { kind: 'claimed' };

    const existing = await db
      .selectFrom('idempotency_record')
      .select(['request_hash', 'status_code', 'response_body'])
      .where('company_id', '=', companyId)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!existing) continue;

    if (existing.request_hash !== hash) return { kind: 'different_request' };
    if (existing.status_code !== IN_PROGRESS) {
      return { kind: 'replay', statusCode: existing.status_code, body: existing.response_body };
    }
    return (await takeOverAbandoned(db, companyId, key)) ? { kind: 'claimed' } : { kind: 'in_progress' };
  }
  return { kind: 'in_progress' };
}

async function takeOverAbandoned(db: Kysely<DB>, companyId: string, key: string): Promise<boolean> {
  const taken = await db
    .updateTable('idempotency_record')
    .set({ created_at: sql<Date>`now()` })
    .where('company_id', '=', companyId)
    .where('key', '=', key)
    .where('status_code', '=', IN_PROGRESS)
    .where(sql<boolean>`created_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})`)
    .returning('key')
    .executeTakeFirst();
  return taken !== undefined;
}

async function storeResponse(db: Kysely<DB>, claimed: { companyId: string; key: string }, statusCode: number, body: string): Promise<void> {
  await db
    .updateTable('idempotency_record')
    .set({ status_code: statusCode, response_body: body })
    .where('company_id', '=', claimed.companyId)
    .where('key', '=', claimed.key)
    .where('status_code', '=', IN_PROGRESS)
    .execute();
}

async function releaseKey(db: Kysely<DB>, claimed: { companyId: string; key: string }): Promise<void> {
  await db
    .deleteFrom('idempotency_record')
    .where('company_id', '=', claimed.companyId)
    .where('key', '=', claimed.key)
    .where('status_code', '=', IN_PROGRESS)
    .execute();
}
