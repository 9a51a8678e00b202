import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { getAgingReport } from '../../receivables/queries/aging-report.js';
import { getDaysSalesOutstanding } from '../../receivables/queries/days-sales-outstanding.js';
import { toCalendarDate } from '../../shared/calendar-date.js';
import { calendarDate } from '../../shared/field-schemas.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { parseInput } from '../route-input.js';

const DEFAULT_DSO_PERIOD_DAYS = 90;

const agingQuery = z.object({ asOf: calendarDate.optional() });
const dsoQuery = z.object({
  asOf: calendarDate.optional(),
  periodDays: z
    .string()
    .regex(/^[1-9]\d{0,3}$/, 'must be a whole number of days from 1 to 9999')
    .transform(Number)
    .default(DEFAULT_DSO_PERIOD_DAYS),
});

/** Receivables reports for collections and finance; `asOf` defaults to today's business date. */
export function registerReceivablesRoutes(app: FastifyInstance): void {
  app.get('/receivables/aging', async (request, reply) => {
    const query = parseInput(agingQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    const asOf = query.value.asOf ?? toCalendarDate(ctx.clock.now());
    return reply.send(await getAgingReport(ctx.db, ctx.companyId, asOf));
  });

  app.get('/receivables/dso', async (request, reply) => {
    const query = parseInput(dsoQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    const asOf = query.value.asOf ?? toCalendarDate(ctx.clock.now());
    const { periodDays } = query.value;
    const byCurrency = await getDaysSalesOutstanding(ctx.db, ctx.companyId, asOf, periodDays);
    return reply.send({ asOf, periodDays, daysSalesOutstanding: byCurrency });
  });
}
