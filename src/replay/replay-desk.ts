import { performance } from 'node:perf_hooks';

import { sql } from 'kysely';

import { confirmShipment } from '../fulfillment/commands/confirm-shipment.js';
import { createShipment } from '../fulfillment/commands/create-shipment.js';
import { receiveStock } from '../inventory/commands/receive-stock.js';
import { issueCreditNote } from '../invoicing/commands/issue-credit-note.js';
import { Dec, formatMinorUnits } from '../money/index.js';
import { cancelOrder } from '../orders/commands/cancel-order.js';
import { releaseHold } from '../orders/commands/release-hold.js';
import { submitOrder } from '../orders/commands/submit-order.js';
import { getOrder } from '../orders/queries/get-order.js';
import { recordPayment } from '../payments/commands/record-payment.js';
import { discountFor } from '../payments/store/apply-to-invoice.js';
import type { CommandContext } from '../platform/command.js';
import type { ManualClock } from '../platform/clock.js';
import { DEFAULT_WAREHOUSE_CODE } from '../platform/company/setup-company.js';
import { addDays, compareDates, toCalendarDate } from '../shared/calendar-date.js';
import { atTime, type EventQueue } from './event-queue.js';
import type { RejectedRow, ReplayOrder, ReplayReturn, StockReceiptSeed } from './model.js';
import { assignPaymentProfile, planPayments } from './payment-behaviour.js';

export type ReplayEvent =
  | { kind: 'receipt'; receipt: StockReceiptSeed }
  | { kind: 'order'; order: ReplayOrder }
  | { kind: 'review'; orderId: string }
  | { kind: 'ship'; orderId: string; shipDate: string; giveUpAfter: string; carrier: string | null }
  | { kind: 'payment'; customerCode: string; invoiceNumber: string; amountMinor: bigint; takeDiscount: boolean }
  | { kind: 'return'; item: ReplayReturn };

/**
 * How long the order desk waits for a held order to become shippable after
 * its recorded ship date before it rejects the order.
 */
export const GIVE_UP_AFTER_DAYS = 60;

/** Counters and timings the report is made from; the rest comes from the database. */
export interface DeskTally {
  ordersSubmitted: number;
  linesSubmitted: number;
  intakeRejections: RejectedRow[];
  /** Wall time of each submission that was confirmed at intake, in milliseconds. */
  touchlessIntakeMs: number[];
  /** Wall time of every submission, in milliseconds. */
  intakeMs: number[];
  paymentsAfterEnd: number;
  returnsCredited: number;
  rejectedReturns: RejectedRow[];
  ordersGivenUp: number;
}

/**
 * The simulated staff of a replay: the order desk submits orders and has
 * price mismatches reviewed by a clerk the next morning, the warehouse ships
 * on the recorded date, and customers pay by their seeded behaviour.
 */
export class ReplayDesk {
  readonly tally: DeskTally = {
    ordersSubmitted: 0,
    linesSubmitted: 0,
    intakeRejections: [],
    touchlessIntakeMs: [],
    intakeMs: [],
    paymentsAfterEnd: 0,
    returnsCredited: 0,
    rejectedReturns: [],
    ordersGivenUp: 0,
  };

  constructor(
    private readonly ctx: CommandContext,
    private readonly clock: ManualClock,
    private readonly queue: EventQueue<ReplayEvent>,
    private readonly options: { seed: string; endDate: string },
  ) {}

  async handle(at: Date, event: ReplayEvent): Promise<void> {
    this.clock.set(at);
    switch (event.kind) {
      case 'receipt':
        return this.receive(event.receipt);
      case 'order':
        return this.submit(event.order);
      case 'review':
        return this.review(event.orderId);
      case 'ship':
        return this.ship(event);
      case 'payment':
        return this.pay(event);
      case 'return':
        return this.creditReturn(event.item);
    }
  }

  private async receive(receipt: StockReceiptSeed): Promise<void> {
    const result = await receiveStock(this.as('replay:warehouse'), {
      sku: receipt.sku,
      warehouseCode: DEFAULT_WAREHOUSE_CODE,
      quantity: receipt.quantity.toString(),
      reason: receipt.reason,
    });
    if (!result.ok) throw new Error(`Stock receipt of ${receipt.sku} failed: ${result.rejection.message}`);
  }

  private async submit(order: ReplayOrder): Promise<void> {
    const started = performance.now();
    const result = await submitOrder(this.as('replay:order-desk'), {
      customerCode: order.customerCode,
      customerPoNumber: order.customerPoNumber,
      channel: 'replay',
      requestedDeliveryDate: order.requestedDeliveryDate,
      shipTo: {
        name: order.shipTo.name,
        line1: order.shipTo.line1 ?? 'not recorded',
        city: order.shipTo.city ?? 'not recorded',
        region: order.shipTo.region,
        postalCode: order.shipTo.postalCode,
        countryCode: order.shipTo.countryCode,
      },
      lines: order.lines.map((line) => ({
        sku: line.sku,
        quantity: line.quantity.toString(),
        expectedUnitPrice: line.expectedUnitPrice?.toString() ?? null,
        discountPercent: line.discountPercent.toString(),
      })),
    });
    const elapsed = performance.now() - started;
    this.tally.intakeMs.push(elapsed);

    if (!result.ok) {
      this.tally.intakeRejections.push({
        file: order.sourceFile,
        row: order.sourceRow,
        code: result.rejection.code,
        reason: `Order ${order.customerPoNumber} was rejected at intake: ${result.rejection.message}`,
      });
      return;
    }
    this.tally.ordersSubmitted += 1;
    this.tally.linesSubmitted += order.lines.length;

    const placed = result.value.order;
    if (placed.status === 'confirmed') this.tally.touchlessIntakeMs.push(elapsed);
    if (placed.holds.some((hold) => hold.reason === 'price_mismatch')) {
      // A clerk reviews price mismatches at 09:00 the next day.
      this.queue.add(atTime(addDays(placed.orderDate, 1), '09:00:00'), { kind: 'review', orderId: placed.id });
    }

    if (order.shipDate !== null) {
      const shipDate = compareDates(order.shipDate, placed.orderDate) < 0 ? placed.orderDate : order.shipDate;
      this.queue.add(atTime(shipDate, '17:00:00'), {
        kind: 'ship',
        orderId: placed.id,
        shipDate,
        giveUpAfter: addDays(shipDate, GIVE_UP_AFTER_DAYS),
        carrier: order.carrier,
      });
    }
  }

  private async review(orderId: string): Promise<void> {
    const order = await getOrder(this.ctx.db, this.ctx.companyId, orderId);
    if (order.status !== 'on_hold') return;
    const result = await releaseHold(this.as('replay:order-clerk'), {
      orderId,
      reason: 'Clerk checked the price with the customer and confirmed the list price',
    });
    if (!result.ok) throw new Error(`Review of ${order.orderNumber} failed: ${result.rejection.message}`);
  }

  private async ship(event: Extract<ReplayEvent, { kind: 'ship' }>): Promise<void> {
    const today = toCalendarDate(this.clock.now());
    const order = await getOrder(this.ctx.db, this.ctx.companyId, event.orderId);
    if (order.status === 'cancelled' || order.status === 'closed') return;

    if (order.status !== 'confirmed') {
      if (compareDates(today, event.giveUpAfter) >= 0) {
        await this.giveUp(order.id, order.orderNumber, event.shipDate);
        return;
      }
      // Still held: the warehouse looks again at the same time tomorrow.
      this.queue.add(atTime(addDays(today, 1), '17:00:00'), event);
      return;
    }

    const planned = await createShipment(this.as('replay:warehouse'), { orderId: order.id, carrier: event.carrier });
    if (!planned.ok) {
      if (planned.rejection.code === 'nothing_to_ship') return;
      throw new Error(`Shipment of ${order.orderNumber} failed: ${planned.rejection.message}`);
    }
    for (const shipment of planned.value) {
      const confirmed = await confirmShipment(this.as('replay:warehouse'), { shipmentId: shipment.id });
      if (!confirmed.ok) throw new Error(`Goods issue of ${shipment.shipmentNumber} failed: ${confirmed.rejection.message}`);
      if (confirmed.value.shipment.invoiceNumber) await this.schedulePayments(order.customerCode, confirmed.value.shipment.invoiceNumber);
    }
  }

  private async giveUp(orderId: string, orderNumber: string, shipDate: string): Promise<void> {
    const result = await cancelOrder(this.as('replay:order-desk'), {
      orderId,
      action: 'reject',
      reason: `Still on hold ${GIVE_UP_AFTER_DAYS} days after the recorded ship date ${shipDate}`,
    });
    if (!result.ok) throw new Error(`Rejecting ${orderNumber} failed: ${result.rejection.message}`);
    this.tally.ordersGivenUp += 1;
  }

  private async schedulePayments(customerCode: string, invoiceNumber: string): Promise<void> {
    const invoice = await this.ctx.db
      .selectFrom('invoice')
      .select(['issue_date', 'due_date', 'discount_deadline', 'gross_minor', 'payment_terms_code'])
      .where('company_id', '=', this.ctx.companyId)
      .where('invoice_number', '=', invoiceNumber)
      .executeTakeFirstOrThrow();

    // A cash sale is paid when it is made; only credit accounts pay late or not at all.
    const profile =
      invoice.payment_terms_code === 'DUE_ON_RECEIPT'
        ? 'on_terms'
        : assignPaymentProfile(customerCode, this.options.seed, { earlyDiscountOffered: invoice.discount_deadline !== null });
    const plan = planPayments({
      profile,
      customerCode,
      invoiceNumber,
      issueDate: invoice.issue_date,
      dueDate: invoice.due_date,
      discountDeadline: invoice.discount_deadline,
      grossMinor: invoice.gross_minor,
      seed: this.options.seed,
    });
    for (const payment of plan) {
      if (compareDates(payment.date, this.options.endDate) > 0) {
        this.tally.paymentsAfterEnd += 1;
        continue;
      }
      this.queue.add(atTime(payment.date, '12:00:00'), {
        kind: 'payment',
        customerCode,
        invoiceNumber,
        amountMinor: payment.amountMinor,
        takeDiscount: profile === 'early_discount',
      });
    }
  }

  private async pay(event: Extract<ReplayEvent, { kind: 'payment' }>): Promise<void> {
    const invoice = await this.ctx.db
      .selectFrom('invoice')
      .select(['id', 'customer_id', 'invoice_number', 'order_id', 'currency', 'open_minor', 'gross_minor', 'issue_date', 'due_date', 'payment_terms_code'])
      .where('company_id', '=', this.ctx.companyId)
      .where('invoice_number', '=', event.invoiceNumber)
      .executeTakeFirstOrThrow();
    const today = toCalendarDate(this.clock.now());

    // A customer who takes the discount remits the open amount less the
    // discount that cash application will grant.
    let amount = event.amountMinor < invoice.open_minor ? event.amountMinor : invoice.open_minor;
    if (event.takeDiscount) {
      const discount = await discountFor(this.ctx.db, this.ctx.companyId, invoice, today);
      if (discount > 0n) amount = invoice.open_minor - discount;
    }
    if (amount <= 0n) return;

    const result = await recordPayment(this.as('replay:receivables'), {
      customerCode: event.customerCode,
      amount: formatMinorUnits(amount, invoice.currency),
      currency: invoice.currency,
      receivedOn: today,
      method: 'bank_transfer',
      reference: `Remittance for ${event.invoiceNumber}`,
      applications: [{ invoiceNumber: event.invoiceNumber, amount: formatMinorUnits(amount, invoice.currency) }],
    });
    if (!result.ok) throw new Error(`Payment for ${event.invoiceNumber} failed: ${result.rejection.message}`);
  }

  /**
   * Credits a cancellation row against the latest invoices that billed this
   * SKU to this customer; what no invoice covers is reported with its row.
   */
  private async creditReturn(item: ReplayReturn): Promise<void> {
    const candidates = await sql<{ invoice_id: string; invoice_number: string; line_number: number; creditable: string }>`
      SELECT i.id AS invoice_id, i.invoice_number, il.line_number,
             (il.quantity - COALESCE((SELECT SUM(cl.quantity) FROM invoice_line cl WHERE cl.corrected_line_id = il.id), 0))::text AS creditable
      FROM invoice i
      JOIN invoice_line il ON il.invoice_id = i.id
      JOIN customer c ON c.id = i.customer_id
      WHERE i.company_id = ${this.ctx.companyId} AND i.kind = 'invoice'
        AND c.code = ${item.customerCode} AND il.sku = ${item.sku} AND i.issue_date <= ${item.date}::date
      ORDER BY i.issue_date DESC, i.invoice_number DESC
    `.execute(this.ctx.db);

    let remaining = item.quantity;
    for (const candidate of candidates.rows) {
      const creditable = new Dec(candidate.creditable);
      if (remaining.lte(0) || creditable.lte(0)) continue;
      const quantity = Dec.min(remaining, creditable);
      const result = await issueCreditNote(this.as('replay:billing'), {
        invoiceId: candidate.invoice_id,
        reason: `Customer return, cancellation ${item.reference}`,
        restock: true,
        lines: [{ lineNumber: candidate.line_number, quantity: quantity.toString() }],
      });
      if (!result.ok) throw new Error(`Credit note for ${candidate.invoice_number} failed: ${result.rejection.message}`);
      remaining = remaining.minus(quantity);
    }

    if (remaining.lt(item.quantity)) this.tally.returnsCredited += 1;
    if (remaining.gt(0)) {
      this.tally.rejectedReturns.push({
        file: item.sourceFile,
        row: item.sourceRow,
        code: 'return_without_invoice',
        reason: `Cancellation ${item.reference} returns ${remaining.toString()} of ${item.sku} that the replay never invoiced to customer ${item.customerCode} before ${item.date}; no credit note was issued for it.`,
      });
    }
  }

  private as(actor: string): CommandContext {
    return { ...this.ctx, actor };
  }
}
