import type { Tx } from '../platform/command.js';
import { appendHistory, jsonReplacer } from '../platform/history.js';
import type { HoldResolution } from '../platform/schema.js';

/** Machine-readable reasons an order is not confirmed. */
export type HoldReason = 'credit_limit' | 'stock_shortage' | 'price_mismatch' | 'customer_blocked';

export interface HoldToPlace {
  reason: HoldReason;
  facts: Record<string, unknown>;
}

export async function placeHolds(
  trx: Tx,
  target: { companyId: string; orderId: string; actor: string; at: Date },
  holds: readonly HoldToPlace[],
): Promise<void> {
  if (holds.length === 0) return;

  await trx
    .insertInto('order_hold')
    .values(
      holds.map((hold) => ({
        company_id: target.companyId,
        order_id: target.orderId,
        reason: hold.reason,
        facts: JSON.stringify(hold.facts, jsonReplacer),
        placed_at: target.at,
      })),
    )
    .execute();

  await appendHistory(
    trx,
    holds.map((hold) => ({
      companyId: target.companyId,
      entityType: 'sales_order' as const,
      entityId: target.orderId,
      orderId: target.orderId,
      event: 'hold_placed',
      actor: target.actor,
      reason: hold.reason,
      details: hold.facts,
      occurredAt: target.at,
    })),
  );
}

/** Resolves active holds by id and records who resolved them and why. */
export async function resolveHolds(
  trx: Tx,
  target: { companyId: string; orderId: string; actor: string; at: Date; reason?: string | null },
  holds: readonly { id: string; reason: string }[],
  resolution: HoldResolution,
): Promise<void> {
  if (holds.length === 0) return;

  await trx
    .updateTable('order_hold')
    .set({ resolved_at: target.at, resolution, resolved_by: target.actor })
    .where(
      'id',
      'in',
      holds.map((hold) => hold.id),
    )
    .where('resolved_at', 'is', null)
    .execute();

  await appendHistory(
    trx,
    holds.map((hold) => ({
      companyId: target.companyId,
      entityType: 'sales_order' as const,
      entityId: target.orderId,
      orderId: target.orderId,
      event: `hold_${resolution}`,
      actor: target.actor,
      reason: target.reason ?? hold.reason,
      details: { hold: hold.reason },
      occurredAt: target.at,
    })),
  );
}
