import type { Kysely } from 'kysely';

import { formatMinorUnits } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

export interface PaymentView {
  id: string;
  paymentNumber: string;
  customerCode: string;
  currency: string;
  amount: string;
  unappliedAmount: string;
  receivedOn: string;
  method: string;
  reference: string | null;
  applications: { invoiceNumber: string; amount: string; discount: string; appliedOn: string }[];
}

export async function getPayment(db: Kysely<DB>, companyId: string, paymentId: string): Promise<PaymentView> {
  const payment = await db
    .selectFrom('payment')
    .innerJoin('customer', 'customer.id', 'payment.customer_id')
    .selectAll('payment')
    .select('customer.code as customer_code')
    .where('payment.company_id', '=', companyId)
    .where('payment.id', '=', paymentId)
    .executeTakeFirst();
  if (!payment) {
    rejectAndRollBack('payment_not_found', `Payment ${paymentId} was not found.`, { paymentId });
  }

  const applications = await db
    .selectFrom('application')
    .innerJoin('invoice', 'invoice.id', 'application.invoice_id')
    .select(['invoice.invoice_number', 'application.amount_minor', 'application.discount_minor', 'application.applied_on'])
    .where('application.payment_id', '=', payment.id)
    .orderBy('application.created_at')
    .execute();

  return {
    id: payment.id,
    paymentNumber: payment.payment_number,
    customerCode: payment.customer_code,
    currency: payment.currency,
    amount: formatMinorUnits(payment.amount_minor, payment.currency),
    unappliedAmount: formatMinorUnits(payment.unapplied_minor, payment.currency),
    receivedOn: payment.received_on,
    method: payment.method,
    reference: payment.external_reference,
    applications: applications.map((row) => ({
      invoiceNumber: row.invoice_number,
      amount: formatMinorUnits(row.amount_minor, payment.currency),
      discount: formatMinorUnits(row.discount_minor, payment.currency),
      appliedOn: row.applied_on,
    })),
  };
}
