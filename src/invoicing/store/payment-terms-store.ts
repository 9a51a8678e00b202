import { Dec } from '../../money/index.js';
import type { Kysely } from 'kysely';

import type { DB } from '../../platform/schema.js';
import type { PaymentTerms } from '../rules/payment-terms.js';

export async function loadPaymentTerms(db: Kysely<DB>, companyId: string, code: string): Promise<PaymentTerms> {
  const row = await db
    .selectFrom('payment_terms')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('code', '=', code)
    .executeTakeFirstOrThrow();
  return {
    code: row.code,
    description: row.description,
    netDays: row.net_days,
    discountDays: row.discount_days,
    discountPercent: row.discount_percent === null ? null : new Dec(row.discount_percent),
  };
}
