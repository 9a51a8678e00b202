import { z } from 'zod';

import { isUuid } from '../../orders/store/order-store.js';
import { releaseCreditHolds } from '../../orders/release-credit-holds.js';
import { runCommand, type CommandContext } from '../../platform/command.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { DECIMAL_STRING, validateInput } from '../../platform/validation.js';
import { getPayment, type PaymentView } from '../queries/get-payment.js';
import { applyOldestFirst, applyToNamedInvoices } from '../store/apply-payment-lines.js';

const applyPaymentSchema = z.object({
  paymentId: z.string().min(1),
  /** Named invoices; when omitted, the unapplied cash goes to the oldest open invoices. */
  applications: z
    .array(z.object({ invoiceNumber: z.string().min(1), amount: z.string().regex(DECIMAL_STRING, 'amount must be a decimal string') }))
    .nullish(),
});

export type ApplyPaymentInput = z.input<typeof applyPaymentSchema>;

/** Applies cash left on account from an earlier payment to open invoices. */
export async function applyPayment(ctx: CommandContext, input: ApplyPaymentInput): Promise<Result<PaymentView>> {
  const validated = validateInput(applyPaymentSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  return runCommand(ctx, 'apply-payment', async (trx) => {
    const at = ctx.clock.now();
    const found = await trx
      .selectFrom('payment')
      .select(['id', 'customer_id'])
      .where('company_id', '=', ctx.companyId)
      .where(isUuid(request.paymentId) ? 'id' : 'payment_number', '=', request.paymentId)
      .executeTakeFirst();
    if (!found) {
      rejectAndRollBack('payment_not_found', `Payment ${request.paymentId} was not found.`, { paymentId: request.paymentId }, '/paymentId');
    }

    // Same lock order as recording a payment: customer, then payment.
    await trx.selectFrom('customer').select('id').where('id', '=', found.customer_id).forUpdate().execute();
    const payment = await trx.selectFrom('payment').selectAll().where('id', '=', found.id).forUpdate().executeTakeFirstOrThrow();

    const toApply = {
      companyId: ctx.companyId,
      id: payment.id,
      paymentNumber: payment.payment_number,
      customerId: payment.customer_id,
      currency: payment.currency,
      unappliedMinor: payment.unapplied_minor,
      receivedOn: payment.received_on,
      actor: ctx.actor,
      at,
    };
    if (request.applications && request.applications.length > 0) {
      await applyToNamedInvoices(trx, toApply, request.applications);
    } else {
      await applyOldestFirst(trx, toApply);
    }

    await releaseCreditHolds(trx, { companyId: ctx.companyId, customerId: payment.customer_id, actor: 'system', at });
    return getPayment(trx, ctx.companyId, payment.id);
  });
}
