import type { Selectable } from 'kysely';

import { Dec } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { OrderHoldTable, SalesOrderLineTable, SalesOrderTable } from '../../platform/schema.js';
import type { OrderSnapshot } from '../rules/order-lifecycle.js';

export type OrderRow = Selectable<SalesOrderTable>;
export type OrderLineRow = Selectable<SalesOrderLineTable>;
export type HoldRow = Selectable<OrderHoldTable>;

/**
 * Locks a sales order for the rest of the transaction. Every command that
 * changes an order goes through here first, so changes to one order are
 * serialised while different orders proceed in parallel.
 */
export async function lockOrder(trx: Tx, companyId: string, orderId: string): Promise<OrderRow> {
  const order = await trx
    .selectFrom('sales_order')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(isUuid(orderId) ? 'id' : 'order_number', '=', orderId)
    .forUpdate()
    .executeTakeFirst();
  if (!order) {
    rejectAndRollBack('order_not_found', `Sales order ${orderId} was not found.`, { orderId });
  }
  return order;
}

export async function loadOrderLines(trx: Tx, orderId: string): Promise<OrderLineRow[]> {
  return trx
    .selectFrom('sales_order_line')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('line_number')
    .execute();
}

export async function loadActiveHolds(trx: Tx, orderId: string): Promise<HoldRow[]> {
  return trx
    .selectFrom('order_hold')
    .selectAll()
    .where('order_id', '=', orderId)
    .where('resolved_at', 'is', null)
    .orderBy('placed_at')
    .execute();
}

export function toSnapshot(lines: readonly OrderLineRow[], activeHoldCount: number): OrderSnapshot {
  return {
    activeHoldCount,
    lines: lines.map((line) => ({
      ordered: new Dec(line.quantity_ordered),
      reserved: new Dec(line.quantity_reserved),
      shipped: new Dec(line.quantity_shipped),
      invoiced: new Dec(line.quantity_invoiced),
      returned: new Dec(line.quantity_returned),
      cancelled: new Dec(line.quantity_cancelled),
    })),
  };
}

/**
 * Orders lines by product, then by line number: the order in which every
 * command locks stock rows, so that concurrent orders do not deadlock on them.
 */
export function compareLockOrder(a: { productId: string; lineNumber: number }, b: { productId: string; lineNumber: number }): number {
  if (a.productId !== b.productId) return a.productId < b.productId ? -1 : 1;
  return a.lineNumber - b.lineNumber;
}

/** Quantity still to be reserved: ordered − reserved − shipped − cancelled. */
export function unreservedQuantity(line: OrderLineRow): Dec {
  const open = new Dec(line.quantity_ordered)
    .minus(line.quantity_reserved)
    .minus(line.quantity_shipped)
    .minus(line.quantity_cancelled);
  return Dec.max(open, 0);
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Documents are addressed by id or by their number; a UUID is an id. */
export function isUuid(text: string): boolean {
  return UUID_PATTERN.test(text);
}
