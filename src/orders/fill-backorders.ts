import { sql } from 'kysely';

import type { Tx } from '../platform/command.js';
import { recheckHolds, reserveShortfall } from './recheck-holds.js';
import { lockOrder } from './store/order-store.js';

/**
 * Reserves newly available stock of a product for orders that wait for it,
 * oldest order first, and releases stock holds that are now covered.
 * Called in the transaction that made the stock available (a receipt, a
 * positive adjustment, a cancellation).
 */
export async function fillBackorders(
  trx: Tx,
  request: { companyId: string; productId: string; actor: string; at: Date },
): Promise<string[]> {
  const waiting = await trx
    .selectFrom('sales_order_line as line')
    .innerJoin('sales_order as o', 'o.id', 'line.order_id')
    .select(['o.id'])
    .distinct()
    .select(['o.received_at', 'o.order_number'])
    .where('line.product_id', '=', request.productId)
    .where('o.company_id', '=', request.companyId)
    .where('o.status', 'in', ['on_hold', 'confirmed'])
    .where(sql<boolean>`line.quantity_ordered - line.quantity_shipped - line.quantity_cancelled > line.quantity_reserved`)
    .orderBy('o.received_at')
    // Order numbers follow intake, so orders received at the same instant keep their order.
    .orderBy('o.order_number')
    .execute();

  const released: string[] = [];
  for (const candidate of waiting) {
    const order = await lockOrder(trx, request.companyId, candidate.id);
    if (order.status === 'on_hold') {
      const outcome = await recheckHolds(trx, order, {
        companyId: request.companyId,
        actor: request.actor,
        at: request.at,
        mode: 'automatic',
        reason: 'stock received',
      });
      if (outcome.status === 'confirmed') released.push(order.order_number);
    } else {
      // A confirmed order with a backorder (accepted by a person) takes the stock as it comes.
      await reserveShortfall(trx, order);
    }

    const stillFree = await trx
      .selectFrom('stock_level')
      .select(sql<boolean>`COALESCE(SUM(on_hand - reserved), 0) > 0`.as('free'))
      .where('product_id', '=', request.productId)
      .executeTakeFirstOrThrow();
    if (!stillFree.free) break;
  }
  return released;
}
