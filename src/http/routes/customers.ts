import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { createCustomer, type CreateCustomerInput } from '../../parties/commands/create-customer.js';
import { updateCustomerCredit, type UpdateCustomerCreditInput } from '../../parties/commands/update-customer-credit.js';
import { getCustomer } from '../../parties/queries/get-customer.js';
import { getCustomerBalance } from '../../receivables/queries/get-customer-balance.js';
import { toCalendarDate } from '../../shared/calendar-date.js';
import { calendarDate } from '../../shared/field-schemas.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, parseInput } from '../route-input.js';

const customerPath = z.object({ code: z.string().min(1) });
const balanceQuery = z.object({ asOf: calendarDate.optional() });

/** Customers: master data, credit limit and block, and the open items collections works from. */
export function registerCustomerRoutes(app: FastifyInstance): void {
  app.post('/customers', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await createCustomer(commandContext(request), body.value as CreateCustomerInput);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).header('location', `/customers/${encodeURIComponent(result.value.code)}`).send(result.value);
  });

  app.get('/customers/:code', async (request, reply) => {
    const path = parseInput(customerPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    return reply.send(await getCustomer(ctx.db, ctx.companyId, path.value.code));
  });

  app.get('/customers/:code/balance', async (request, reply) => {
    const path = parseInput(customerPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const query = parseInput(balanceQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    const asOf = query.value.asOf ?? toCalendarDate(ctx.clock.now());
    return reply.send(await getCustomerBalance(ctx.db, ctx.companyId, path.value.code, asOf));
  });

  app.patch('/customers/:code/credit', async (request, reply) => {
    const path = parseInput(customerPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const input = { ...body.value, customerCode: path.value.code } as UpdateCustomerCreditInput;
    const result = await updateCustomerCredit(commandContext(request), input);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.send({ customer: result.value.customer, events: result.value.events, releasedOrders: result.value.releasedOrders });
  });
}
