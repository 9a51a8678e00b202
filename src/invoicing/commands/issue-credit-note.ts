import { sql } from 'kysely';
import { z } from 'zod';

import { Dec, formatMinorUnits } from '../../money/index.js';
import { fillBackorders } from '../../orders/fill-backorders.js';
import { isUuid, lockOrder } from '../../orders/store/order-store.js';
import { retryOnDuplicateKey, runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { hasDistinctLineNumbers, positiveQuantity } from '../../shared/field-schemas.js';
import { toCalendarDate } from '../../shared/calendar-date.js';
import { getInvoice, type InvoiceView } from '../queries/get-invoice.js';
import { insertInvoiceDocument } from '../store/insert-invoice.js';

const creditNoteSchema = z.object({
  invoiceId: z.string().min(1),
  reason: z.string().min(1, 'a credit note needs a reason'),
  /** True when the goods come back into stock; false for goods written off or never delivered. */
  restock: z.boolean().default(true),
  lines: z
    .array(
      z.object({
        lineNumber: z.number().int().positive(),
        quantity: positiveQuantity,
      }),
    )
    .min(1)
    .refine(hasDistinctLineNumbers, 'must name each line once; add the quantities of a line together'),
  idempotencyKey: z.string().max(200).nullish(),
});

export type CreditNoteInput = z.input<typeof creditNoteSchema>;

/**
 * Reverses invoiced quantities that are returned or cancelled after
 * invoicing. The credit note is settled against the invoice it corrects up
 * to that invoice's open amount; any rest stays open as customer credit.
 */
export async function issueCreditNote(ctx: CommandContext, input: CreditNoteInput): Promise<Result<InvoiceView>> {
  return retryOnDuplicateKey(['invoice_idempotency'], () => issueCreditNoteOnce(ctx, input));
}

async function issueCreditNoteOnce(ctx: CommandContext, input: CreditNoteInput): Promise<Result<InvoiceView>> {
  const validated = validateInput(creditNoteSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  return runCommand(ctx, 'issue-credit-note', async (trx) => {
    const at = ctx.clock.now();
    const invoice = await findInvoice(trx, ctx.companyId, request.invoiceId);
    const order = await lockOrder(trx, ctx.companyId, invoice.order_id);
    // Looked up under the order lock, so a retry that raced the first request
    // waits for it and returns its credit note instead of crediting again.
    if (request.idempotencyKey) {
      const earlier = await trx
        .selectFrom('invoice')
        .select('id')
        .where('company_id', '=', ctx.companyId)
        .where('idempotency_key', '=', request.idempotencyKey)
        .executeTakeFirst();
      if (earlier) return getInvoice(trx, ctx.companyId, earlier.id);
    }

    const lockedInvoice = await trx.selectFrom('invoice').selectAll().where('id', '=', invoice.id).forUpdate().executeTakeFirstOrThrow();

    const creditLines = await loadCreditableLines(trx, lockedInvoice.id, request.lines, lockedInvoice.invoice_number);
    const creditNote = await insertInvoiceDocument(trx, {
      companyId: ctx.companyId,
      kind: 'credit_note',
      customerId: lockedInvoice.customer_id,
      orderId: order.id,
      shipmentId: lockedInvoice.shipment_id,
      correctedInvoiceId: lockedInvoice.id,
      reason: request.reason,
      currency: lockedInvoice.currency,
      pricesIncludeTax: order.prices_include_tax,
      paymentTermsCode: lockedInvoice.payment_terms_code,
      issueDate: toCalendarDate(at),
      lines: creditLines,
      actor: ctx.actor,
      at,
    });
    if (creditNote.grossMinor === 0n) {
      rejectAndRollBack(
        'validation_failed',
        `The credit note for ${lockedInvoice.invoice_number} would be 0.00 ${lockedInvoice.currency}: the quantities are too small to carry an amount; credit a larger quantity.`,
        { invoiceNumber: lockedInvoice.invoice_number, lines: request.lines },
        '/lines',
      );
    }
    if (request.idempotencyKey) {
      await trx.updateTable('invoice').set({ idempotency_key: request.idempotencyKey }).where('id', '=', creditNote.id).execute();
    }

    for (const line of creditLines) {
      await trx
        .updateTable('sales_order_line')
        .set({ quantity_returned: sql`quantity_returned + ${line.quantity.toString()}::numeric` })
        .where('id', '=', line.orderLineId)
        .execute();
    }
    if (request.restock) {
      await restockReturnedGoods(trx, ctx, { shipmentId: lockedInvoice.shipment_id, creditNoteNumber: creditNote.invoiceNumber, lines: creditLines, at });
    }

    await settleAgainstInvoice(trx, ctx, { creditNoteId: creditNote.id, creditGrossMinor: creditNote.grossMinor, invoice: lockedInvoice, at });
    return getInvoice(trx, ctx.companyId, creditNote.id);
  });
}

async function findInvoice(trx: Tx, companyId: string, invoiceId: string) {
  const invoice = await trx
    .selectFrom('invoice')
    .selectAll()
    .where('company_id', '=', companyId)
    .where(isUuid(invoiceId) ? 'id' : 'invoice_number', '=', invoiceId)
    .where('kind', '=', 'invoice')
    .executeTakeFirst();
  if (!invoice) {
    rejectAndRollBack('invoice_not_found', `Invoice ${invoiceId} was not found.`, { invoiceId }, '/invoiceId');
  }
  return invoice;
}

async function loadCreditableLines(trx: Tx, invoiceId: string, requested: readonly { lineNumber: number; quantity: string }[], invoiceNumber: string) {
  const invoiceLines = await sql<{
    id: string;
    line_number: number;
    order_line_id: string;
    product_id: string;
    sku: string;
    description: string;
    unit_code: string;
    quantity: string;
    unit_price: string;
    discount_percent: string;
    vat_category_code: string;
    tax_rate_percent: string;
    credited: string;
  }>`
    SELECT il.*, COALESCE((SELECT SUM(cl.quantity) FROM invoice_line cl WHERE cl.corrected_line_id = il.id), 0)::text AS credited
    FROM invoice_line il WHERE il.invoice_id = ${invoiceId}
  `.execute(trx);

  return requested.map((want, index) => {
    const line = invoiceLines.rows.find((candidate) => candidate.line_number === want.lineNumber);
    if (!line) {
      rejectAndRollBack('order_line_not_found', `Invoice ${invoiceNumber} has no line ${want.lineNumber}.`, { invoiceNumber, lineNumber: want.lineNumber }, `/lines/${index}/lineNumber`);
    }
    const creditable = new Dec(line.quantity).minus(line.credited);
    const quantity = new Dec(want.quantity);
    if (quantity.gt(creditable)) {
      rejectAndRollBack(
        'quantity_exceeds_returnable',
        `Line ${want.lineNumber} of ${invoiceNumber} has ${creditable.toString()} left to credit; cannot credit ${want.quantity}.`,
        {
          invoiceNumber,
          lineNumber: want.lineNumber,
          invoiced: new Dec(line.quantity).toString(),
          alreadyCredited: new Dec(line.credited).toString(),
          requested: want.quantity,
        },
        `/lines/${index}/quantity`,
      );
    }
    return {
      orderLineId: line.order_line_id,
      shipmentLineId: null,
      correctedLineId: line.id,
      productId: line.product_id,
      sku: line.sku,
      description: line.description,
      unitCode: line.unit_code,
      quantity,
      unitPrice: new Dec(line.unit_price),
      discountPercent: new Dec(line.discount_percent),
      vatCategoryCode: line.vat_category_code,
      ratePercent: new Dec(line.tax_rate_percent),
    };
  });
}

/** Returned goods go back into the warehouse they shipped from, and serve waiting orders. */
async function restockReturnedGoods(
  trx: Tx,
  ctx: CommandContext,
  request: { shipmentId: string | null; creditNoteNumber: string; lines: readonly { productId: string; quantity: Dec }[]; at: Date },
): Promise<void> {
  if (request.shipmentId === null) return;
  const shipment = await trx.selectFrom('shipment').select('warehouse_id').where('id', '=', request.shipmentId).executeTakeFirstOrThrow();

  for (const line of request.lines) {
    await sql`
      UPDATE stock_level SET on_hand = on_hand + ${line.quantity.toString()}::numeric
      WHERE product_id = ${line.productId} AND warehouse_id = ${shipment.warehouse_id}
    `.execute(trx);
    await trx
      .insertInto('stock_movement')
      .values({
        company_id: ctx.companyId,
        product_id: line.productId,
        warehouse_id: shipment.warehouse_id,
        kind: 'return',
        quantity: line.quantity.toString(),
        reference: request.creditNoteNumber,
        reason: 'customer return',
        occurred_at: request.at,
        actor: ctx.actor,
        idempotency_key: null,
      })
      .execute();
    await fillBackorders(trx, { companyId: ctx.companyId, productId: line.productId, actor: 'system', at: request.at });
  }
}

async function settleAgainstInvoice(
  trx: Tx,
  ctx: CommandContext,
  request: { creditNoteId: string; creditGrossMinor: bigint; invoice: { id: string; open_minor: bigint; invoice_number: string; order_id: string; currency: string }; at: Date },
): Promise<void> {
  const amount = request.creditGrossMinor < request.invoice.open_minor ? request.creditGrossMinor : request.invoice.open_minor;
  if (amount <= 0n) return;

  await sql`UPDATE invoice SET open_minor = open_minor - ${amount} WHERE id = ${request.invoice.id} AND open_minor >= ${amount}`.execute(trx);
  await sql`UPDATE invoice SET open_minor = open_minor - ${amount} WHERE id = ${request.creditNoteId} AND open_minor >= ${amount}`.execute(trx);
  await trx
    .insertInto('application')
    .values({
      company_id: ctx.companyId,
      invoice_id: request.invoice.id,
      credit_note_id: request.creditNoteId,
      payment_id: null,
      amount_minor: amount,
      applied_on: toCalendarDate(request.at),
      actor: ctx.actor,
    })
    .execute();
  await appendHistory(trx, {
    companyId: ctx.companyId,
    entityType: 'invoice',
    entityId: request.invoice.id,
    orderId: request.invoice.order_id,
    event: 'credit_applied',
    actor: ctx.actor,
    details: { creditNoteId: request.creditNoteId, amount: formatMinorUnits(amount, request.invoice.currency), currency: request.invoice.currency, invoiceNumber: request.invoice.invoice_number },
    occurredAt: request.at,
  });
}
