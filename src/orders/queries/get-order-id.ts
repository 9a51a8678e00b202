import type { Kysely } from 'kysely';

import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';
import { isUuid } from '../store/order-store.js';

/**
 * Returns the id of a sales order addressed by its id or its number, such as
 * SO-0000001; rejects with `order_not_found` when the company has no such order.
 */
export async function getOrderId(db: Kysely<DB>, companyId: string, reference: string): Promise<string> {
  const order = await db
    .selectFrom('sales_order')
    .select('id')
    .where('company_id', '=', companyId)
    .where(isUuid(reference) ? 'id' : 'order_number', '=', reference)
    .executeTakeFirst();
  if (!order) {
    rejectAndRollBack('order_not_found', `Sales order ${reference} was not found.`, { orderId: reference });
  }
  return order.id;
}
