import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { applyPayment, type ApplyPaymentInput } from '../../payments/commands/apply-payment.js';
import { recordPayment, type RecordPaymentInput } from '../../payments/commands/record-payment.js';
import { getPayment } from '../../payments/queries/get-payment.js';
import { getPaymentId } from '../../payments/queries/get-payment-id.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, parseInput } from '../route-input.js';

const documentPath = z.object({ id: z.string().min(1) });

/** Payments: cash received, applied to named invoices or oldest first. */
export function registerPaymentRoutes(app: FastifyInstance): void {
  app.post('/payments', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const key = idempotencyKeyOf(request);
    const input = { ...body.value, ...(key === null ? {} : { idempotencyKey: key }) } as RecordPaymentInput;
    const result = await recordPayment(commandContext(request), input);
    if (!result.ok) return sendRejection(reply, result.rejection);

    const { created, payment, releasedOrders } = result.value;
    return reply
      .code(created ? 201 : 200)
      .header('location', `/payments/${payment.id}`)
      .send({ payment, releasedOrders });
  });

  app.get('/payments/:id', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    const paymentId = await getPaymentId(ctx.db, ctx.companyId, path.value.id);
    return reply.send(await getPayment(ctx.db, ctx.companyId, paymentId));
  });

  app.post('/payments/:id/apply', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const input = { ...body.value, paymentId: path.value.id } as ApplyPaymentInput;
    const result = await applyPayment(commandContext(request), input);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.send(result.value);
  });
}
