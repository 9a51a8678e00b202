import type { Kysely } from 'kysely';

import { isUuid } from '../../orders/store/order-store.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

/**
 * Returns the id of a payment addressed by its id or its number, such as
 * PAY-0000001; rejects with `payment_not_found` when the company has no such payment.
 */
export async function getPaymentId(db: Kysely<DB>, companyId: string, reference: string): Promise<string> {
  const payment = await db
    .selectFrom('payment')
    .select('id')
    .where('company_id', '=', companyId)
    .where(isUuid(reference) ? 'id' : 'payment_number', '=', reference)
    .executeTakeFirst();
  if (!payment) {
    rejectAndRollBack('payment_not_found', `Payment ${reference} was not found.`, { paymentId: reference });
  }
  return payment.id;
}
