import type { Kysely } from 'kysely';

import { isUuid } from '../../orders/store/order-store.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

/**
 * Returns the id of a shipment addressed by its id or its number, such as
 * SH-0000001; rejects with `shipment_not_found` when the company has no such shipment.
 */
export async function getShipmentId(db: Kysely<DB>, companyId: string, reference: string): Promise<string> {
  const shipment = await db
    .selectFrom('shipment')
    .select('id')
    .where('company_id', '=', companyId)
    .where(isUuid(reference) ? 'id' : 'shipment_number', '=', reference)
    .executeTakeFirst();
  if (!shipment) {
    rejectAndRollBack('shipment_not_found', `Shipment ${reference} was not found.`, { shipmentId: reference });
  }
  return shipment.id;
}
