import { z } from 'zod';

import { Dec } from '../../money/index.js';
import { cancelPlannedShipments } from '../../fulfillment/store/cancel-planned-shipments.js';
import { releaseReservations } from '../../inventory/store/stock-reservation.js';
import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { positiveQuantity } from '../../shared/field-schemas.js';
import { checkCredit } from '../../receivables/rules/credit-check.js';
import { loadExposureParts, loadUnbilledOrderValue } from '../../receivables/store/credit-exposure.js';
import { fillBackorders } from '../fill-backorders.js';
import { creditHoldFacts } from '../credit-hold-facts.js';
import { placeHolds, type HoldToPlace } from '../holds.js';
import { priceOrderLines } from '../price-order-lines.js';
import { getOrder, type OrderView } from '../queries/get-order.js';
import { reserveShortfall } from '../recheck-holds.js';
import { loadActiveHolds, loadOrderLines, lockOrder, toSnapshot, type OrderLineRow, type OrderRow } from '../store/order-store.js';
import { recomputeOrderAmounts } from '../store/recompute-amounts.js';
import { transitionOrder } from '../transition-order.js';
import { settleOrderAfterLineChange } from './cancel-line.js';

export interface ChangeLineQuantityRequest {
  orderId: string;
  lineNumber: number;
  /** New ordered quantity as a decimal string; at least what is already shipped and cancelled. */
  quantity: string;
  reason?: string | null;
}

/**
 * Changes a line's ordered quantity before it ships. A decrease releases
 * reservations; an increase reserves more and runs the credit check again.
 * The line is re-priced for the new quantity (quantity breaks) at the order
 * date. A failed check puts a confirmed order on hold; a closed order that
 * gets more to deliver reopens.
 */
export async function changeLineQuantity(ctx: CommandContext, request: ChangeLineQuantityRequest): Promise<Result<OrderView>> {
  const validated = validateInput(z.object({ quantity: positiveQuantity }), { quantity: request.quantity });
  if (!validated.ok) return validated;

  return runCommand(ctx, 'change-line-quantity', async (trx) => {
    const at = ctx.clock.now();
    let order = await lockOrder(trx, ctx.companyId, request.orderId);
    if (!['confirmed', 'on_hold', 'closed'].includes(order.status)) {
      rejectAndRollBack('invalid_transition', `Sales order ${order.order_number} is ${order.status}; its quantities can no longer change.`, {
        orderNumber: order.order_number,
        status: order.status,
      });
    }

    const line = (await loadOrderLines(trx, order.id)).find((candidate) => candidate.line_number === request.lineNumber);
    if (!line) {
      rejectAndRollBack('order_line_not_found', `Sales order ${order.order_number} has no line ${request.lineNumber}.`, {
        orderNumber: order.order_number,
        lineNumber: request.lineNumber,
      });
    }

    const newQuantity = new Dec(request.quantity);
    const oldQuantity = new Dec(line.quantity_ordered);
    const floor = new Dec(line.quantity_shipped).plus(line.quantity_cancelled);
    if (newQuantity.lt(floor)) {
      rejectAndRollBack(
        'quantity_below_shipped',
        `Line ${line.line_number} cannot go below ${floor.toString()}: that much is already shipped or cancelled.`,
        {
          lineNumber: line.line_number,
          requested: newQuantity.toString(),
          shipped: new Dec(line.quantity_shipped).toString(),
          cancelled: new Dec(line.quantity_cancelled).toString(),
        },
        '/quantity',
      );
    }

    await applyNewQuantity(trx, order, line, newQuantity, { companyId: ctx.companyId, actor: ctx.actor, at, reason: request.reason ?? 'quantity lowered' });
    await recomputeOrderAmounts(trx, order);
    if (newQuantity.lt(oldQuantity)) {
      // Stock given back can serve orders that wait for it.
      await fillBackorders(trx, { companyId: ctx.companyId, productId: line.product_id, actor: 'system', at });
    }
    await appendHistory(trx, {
      companyId: ctx.companyId,
      entityType: 'sales_order',
      entityId: order.id,
      orderId: order.id,
      event: 'line_quantity_changed',
      actor: ctx.actor,
      reason: request.reason ?? null,
      details: { lineNumber: line.line_number, sku: line.sku, from: oldQuantity.toString(), to: newQuantity.toString() },
      occurredAt: at,
    });

    if (newQuantity.lte(oldQuantity)) {
      await settleOrderAfterLineChange(trx, ctx, order.id, at, request.reason ?? null);
      return getOrder(trx, ctx.companyId, order.id);
    }

    if (order.status === 'closed') {
      const lines = await loadOrderLines(trx, order.id);
      await transitionOrder(trx, {
        companyId: ctx.companyId,
        orderId: order.id,
        from: 'closed',
        action: 'reopen',
        snapshot: toSnapshot(lines, 0),
        actor: ctx.actor,
        at,
        reason: request.reason ?? 'quantity increased',
      });
    }
    order = await lockOrder(trx, ctx.companyId, order.id);
    await checkIncrease(trx, ctx, order, at);
    return getOrder(trx, ctx.companyId, order.id);
  });
}

async function applyNewQuantity(
  trx: Tx,
  order: OrderRow,
  line: OrderLineRow,
  newQuantity: Dec,
  change: { companyId: string; actor: string; at: Date; reason: string },
): Promise<void> {
  const maxReservable = newQuantity.minus(line.quantity_shipped).minus(line.quantity_cancelled);
  const excessReserved = new Dec(line.quantity_reserved).minus(maxReservable);
  if (excessReserved.gt(0)) {
    // A planned shipment may count on the stock released here.
    await cancelPlannedShipments(trx, { ...change, orderLineIds: [line.id] });
    await releaseReservations(trx, { orderLineId: line.id, quantity: excessReserved });
  }

  const customer = await trx.selectFrom('customer').select(['tax_exempt']).where('id', '=', order.customer_id).executeTakeFirstOrThrow();
  const product = await trx.selectFrom('product').select(['tax_category']).where('id', '=', line.product_id).executeTakeFirstOrThrow();
  const shipTo = order.ship_to as { countryCode: string };
  const repriced = await priceOrderLines(
    trx,
    {
      companyId: order.company_id,
      customerId: order.customer_id,
      customerTaxExempt: customer.tax_exempt,
      priceListId: order.price_list_id,
      currency: order.currency,
      orderDate: order.order_date,
      shipToCountry: shipTo.countryCode,
    },
    [
      {
        index: line.line_number - 1,
        productId: line.product_id,
        sku: line.sku,
        taxCategory: product.tax_category,
        quantity: newQuantity,
        expectedUnitPrice: null,
        discountPercent: new Dec(line.discount_percent),
      },
    ],
  );
  const priced = repriced.lines[0]!;

  await trx
    .updateTable('sales_order_line')
    .set({ quantity_ordered: newQuantity.toString(), unit_price: priced.unitPrice.toString() })
    .where('id', '=', line.id)
    .execute();
}

/** Runs the credit and stock checks for a larger order; failures put a confirmed order on hold. */
async function checkIncrease(trx: Tx, ctx: CommandContext, order: OrderRow, at: Date): Promise<void> {
  const holds: HoldToPlace[] = [];
  const active = new Set((await loadActiveHolds(trx, order.id)).map((hold) => hold.reason));

  const customer = await trx
    .selectFrom('customer')
    .select(['credit_limit_minor', 'currency'])
    .where('id', '=', order.customer_id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (customer.credit_limit_minor !== null && !active.has('credit_limit')) {
    const parts = await loadExposureParts(trx, order.customer_id, order.id);
    const thisOrderMinor = await loadUnbilledOrderValue(trx, order);
    const check = checkCredit({ creditLimitMinor: customer.credit_limit_minor, ...parts, thisOrderMinor });
    if (!check.withinLimit) holds.push({ reason: 'credit_limit', facts: creditHoldFacts(check.facts, customer.currency) });
  }

  const fullyReserved = await reserveShortfall(trx, order);
  if (!fullyReserved && !active.has('stock_shortage')) {
    const lines = await loadOrderLines(trx, order.id);
    holds.push({
      reason: 'stock_shortage',
      facts: {
        lines: lines
          .filter((line) => new Dec(line.quantity_ordered).minus(line.quantity_shipped).minus(line.quantity_cancelled).gt(line.quantity_reserved))
          .map((line) => ({ line: line.line_number, sku: line.sku, requested: line.quantity_ordered, reserved: line.quantity_reserved })),
      },
    });
  }

  if (holds.length === 0) return;
  await placeHolds(trx, { companyId: ctx.companyId, orderId: order.id, actor: ctx.actor, at }, holds);
  if (order.status === 'confirmed') {
    const lines = await loadOrderLines(trx, order.id);
    await transitionOrder(trx, {
      companyId: ctx.companyId,
      orderId: order.id,
      from: 'confirmed',
      action: 'hold',
      snapshot: toSnapshot(lines, holds.length),
      actor: ctx.actor,
      at,
      reason: holds.map((hold) => hold.reason).join(', '),
    });
  }
}

