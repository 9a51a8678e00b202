import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { resolveHolds } from '../holds.js';
import { getOrder, type OrderView } from '../queries/get-order.js';
import { recheckHolds } from '../recheck-holds.js';
import { openQuantity } from '../rules/line-progress.js';
import { cancelOpenQuantities } from '../store/cancel-open-quantities.js';
import { loadActiveHolds, loadOrderLines, lockOrder, toSnapshot } from '../store/order-store.js';
import { recomputeOrderAmounts } from '../store/recompute-amounts.js';
import { transitionOrder } from '../transition-order.js';

export interface CancelLineRequest {
  orderId: string;
  lineNumber: number;
  reason: string;
}

/**
 * Cancels the open quantity of one line and releases its reservation. When
 * nothing stays open on the order, it closes, or is cancelled if nothing
 * shipped. An order on hold is checked again, because a smaller order may
 * now fit the credit limit or the stock.
 */
export async function cancelLine(ctx: CommandContext, request: CancelLineRequest): Promise<Result<OrderView>> {
  return runCommand(ctx, 'cancel-line', async (trx) => {
    const at = ctx.clock.now();
    const order = await lockOrder(trx, ctx.companyId, request.orderId);
    if (order.status !== 'confirmed' && order.status !== 'on_hold') {
      rejectAndRollBack('invalid_transition', `Lines of sales order ${order.order_number} cannot be cancelled while it is ${order.status}.`, {
        orderNumber: order.order_number,
        status: order.status,
      });
    }

    const lines = await loadOrderLines(trx, order.id);
    const line = lines.find((candidate) => candidate.line_number === request.lineNumber);
    if (!line) {
      rejectAndRollBack('order_line_not_found', `Sales order ${order.order_number} has no line ${request.lineNumber}.`, {
        orderNumber: order.order_number,
        lineNumber: request.lineNumber,
      });
    }

    const cancelled = await cancelOpenQuantities(trx, [line], { companyId: ctx.companyId, actor: ctx.actor, at, reason: request.reason });
    if (Object.keys(cancelled).length === 0) {
      rejectAndRollBack('invalid_transition', `Line ${request.lineNumber} of ${order.order_number} has nothing open to cancel.`, {
        orderNumber: order.order_number,
        lineNumber: request.lineNumber,
      });
    }
    await recomputeOrderAmounts(trx, order);
    await appendHistory(trx, {
      companyId: ctx.companyId,
      entityType: 'sales_order',
      entityId: order.id,
      orderId: order.id,
      event: 'line_cancelled',
      actor: ctx.actor,
      reason: request.reason,
      details: { lineNumber: request.lineNumber, sku: line.sku, cancelledQuantity: cancelled[request.lineNumber] },
      occurredAt: at,
    });

    await settleOrderAfterLineChange(trx, ctx, order.id, at, request.reason);
    return getOrder(trx, ctx.companyId, order.id);
  });
}

/**
 * After lines change: close or cancel an order with nothing open, otherwise
 * run the checks of an order on hold again.
 */
export async function settleOrderAfterLineChange(
  trx: Tx,
  ctx: CommandContext,
  orderId: string,
  at: Date,
  reason: string | null,
): Promise<void> {
  const order = await lockOrder(trx, ctx.companyId, orderId);
  const lines = await loadOrderLines(trx, orderId);
  const snapshot = toSnapshot(lines, 0);
  const nothingOpen = snapshot.lines.every((line) => openQuantity(line).lte(0));

  if (nothingOpen) {
    let from = order.status;
    if (from === 'on_hold') {
      // Nothing is left to hold: clear the holds so the order can close.
      const holds = await loadActiveHolds(trx, orderId);
      await resolveHolds(trx, { companyId: ctx.companyId, orderId, actor: ctx.actor, at, reason }, holds, 'cleared');
      from = await transitionOrder(trx, { companyId: ctx.companyId, orderId, from, action: 'release', snapshot, actor: ctx.actor, at, reason });
    }
    const shippedSomething = snapshot.lines.some((line) => line.shipped.gt(0));
    await transitionOrder(trx, {
      companyId: ctx.companyId,
      orderId,
      from,
      action: shippedSomething ? 'close' : 'cancel',
      snapshot,
      actor: ctx.actor,
      at,
      reason,
    });
    return;
  }

  if (order.status === 'on_hold') {
    await recheckHolds(trx, order, { companyId: ctx.companyId, actor: ctx.actor, at, mode: 'automatic', reason });
  }
}
