import { sql } from 'kysely';
import { z } from 'zod';

import { formatMinorUnits, isKnownCurrency } from '../../money/index.js';
import { releaseCreditHolds } from '../../orders/release-credit-holds.js';
import { retryOnDuplicateKey, runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { postLedgerEntry } from '../../ledger/store/post-entry.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { DECIMAL_STRING, validateInput } from '../../platform/validation.js';
import { calendarDate } from '../../shared/field-schemas.js';
import { getPayment, type PaymentView } from '../queries/get-payment.js';
import { amountToMinor, applyOldestFirst, applyToNamedInvoices } from '../store/apply-payment-lines.js';

const recordPaymentSchema = z.object({
  customerCode: z.string().min(1),
  amount: z.string().regex(DECIMAL_STRING, 'amount must be a decimal string such as "125.40"'),
  currency: z.string().refine(isKnownCurrency, 'currency must be an ISO 4217 code such as "EUR"'),
  // calendarDate also rejects dates that do not exist, such as 2024-02-30, which PostgreSQL would raise as an error.
  receivedOn: calendarDate,
  method: z.enum(['bank_transfer', 'card', 'check', 'cash', 'direct_debit', 'other']).default('bank_transfer'),
  reference: z.string().max(200).nullish(),
  /** Named invoices to pay; when omitted, cash goes to the oldest open invoices; an empty list keeps it all on account. */
  applications: z
    .array(z.object({ invoiceNumber: z.string().min(1), amount: z.string().regex(DECIMAL_STRING, 'amount must be a decimal string') }))
    .nullish(),
  idempotencyKey: z.string().max(200).nullish(),
});

export type RecordPaymentInput = z.input<typeof recordPaymentSchema>;

export interface RecordPaymentOutcome {
  /** False when the idempotency key repeated an earlier payment. */
  created: boolean;
  payment: PaymentView;
  releasedOrders: string[];
}

/**
 * Records cash received from a customer and applies it: to the named
 * invoices, or oldest due first. What is not applied stays on account.
 * Orders on credit hold are checked again, since the exposure went down.
 */
export async function recordPayment(ctx: CommandContext, input: RecordPaymentInput): Promise<Result<RecordPaymentOutcome>> {
  return retryOnDuplicateKey(['payment_idempotency'], () => recordPaymentOnce(ctx, input));
}

async function recordPaymentOnce(ctx: CommandContext, input: RecordPaymentInput): Promise<Result<RecordPaymentOutcome>> {
  const validated = validateInput(recordPaymentSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  return runCommand(ctx, 'record-payment', async (trx) => {
    const at = ctx.clock.now();
    if (request.idempotencyKey) {
      const earlier = await trx
        .selectFrom('payment')
        .select('id')
        .where('company_id', '=', ctx.companyId)
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (earlier) return { created: false, payment: await getPayment(trx, ctx.companyId, earlier.id), releasedOrders: [] };
    }

    // Cash application per customer is serialised by the customer row lock.
    const customer = await lockCustomer(trx, ctx.companyId, request.customerCode);
    if (customer.currency !== request.currency) {
      rejectAndRollBack(
        'currency_mismatch',
        `Customer ${customer.code} is invoiced in ${customer.currency}, not ${request.currency}; record the payment in ${customer.currency}.`,
        { customerCode: customer.code, customerCurrency: customer.currency, paymentCurrency: request.currency },
        '/currency',
      );
    }
    const amountMinor = amountToMinor(request.amount, request.currency, '/amount');
    if (amountMinor <= 0n) {
      rejectAndRollBack('validation_failed', `Payment amount must be greater than zero, not "${request.amount}".`, { amount: request.amount }, '/amount');
    }

    const payment = await trx
      .insertInto('payment')
      .values({
        company_id: ctx.companyId,
        payment_number: sql<string>`'PAY-' || lpad(nextval('payment_number_seq')::text, 7, '0')`,
        customer_id: customer.id,
        currency: request.currency,
        amount_minor: amountMinor,
        unapplied_minor: amountMinor,
        received_on: request.receivedOn,
        method: request.method,
        external_reference: request.reference ?? null,
        idempotency_key: request.idempotencyKey ?? null,
      })
      .returning(['id', 'payment_number'])
      .executeTakeFirstOrThrow();

    await postLedgerEntry(trx, {
      companyId: ctx.companyId,
      entryDate: request.receivedOn,
      sourceType: 'payment',
      sourceId: payment.id,
      currency: request.currency,
      description: `Payment ${payment.payment_number} from ${customer.code}`,
      lines: [
        { account: 'bank', debitMinor: amountMinor },
        { account: 'accounts_receivable', customerId: customer.id, creditMinor: amountMinor },
      ],
    });

    await appendHistory(trx, {
      companyId: ctx.companyId,
      entityType: 'payment',
      entityId: payment.id,
      orderId: null,
      event: 'received',
      actor: ctx.actor,
      details: {
        paymentNumber: payment.payment_number,
        amount: formatMinorUnits(amountMinor, request.currency),
        currency: request.currency,
        method: request.method,
        reference: request.reference ?? null,
      },
      occurredAt: at,
    });

    const toApply = {
      companyId: ctx.companyId,
      id: payment.id,
      paymentNumber: payment.payment_number,
      customerId: customer.id,
      currency: request.currency,
      unappliedMinor: amountMinor,
      receivedOn: request.receivedOn,
      actor: ctx.actor,
      at,
    };
    // An empty list keeps the whole payment on account; no list applies it oldest due first.
    if (request.applications != null) {
      await applyToNamedInvoices(trx, toApply, request.applications);
    } else {
      await applyOldestFirst(trx, toApply);
    }

    const releasedOrders = await releaseCreditHolds(trx, { companyId: ctx.companyId, customerId: customer.id, actor: 'system', at });
    return { created: true, payment: await getPayment(trx, ctx.companyId, payment.id), releasedOrders };
  });
}

async function lockCustomer(trx: Tx, companyId: string, code: string) {
  const customer = await trx
    .selectFrom('customer')
    .select(['id', 'code', 'currency'])
    .where('company_id', '=', companyId)
    .where('code', '=', code)
    .forUpdate()
    .executeTakeFirst();
  if (!customer) {
    rejectAndRollBack('customer_not_found', `Customer ${code} was not found.`, { customerCode: code }, '/customerCode');
  }
  return customer;
}
