import { sql } from 'kysely';

import { Dec } from '../../money/index.js';
import { cancelPlannedShipments } from '../../fulfillment/store/cancel-planned-shipments.js';
import { releaseReservations } from '../../inventory/store/stock-reservation.js';
import type { Tx } from '../../platform/command.js';
import { fillBackorders } from '../fill-backorders.js';
import type { OrderLineRow } from './order-store.js';

/**
 * Cancels the open quantity (ordered − shipped − cancelled) of the given
 * lines and releases their reservations. Returns the cancelled quantity per
 * line number; lines with nothing open are skipped. Planned shipments of
 * those lines are cancelled first, since their stock is no longer held.
 */
export async function cancelOpenQuantities(
  trx: Tx,
  lines: readonly OrderLineRow[],
  change: { companyId: string; actor: string; at: Date; reason: string },
): Promise<Record<number, string>> {
  const openLines = lines.filter((line) => new Dec(line.quantity_ordered).minus(line.quantity_shipped).minus(line.quantity_cancelled).gt(0));
  await cancelPlannedShipments(trx, { ...change, orderLineIds: openLines.map((line) => line.id) });

  const cancelled: Record<number, string> = {};
  for (const line of openLines) {
    const open = new Dec(line.quantity_ordered).minus(line.quantity_shipped).minus(line.quantity_cancelled);

    await releaseReservations(trx, { orderLineId: line.id });
    await trx
      .updateTable('sales_order_line')
      .set({ quantity_cancelled: sql`quantity_cancelled + ${open.toString()}::numeric` })
      .where('id', '=', line.id)
      .execute();
    cancelled[line.line_number] = open.toString();
  }

  // Stock given back can serve orders that wait for it.
  const products = [...new Set(openLines.map((line) => line.product_id))].sort();
  for (const productId of products) {
    await fillBackorders(trx, { companyId: change.companyId, productId, actor: 'system', at: change.at });
  }
  return cancelled;
}
