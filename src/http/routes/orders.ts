import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { cancelLine } from '../../orders/commands/cancel-line.js';
import { cancelOrder } from '../../orders/commands/cancel-order.js';
import { changeLineQuantity } from '../../orders/commands/change-line-quantity.js';
import { releaseHold } from '../../orders/commands/release-hold.js';
import { submitOrder } from '../../orders/commands/submit-order.js';
import type { HoldReason } from '../../orders/holds.js';
import type { PurchaseOrderInput } from '../../orders/purchase-order-input.js';
import { getOrder } from '../../orders/queries/get-order.js';
import { getOrderId } from '../../orders/queries/get-order-id.js';
import { getOrderTimeline } from '../../orders/queries/get-timeline.js';
import { listOrders } from '../../orders/queries/list-orders.js';
import { ORDER_STATES } from '../../orders/rules/order-lifecycle.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, pageQuery, parseInput, positiveIntegerText } from '../route-input.js';

const HOLD_REASONS = ['credit_limit', 'stock_shortage', 'price_mismatch', 'customer_blocked'] as const satisfies readonly HoldReason[];

/** The reason a person gives for the action, written to the order's history. */
const reasonText = z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

const orderPath = z.object({ id: z.string().min(1) });
const linePath = z.object({ id: z.string().min(1), lineNumber: positiveIntegerText });

const listQuery = z.object({
  status: z.enum(ORDER_STATES).optional(),
  holdReason: z.string().regex(/^[a-z_]+$/, 'must be a hold reason such as "credit_limit"').optional(),
  customerCode: z.string().min(1).optional(),
  ...pageQuery,
});

const releaseBody = z.object({
  /** Holds the person lifts although their cause remains, such as a credit manager's approval. */
  overrides: z.array(z.enum(HOLD_REASONS)).max(HOLD_REASONS.length).optional(),
  reason: reasonText.nullish(),
});
const reasonBody = z.object({ reason: reasonText });
const quantityBody = z.object({
  quantity: z.string({ error: 'must be a decimal string such as "5"' }),
  reason: reasonText.nullish(),
});

/** Sales orders: intake, the order desk's and credit manager's queue, holds, cancellation and line changes. */
export function registerOrderRoutes(app: FastifyInstance): void {
  app.post('/orders', async (request, reply) => {
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await submitOrder(commandContext(request), body.value as PurchaseOrderInput, {
      idempotencyKey: idempotencyKeyOf(request),
    });
    if (!result.ok) return sendRejection(reply, result.rejection);

    const { created, order } = result.value;
    return reply.code(created ? 201 : 200).header('location', `/orders/${order.id}`).send(order);
  });

  app.get('/orders', async (request, reply) => {
    const query = parseInput(listQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    return reply.send(await listOrders(ctx.db, ctx.companyId, query.value));
  });

  app.get('/orders/:id', async (request, reply) => {
    const path = parseInput(orderPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    const orderId = await getOrderId(ctx.db, ctx.companyId, path.value.id);
    return reply.send(await getOrder(ctx.db, ctx.companyId, orderId));
  });

  app.get('/orders/:id/timeline', async (request, reply) => {
    const path = parseInput(orderPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    const orderId = await getOrderId(ctx.db, ctx.companyId, path.value.id);
    return reply.send({ orderId, entries: await getOrderTimeline(ctx.db, ctx.companyId, orderId) });
  });

  app.post('/orders/:id/release', async (request, reply) => {
    const path = parseInput(orderPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = parseInput(releaseBody, request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await releaseHold(commandContext(request), { orderId: path.value.id, ...body.value });
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.send(result.value);
  });

  for (const action of ['reject', 'cancel'] as const) {
    app.post(`/orders/:id/${action}`, async (request, reply) => {
      const path = parseInput(orderPath, request.params);
      if (!path.ok) return sendRejection(reply, path.rejection);
      const body = parseInput(reasonBody, request.body);
      if (!body.ok) return sendRejection(reply, body.rejection);

      const result = await cancelOrder(commandContext(request), { orderId: path.value.id, reason: body.value.reason, action });
      if (!result.ok) return sendRejection(reply, result.rejection);
      return reply.send(result.value);
    });
  }

  app.post('/orders/:id/lines/:lineNumber/cancel', async (request, reply) => {
    const path = parseInput(linePath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = parseInput(reasonBody, request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await cancelLine(commandContext(request), {
      orderId: path.value.id,
      lineNumber: path.value.lineNumber,
      reason: body.value.reason,
    });
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.send(result.value);
  });

  app.patch('/orders/:id/lines/:lineNumber', async (request, reply) => {
    const path = parseInput(linePath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = parseInput(quantityBody, request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await changeLineQuantity(commandContext(request), {
      orderId: path.value.id,
      lineNumber: path.value.lineNumber,
      quantity: body.value.quantity,
      reason: body.value.reason ?? null,
    });
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.send(result.value);
  });
}
