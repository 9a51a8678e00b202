import type { Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';

/**
 * Cancels planned (not yet confirmed) shipments that carry any of the given
 * order lines. Callers run it before releasing those reservations, so a
 * planned shipment never tries to ship stock that is no longer held for it.
 * The warehouse then plans again from what is still reserved.
 */
export async function cancelPlannedShipments(
  trx: Tx,
  request: { companyId: string; orderLineIds: readonly string[]; actor: string; at: Date; reason: string },
): Promise<string[]> {
  if (request.orderLineIds.length === 0) return [];

  const cancelled = await trx
    .updateTable('shipment')
    .set({ status: 'cancelled' })
    .where('status', '=', 'planned')
    .where('id', 'in', (eb) =>
      eb.selectFrom('shipment_line').select('shipment_id').where('order_line_id', 'in', [...request.orderLineIds]),
    )
    .returning(['id', 'order_id', 'shipment_number'])
    .execute();

  await appendHistory(
    trx,
    cancelled.map((shipment) => ({
      companyId: request.companyId,
      entityType: 'shipment' as const,
      entityId: shipment.id,
      orderId: shipment.order_id,
      event: 'cancelled',
      fromStatus: 'planned',
      toStatus: 'cancelled',
      actor: request.actor,
      reason: request.reason,
      details: { shipmentNumber: shipment.shipment_number },
      occurredAt: request.at,
    })),
  );
  return cancelled.map((shipment) => shipment.shipment_number);
}
