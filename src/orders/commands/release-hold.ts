import { runCommand, type CommandContext } from '../../platform/command.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import type { HoldReason } from '../holds.js';
import { getOrder, type OrderView } from '../queries/get-order.js';
import { recheckHolds } from '../recheck-holds.js';
import { lockOrder } from '../store/order-store.js';

export interface ReleaseHoldRequest {
  orderId: string;
  /** Holds the person lifts although their cause remains, e.g. a credit manager's approval. */
  overrides?: HoldReason[];
  reason?: string | null;
}

export interface ReleaseHoldOutcome {
  released: string[];
  remaining: string[];
  order: OrderView;
}

/**
 * A person releases an order on hold. Every check runs again; holds that
 * now pass, or that the person overrides, are lifted, and the order is
 * confirmed once none remains.
 */
export async function releaseHold(ctx: CommandContext, request: ReleaseHoldRequest): Promise<Result<ReleaseHoldOutcome>> {
  return runCommand(ctx, 'release-hold', async (trx) => {
    const order = await lockOrder(trx, ctx.companyId, request.orderId);
    if (order.status !== 'on_hold') {
      rejectAndRollBack('invalid_transition', `Sales order ${order.order_number} is ${order.status}, not on hold; only held orders can be released.`, {
        orderNumber: order.order_number,
        status: order.status,
      });
    }

    const outcome = await recheckHolds(trx, order, {
      companyId: ctx.companyId,
      actor: ctx.actor,
      at: ctx.clock.now(),
      mode: 'person',
      overrides: request.overrides ?? [],
      reason: request.reason ?? null,
    });
    return { released: outcome.released, remaining: outcome.remaining, order: await getOrder(trx, ctx.companyId, order.id) };
  });
}
