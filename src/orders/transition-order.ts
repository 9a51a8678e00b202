import { sql } from 'kysely';

import type { Tx } from '../platform/command.js';
import { appendHistory } from '../platform/history.js';
import { rejectAndRollBack } from '../platform/rejection.js';
import type { OrderStatus } from '../platform/schema.js';
import { planTransition, type OrderAction, type OrderSnapshot } from './rules/order-lifecycle.js';

/**
 * Moves an order along the lifecycle table, or rolls the transaction back
 * with `invalid_transition` / `guard_failed`. Writes the history row.
 */
export async function transitionOrder(
  trx: Tx,
  change: {
    companyId: string;
    orderId: string;
    from: OrderStatus;
    action: OrderAction;
    snapshot: OrderSnapshot;
    actor: string;
    at: Date;
    reason?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<OrderStatus> {
  const plan = planTransition(change.from, change.action, change.snapshot);
  if (!plan.ok) {
    rejectAndRollBack(
      plan.code,
      `Sales order cannot ${change.action} while ${change.from}.`,
      { ...plan.facts, orderId: change.orderId },
    );
  }

  const to = plan.to;
  await trx
    .updateTable('sales_order')
    .set({
      status: to,
      // The first confirmation is the one order processing time is measured to.
      ...(to === 'confirmed' ? { confirmed_at: sql<Date>`COALESCE(confirmed_at, ${change.at})` } : {}),
    })
    .where('id', '=', change.orderId)
    .execute();

  await appendHistory(trx, {
    companyId: change.companyId,
    entityType: 'sales_order',
    entityId: change.orderId,
    orderId: change.orderId,
    event: historyEvent(change.action, to),
    fromStatus: change.from,
    toStatus: to,
    actor: change.actor,
    reason: change.reason ?? null,
    details: change.details ?? {},
    occurredAt: change.at,
  });
  return to;
}

/** Names the history event of a transition in the past tense, as staff read a timeline. */
function historyEvent(action: OrderAction, to: OrderStatus): string {
  switch (action) {
    case 'submit':
      return to === 'confirmed' ? 'confirmed' : 'held';
    case 'hold':
      return 'held';
    case 'release':
      return 'released';
    case 'reject':
      return 'rejected';
    case 'cancel':
      return 'cancelled';
    case 'close':
      return 'closed';
    case 'reopen':
      return 'reopened';
  }
}
