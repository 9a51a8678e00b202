import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';

import { checkInvariants } from '../../checker/invariants.js';
import { jsonReplacer } from '../../platform/history.js';
import type { DB } from '../../platform/schema.js';
import { sendRejection } from '../problem.js';

/**
 * Routes for operators and monitoring. They act for no company: the checks
 * cover every company in the database.
 */
export function registerOperationsRoutes(app: FastifyInstance, deps: { db: Kysely<DB> }): void {
  app.get('/health', { config: { companyScoped: false } }, async (request, reply) => {
    try {
      await sql`SELECT 1`.execute(deps.db);
    } catch (error) {
      request.log.error({ err: error }, 'health check failed: the database is not reachable');
      return sendRejection(reply, {
        code: 'database_unavailable',
        message: 'The database is not reachable; the server cannot serve requests until it is.',
        facts: {},
      });
    }
    return reply.send({ status: 'ok' });
  });

  // NOTE: every check scans its whole table, so on a large database this is
  // a slow request; call it from monitoring at a modest interval.
  app.get('/checks', { config: { companyScoped: false } }, async (_request, reply) => {
    const { checked, violations } = await checkInvariants(deps.db);
    // Violating rows are raw database values: amounts stay integers in minor
    // units, sent as strings like every other integer column that can exceed 2^53.
    const rows = JSON.parse(JSON.stringify(violations, jsonReplacer)) as unknown;
    return reply.send({ ok: violations.length === 0, checked, violations: rows });
  });
}
