import { runCommand, type CommandContext } from '../../platform/command.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import type { OrderStatus } from '../../platform/schema.js';
import { resolveHolds } from '../holds.js';
import { getOrder, type OrderView } from '../queries/get-order.js';
import { cancelOpenQuantities } from '../store/cancel-open-quantities.js';
import { loadActiveHolds, loadOrderLines, lockOrder, toSnapshot } from '../store/order-store.js';
import { recomputeOrderAmounts } from '../store/recompute-amounts.js';
import { transitionOrder } from '../transition-order.js';

export interface CancelOrderRequest {
  orderId: string;
  reason: string;
  /** 'reject': a person rejects an order on hold; 'cancel': the order is withdrawn. */
  action?: 'cancel' | 'reject';
}

/**
 * Cancels everything still open on an order and releases its reservations.
 * An order with shipped goods keeps them: its open rest is cancelled and the
 * order closes instead. Rejecting is cancelling an order on hold.
 */
export async function cancelOrder(ctx: CommandContext, request: CancelOrderRequest): Promise<Result<OrderView>> {
  const action = request.action ?? 'cancel';
  return runCommand(ctx, `${action}-order`, async (trx) => {
    const at = ctx.clock.now();
    const order = await lockOrder(trx, ctx.companyId, request.orderId);
    if (order.status === 'closed' || order.status === 'cancelled') {
      rejectAndRollBack('invalid_transition', `Sales order ${order.order_number} is already ${order.status}; nothing is left to ${action}.`, {
        orderNumber: order.order_number,
        status: order.status,
        action,
      });
    }
    if (action === 'reject' && order.status !== 'on_hold') {
      rejectAndRollBack('invalid_transition', `Sales order ${order.order_number} is ${order.status}; only an order on hold can be rejected, so cancel it instead.`, {
        orderNumber: order.order_number,
        status: order.status,
        action,
      });
    }
    const linesBefore = await loadOrderLines(trx, order.id);
    const holds = await loadActiveHolds(trx, order.id);

    // A refused transition below rolls back these changes with the rest of the transaction.
    const cancelled = await cancelOpenQuantities(trx, linesBefore, { companyId: ctx.companyId, actor: ctx.actor, at, reason: request.reason });
    await recomputeOrderAmounts(trx, order);
    await resolveHolds(trx, { companyId: ctx.companyId, orderId: order.id, actor: ctx.actor, at, reason: request.reason }, holds, action === 'reject' ? 'rejected' : 'cancelled');

    const lines = await loadOrderLines(trx, order.id);
    const snapshot = toSnapshot(lines, 0);
    const shippedSomething = snapshot.lines.some((line) => line.shipped.gt(0));
    let from: OrderStatus = order.status;
    if (shippedSomething && from === 'on_hold') {
      // The lifecycle has no on_hold → closed row. The holds are resolved
      // above, so the order passes through confirmed, as cancelLine does.
      from = await transitionOrder(trx, {
        companyId: ctx.companyId,
        orderId: order.id,
        from,
        action: 'release',
        snapshot,
        actor: ctx.actor,
        at,
        reason: request.reason,
      });
    }
    await transitionOrder(trx, {
      companyId: ctx.companyId,
      orderId: order.id,
      from,
      action: shippedSomething ? 'close' : action,
      snapshot,
      actor: ctx.actor,
      at,
      reason: request.reason,
      details: { cancelledQuantities: cancelled },
    });
    return getOrder(trx, ctx.companyId, order.id);
  });
}
