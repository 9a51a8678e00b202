import type { Kysely } from 'kysely';

import { isUuid } from '../../orders/store/order-store.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

/**
 * Returns the id of an invoice or credit note addressed by its id or its
 * number, such as INV-2024-000001; rejects with `invoice_not_found` when the
 * company has no such document.
 */
export async function getInvoiceId(db: Kysely<DB>, companyId: string, reference: string): Promise<string> {
  const invoice = await db
    .selectFrom('invoice')
    .select('id')
    .where('company_id', '=', companyId)
    .where(isUuid(reference) ? 'id' : 'invoice_number', '=', reference)
    .executeTakeFirst();
  if (!invoice) {
    rejectAndRollBack('invoice_not_found', `Invoice ${reference} was not found.`, { invoiceId: reference });
  }
  return invoice.id;
}
