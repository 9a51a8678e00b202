import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { adjustStock, receiveStock, type StockMovementInput } from '../../inventory/commands/receive-stock.js';
import { getStock } from '../../inventory/queries/get-stock.js';
import { idempotencyKeyOf } from '../idempotency.js';
import { sendRejection } from '../problem.js';
import { commandContext } from '../request-scope.js';
import { bodyObject, parseInput } from '../route-input.js';

const stockQuery = z.object({ sku: z.string({ error: 'must name the product, as ?sku=...' }).min(1, 'must not be empty') });

/** Stock: receipts and count adjustments, which serve waiting orders, and levels per warehouse. */
export function registerStockRoutes(app: FastifyInstance): void {
  const movements = [
    { path: '/stock/receipts', move: receiveStock },
    { path: '/stock/adjustments', move: adjustStock },
  ];
  for (const { path, move } of movements) {
    app.post(path, async (request, reply) => {
      const body = bodyObject(request.body);
      if (!body.ok) return sendRejection(reply, body.rejection);

      const key = idempotencyKeyOf(request);
      const input = { ...body.value, ...(key === null ? {} : { idempotencyKey: key }) } as StockMovementInput;
      const result = await move(commandContext(request), input);
      if (!result.ok) return sendRejection(reply, result.rejection);
      return reply.code(result.value.created ? 201 : 200).send(result.value);
    });
  }

  app.get('/stock', async (request, reply) => {
    const query = parseInput(stockQuery, request.query);
    if (!query.ok) return sendRejection(reply, query.rejection);

    const ctx = commandContext(request);
    return reply.send(await getStock(ctx.db, ctx.companyId, query.value.sku));
  });
}
