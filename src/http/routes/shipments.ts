import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { confirmShipment } from '../../fulfillment/commands/confirm-shipment.js';
import { createShipment, type CreateShipmentInput } from '../../fulfillment/commands/create-shipment.js';
import { getShipment } from '../../fulfillment/queries/get-shipment.js';
import { getShipmentId } from '../../fulfillment/queries/get-shipment-id.js';
import { listShipments } from '../../fulfillment/queries/list-shipments.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, pageQuery, parseInput } from '../route-input.js';

const documentPath = z.object({ id: z.string().min(1) });

const listQuery = z.object({
  status: z.enum(['planned', 'confirmed', 'cancelled']).optional(),
  warehouseCode: z.string().min(1).optional(),
  ...pageQuery,
});

const confirmBody = z.object({
  trackingNumber: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').nullish(),
});

/** Shipments: planning from an order, the warehouse's queue, and the goods issue that bills them. */
export function registerShipmentRoutes(app: FastifyInstance): void {
  app.post('/orders/:id/shipments', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = bodyObject(request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const key = idempotencyKeyOf(request);
    const input = { ...body.value, orderId: path.value.id, ...(key === null ? {} : { idempotencyKey: key }) } as CreateShipmentInput;
    const result = await createShipment(commandContext(request), input);
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.code(201).send({ shipments: result.value });
  });

  app.get('/shipments', async (request, reply) => {
    const query = parseInput(listQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    return reply.send(await listShipments(ctx.db, ctx.companyId, query.value));
  });

  app.get('/shipments/:id', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);

    const ctx = commandContext(request);
    const shipmentId = await getShipmentId(ctx.db, ctx.companyId, path.value.id);
    return reply.send(await getShipment(ctx.db, ctx.companyId, shipmentId));
  });

  app.post('/shipments/:id/confirm', async (request, reply) => {
    const path = parseInput(documentPath, request.params);
    if (!path.ok) return sendRejection(reply, path.rejection);
    const body = parseInput(confirmBody, request.body);
    if (!body.ok) return sendRejection(reply, body.rejection);

    const result = await confirmShipment(commandContext(request), {
      shipmentId: path.value.id,
      trackingNumber: body.value.trackingNumber ?? null,
    });
    if (!result.ok) return sendRejection(reply, result.rejection);
    return reply.send(result.value);
  });
}
