import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import { isKnownCurrency } from '../../money/index.js';
import type { Clock } from '../../platform/clock.js';
import { findCompany, setupCompany } from '../../platform/company/setup-company.js';
import type { DB } from '../../platform/schema.js';
import { businessCode, countryCode, currencyCode } from '../../shared/field-schemas.js';
import { sendRejection } from '../problem.js';
import { parseInput } from '../route-input.js';

const companyBody = z.object({
  code: businessCode,
  name: z.string().trim().min(1, 'must not be empty'),
  currency: currencyCode.refine(isKnownCurrency, 'must be an ISO 4217 currency code that o2c knows the minor unit of'),
  countryCode,
  pricesIncludeTax: z.boolean().optional(),
});
const companyPath = z.object({ code: z.string().min(1) });

/**
 * Companies. These routes act for no company, so they ignore the O2C-Company
 * header. Setting up a company also creates its payment terms, default price
 * list and default warehouse.
 */
export function registerCompanyRoutes(app: FastifyInstance, deps: { db: Kysely<DB>; clock: Clock }): void {
  app.post('/companies', { config: { companyScoped: false } }, async (request, reply) => {
    const body = parseInput(companyBody, request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    // setupCompany returns an existing company's id and changes nothing, so a
    // repeated request is safe; the lookup only picks the status code.
    const existed = (await findCompany(deps.db, body.value.code)) !== null;
    // Company routes are not company-scoped, so the actor header is read here.
    const actorHeader = request.headers['o2c-actor'];
    const actor = typeof actorHeader === 'string' && actorHeader.trim() !== '' ? actorHeader.trim().slice(0, 200) : 'api';
    await setupCompany(deps.db, deps.clock, body.value, actor);
    const company = await findCompany(deps.db, body.value.code);
    return reply
      .code(existed ? 200 : 201)
      .header('location', `/companies/${encodeURIComponent(body.value.code)}`)
      .send(company);
  });

  app.get('/companies/:code', { config: { companyScoped: false } }, async (request, reply) => {
    const path = parseInput(companyPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const company = await findCompany(deps.db, path.value.code);
    if (company === null) {
      return sendRejection(reply, {
        code: 'company_not_found',
        message: `Company ${path.value.code} was not found.`,
        facts: { companyCode: path.value.code },
      });
    }
    return reply.send(company);
  });
}
