import { sql } from 'kysely';

import { Dec } from '../../money/index.js';
import { releaseReservations } from '../../inventory/store/stock-reservation.js';
import type { Tx } from '../../platform/command.js';
import type { OrderLineRow } from './order-store.js';

/**
 * Cancels the open quantity (ordered − shipped − cancelled) of the given
 * lines and releases their reservations. Returns the cancelled quantity per
 * line number; lines with nothing open are skipped.
 */
export async function cancelOpenQuantities(trx: Tx, lines: readonly OrderLineRow[]): Promise<Record<number, string>> {
  const cancelled: Record<number, string> = {};
  for (const line of lines) {
    const open = new Dec(line.quantity_ordered).minus(line.quantity_shipped).minus(line.quantity_cancelled);
    if (open.lte(0)) continue;

    await releaseReservations(trx, { orderLineId: line.id });
    await trx
      .updateTable('sales_order_line')
      .set({ quantity_cancelled: sql`quantity_cancelled + ${open.toString()}::numeric` })
      .where('id', '=', line.id)
      .execute();
    cancelled[line.line_number] = open.toString();
  }
  return cancelled;
}
