import { sql } from 'kysely';

import { Dec } from '../money/index.js';
import { reserveStock } from '../inventory/store/stock-reservation.js';
import type { Tx } from '../platform/command.js';
import { toCalendarDate } from '../shared/calendar-date.js';
import { checkCredit } from '../receivables/rules/credit-check.js';
import { loadExposureParts, loadUnbilledOrderValue } from '../receivables/store/credit-exposure.js';
import { resolveHolds, type HoldReason } from './holds.js';
import { compareLockOrder, loadActiveHolds, loadOrderLines, toSnapshot, unreservedQuantity, type HoldRow, type OrderRow } from './store/order-store.js';
import { transitionOrder } from './transition-order.js';

export interface RecheckRequest {
  companyId: string;
  actor: string;
  at: Date;
  /**
   * 'person': a clerk or credit manager releases; a price mismatch is then
   * accepted at the list price, and `overrides` lift holds whose cause remains.
   * 'automatic': only holds whose cause has gone away are lifted.
   */
  mode: 'person' | 'automatic';
  overrides?: readonly HoldReason[];
  reason?: string | null;
}

export interface RecheckOutcome {
  released: string[];
  remaining: string[];
  status: OrderRow['status'];
}

/**
 * Runs the checks behind every active hold of a locked order again, lifts
 * the holds that pass, and confirms the order when none is left.
 */
export async function recheckHolds(trx: Tx, order: OrderRow, request: RecheckRequest): Promise<RecheckOutcome> {
  const holds = await loadActiveHolds(trx, order.id);
  const overrides = new Set(request.overrides ?? []);
  const cleared: HoldRow[] = [];

  for (const hold of holds) {
    const reason = hold.reason as HoldReason;
    const passes = await holdCausePassed(trx, order, reason, request.mode, request.at);
    const overridden = request.mode === 'person' && overrides.has(reason);
    if (passes || overridden) cleared.push(hold);
  }

  await resolveHolds(
    trx,
    { companyId: request.companyId, orderId: order.id, actor: request.actor, at: request.at, reason: request.reason ?? null },
    cleared,
    request.mode === 'person' ? 'released' : 'auto_released',
  );

  const remaining = holds.filter((hold) => !cleared.includes(hold)).map((hold) => hold.reason);
  let status = order.status;
  if (remaining.length === 0 && order.status === 'on_hold') {
    const lines = await loadOrderLines(trx, order.id);
    status = await transitionOrder(trx, {
      companyId: request.companyId,
      orderId: order.id,
      from: order.status,
      action: 'release',
      snapshot: toSnapshot(lines, 0),
      actor: request.actor,
      at: request.at,
      reason: request.reason ?? (request.mode === 'automatic' ? 'hold causes resolved' : null),
    });
  }
  return { released: cleared.map((hold) => hold.reason), remaining, status };
}

async function holdCausePassed(trx: Tx, order: OrderRow, reason: HoldReason, mode: RecheckRequest['mode'], at: Date): Promise<boolean> {
  switch (reason) {
    case 'price_mismatch':
      // Only a person can accept the list price over the customer's expected price.
      return mode === 'person';
    case 'customer_blocked': {
      const customer = await trx.selectFrom('customer').select('blocked').where('id', '=', order.customer_id).executeTakeFirstOrThrow();
      return !customer.blocked;
    }
    case 'credit_limit':
      return creditNowWithinLimit(trx, order);
    case 'stock_shortage': {
      const covered = await reserveShortfall(trx, order);
      if (covered) await bringPromisesForward(trx, order.id, toCalendarDate(at));
      return covered;
    }
    default:
      // A hold reason this code does not know can only be lifted by a person.
      return mode === 'person';
  }
}

async function creditNowWithinLimit(trx: Tx, order: OrderRow): Promise<boolean> {
  const customer = await trx
    .selectFrom('customer')
    .select(['credit_limit_minor'])
    .where('id', '=', order.customer_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (customer.credit_limit_minor === null) return true;

  const parts = await loadExposureParts(trx, order.customer_id, order.id);
  return checkCredit({
    creditLimitMinor: customer.credit_limit_minor,
    ...parts,
    thisOrderMinor: await loadUnbilledOrderValue(trx, order),
  }).withinLimit;
}

/**
 * Moves promised ship dates that counted on a replenishment forward to the
 * day the stock became available, but never before the requested date.
 */
async function bringPromisesForward(trx: Tx, orderId: string, today: string): Promise<void> {
  await sql`
    UPDATE sales_order_line
    SET promised_ship_date = GREATEST(${today}::date, COALESCE(requested_date, ${today}::date))
    WHERE order_id = ${orderId}
      AND promised_ship_date > GREATEST(${today}::date, COALESCE(requested_date, ${today}::date))
  `.execute(trx);
}

/** Tries to reserve what each line still lacks; true when nothing is short any more. */
export async function reserveShortfall(trx: Tx, order: OrderRow): Promise<boolean> {
  // Services and charges are never reserved, so only stocked lines count.
  const lines = await trx
    .selectFrom('sales_order_line')
    .innerJoin('product', 'product.id', 'sales_order_line.product_id')
    .selectAll('sales_order_line')
    .where('sales_order_line.order_id', '=', order.id)
    .where('product.stocked', '=', true)
    .execute();
  lines.sort((a, b) => compareLockOrder({ productId: a.product_id, lineNumber: a.line_number }, { productId: b.product_id, lineNumber: b.line_number }));

  let short = new Dec(0);
  for (const line of lines) {
    const missing = unreservedQuantity(line);
    if (missing.lte(0)) continue;
    const outcome = await reserveStock(trx, {
      companyId: order.company_id,
      orderLineId: line.id,
      productId: line.product_id,
      quantity: missing,
    });
    short = short.plus(missing.minus(outcome.reserved));
  }
  return short.eq(0);
}
