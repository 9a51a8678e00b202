import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Clock } from '../platform/clock.js';
import type { CommandContext } from '../platform/command.js';
import type { Logger } from '../platform/logger.js';
import { findCompany } from '../platform/company/setup-company.js';
import { reject, type Result } from '../platform/rejection.js';
import type { DB } from '../platform/schema.js';
import { sendRejection } from './problem.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * False for routes that act for no single company (health, checks,
     * company setup), which skip the company lookup. Defaults to true.
     */
    companyScoped?: boolean;
  }
}

export const COMPANY_HEADER = 'O2C-Company';
export const ACTOR_HEADER = 'O2C-Actor';
export const DEFAULT_ACTOR = 'api';

const MAX_COMPANY_CODE_LENGTH = 64;
const MAX_ACTOR_LENGTH = 100;

export interface RequestScopeOptions {
  db: Kysely<DB>;
  clock: Clock;
  /** The server's logger; each command logs through a child with the request id, company and actor. */
  logger: Logger;
  defaultCompanyCode: string;
}

/** The company and actor of one request, with the command context built from them. */
export interface RequestScope {
  companyCode: string;
  context: CommandContext;
}

const scopes = new WeakMap<FastifyRequest, RequestScope>();

/**
 * Resolves the company (O2C-Company header, a company code, else the default)
 * and the actor (O2C-Actor header, else "api") of every company-scoped
 * request before its handler runs. Company ids are cached per code because a
 * company is never deleted or renamed.
 */
export function registerRequestScope(app: FastifyInstance, options: RequestScopeOptions): void {
  const companyIds = new Map<string, string>();

  async function resolveCompanyId(code: string): Promise<string | null> {
    const cached = companyIds.get(code);
    if (cached !== undefined) return cached;

    const company = await findCompany(options.db, code);
    if (company === null) return null;
    companyIds.set(code, company.id);
    return company.id;
  }

  app.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    // NOTE: there is no authentication yet, so any client may act for any
    // company under any actor name. It belongs here, before the headers are
    // trusted; until it exists the server listens on 127.0.0.1 by default.
    if (request.is404 || request.routeOptions.config.companyScoped === false) return;

    const companyCode = readHeader(request, COMPANY_HEADER, options.defaultCompanyCode, MAX_COMPANY_CODE_LENGTH);
    if (!companyCode.ok) return sendRejection(reply, companyCode.rejection);
    const actor = readHeader(request, ACTOR_HEADER, DEFAULT_ACTOR, MAX_ACTOR_LENGTH);
    if (!actor.ok) return sendRejection(reply, actor.rejection);

    const companyId = await resolveCompanyId(companyCode.value);
    if (companyId === null) {
      return sendRejection(reply, {
        code: 'company_not_found',
        message: `Company ${companyCode.value} was not found; send the code of an existing company in the O2C-Company header.`,
        facts: { companyCode: companyCode.value },
      });
    }

    scopes.set(request, {
      companyCode: companyCode.value,
      context: {
        db: options.db,
        clock: options.clock,
        logger: options.logger.child({ requestId: request.id, companyCode: companyCode.value, actor: actor.value }),
        companyId,
        actor: actor.value,
      },
    });
  });
}

/** Returns the scope of a company-scoped request; calling it from any other route is a bug. */
export function requestScope(request: FastifyRequest): RequestScope {
  const scope = scopes.get(request);
  if (scope === undefined) {
    throw new Error(`Route ${request.method} ${request.routeOptions.url ?? request.url} read the company scope, but it is not company-scoped`);
  }
  return scope;
}

export function commandContext(request: FastifyRequest): CommandContext {
  return requestScope(request).context;
}

/** Reads a single-valued text header: trimmed, non-empty, printable ASCII and at most `maxLength` characters. */
function readHeader(request: FastifyRequest, name: string, fallback: string, maxLength: number): Result<string> {
  const raw = request.headers[name.toLowerCase()];
  if (raw === undefined) return { ok: true, value: fallback };

  const value = Array.isArray(raw) ? null : raw.trim();
  if (value === null || value === '' || value.length > maxLength || !/^[\x20-\x7e]+$/.test(value)) {
    return reject(
      'invalid_request',
      `Invalid ${name} header: send it once, as 1 to ${maxLength} printable ASCII characters.`,
      { header: name, value: raw },
    );
  }
  return { ok: true, value };
}
