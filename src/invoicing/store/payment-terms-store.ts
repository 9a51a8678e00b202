import { Dec } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';
import type { PaymentTerms } from '../rules/payment-terms.js';

export async function loadPaymentTerms(trx: Tx, companyId: string, code: string): Promise<PaymentTerms> {
  const row = await trx
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
