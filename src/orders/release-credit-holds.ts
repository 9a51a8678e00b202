import type { Tx } from '../platform/command.js';
import { recheckHolds } from './recheck-holds.js';
import { lockOrder } from './store/order-store.js';

/**
 * Runs the checks again for a customer's orders on hold, oldest first, after
 * something about the customer changed: a payment or credit lowered the
 * exposure, the limit was raised, the block was lifted. Only holds with one
 * of `reasons` are looked at; each order released counts in the exposure of
 * the next.
 */
export async function releaseCreditHolds(
  trx: Tx,
  request: { companyId: string; customerId: string; actor: string; at: Date; reasons?: readonly string[]; why?: string },
): Promise<string[]> {
  const held = await trx
    .selectFrom('sales_order as o')
    .innerJoin('order_hold as h', 'h.order_id', 'o.id')
    .select(['o.id', 'o.received_at', 'o.order_number'])
    .distinct()
    .where('o.customer_id', '=', request.customerId)
    .where('o.status', '=', 'on_hold')
    .where('h.reason', 'in', [...(request.reasons ?? ['credit_limit'])])
    .where('h.resolved_at', 'is', null)
    .orderBy('o.received_at')
    .orderBy('o.order_number')
    .execute();

  const released: string[] = [];
  for (const candidate of held) {
    const order = await lockOrder(trx, request.companyId, candidate.id);
    const outcome = await recheckHolds(trx, order, {
      companyId: request.companyId,
      actor: request.actor,
      at: request.at,
      mode: 'automatic',
      reason: request.why ?? 'payment received',
    });
    if (outcome.status === 'confirmed') released.push(order.order_number);
  }
  return released;
}
