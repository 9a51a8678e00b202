import { sql } from 'kysely';

import { Dec } from '../../money/index.js';
import { insertInvoiceDocument } from '../../invoicing/store/insert-invoice.js';
import { loadOrderLines, lockOrder, isUuid, toSnapshot } from '../../orders/store/order-store.js';
import { openQuantity } from '../../orders/rules/line-progress.js';
import { transitionOrder } from '../../orders/transition-order.js';
import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { toCalendarDate } from '../../shared/calendar-date.js';
import { getShipment, type ShipmentView } from '../queries/get-shipment.js';

export interface ConfirmShipmentRequest {
  shipmentId: string;
  trackingNumber?: string | null;
}

export interface ConfirmShipmentOutcome {
  /** False when the shipment was already confirmed; nothing moved twice. */
  confirmed: boolean;
  shipment: ShipmentView;
}

/**
 * Confirms a planned shipment: the goods issue. On hand and reserved stock
 * go down, the order lines count the shipped quantity, and the invoice for
 * exactly these quantities is issued in the same transaction. An order with
 * nothing left open closes.
 */
export async function confirmShipment(ctx: CommandContext, request: ConfirmShipmentRequest): Promise<Result<ConfirmShipmentOutcome>> {
  return runCommand(ctx, 'confirm-shipment', async (trx) => {
    const at = ctx.clock.now();
    const shipment = await trx
      .selectFrom('shipment')
      .selectAll()
      .where('company_id', '=', ctx.companyId)
      .where(isUuid(request.shipmentId) ? 'id' : 'shipment_number', '=', request.shipmentId)
      .executeTakeFirst();
    if (!shipment) {
      rejectAndRollBack('shipment_not_found', `Shipment ${request.shipmentId} was not found.`, { shipmentId: request.shipmentId });
    }

    // Lock the order first, then the shipment, the same order every command uses.
    const order = await lockOrder(trx, ctx.companyId, shipment.order_id);
    const locked = await trx.selectFrom('shipment').select('status').where('id', '=', shipment.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.status === 'confirmed') {
      return { confirmed: false, shipment: await getShipment(trx, ctx.companyId, shipment.id) };
    }
    if (locked.status !== 'planned') {
      rejectAndRollBack('shipment_not_planned', `Shipment ${shipment.shipment_number} is ${locked.status}; only planned shipments can be confirmed.`, {
        shipmentNumber: shipment.shipment_number,
        status: locked.status,
      });
    }
    if (order.status !== 'confirmed') {
      rejectAndRollBack('order_not_confirmed', `Sales order ${order.order_number} is ${order.status}; its shipments cannot leave.`, {
        orderNumber: order.order_number,
        status: order.status,
      });
    }

    const lines = await trx
      .selectFrom('shipment_line')
      .innerJoin('sales_order_line', 'sales_order_line.id', 'shipment_line.order_line_id')
      .innerJoin('product', 'product.id', 'sales_order_line.product_id')
      .select([
        'shipment_line.id as shipment_line_id',
        'shipment_line.quantity',
        'sales_order_line.id as order_line_id',
        'sales_order_line.line_number',
        'sales_order_line.product_id',
        'sales_order_line.sku',
        'sales_order_line.description',
        'sales_order_line.unit_code',
        'sales_order_line.unit_price',
        'sales_order_line.discount_percent',
        'sales_order_line.vat_category_code',
        'sales_order_line.tax_rate_percent',
        'product.stocked',
      ])
      .where('shipment_line.shipment_id', '=', shipment.id)
      .orderBy('sales_order_line.line_number')
      .execute();

    // Services and charges ship without a goods issue: they hold no stock.
    for (const line of lines.filter((candidate) => candidate.stocked)) {
      await issueGoods(trx, ctx, { ...line, warehouseId: shipment.warehouse_id, shipmentNumber: shipment.shipment_number, at });
    }

    await trx
      .updateTable('shipment')
      .set({ status: 'confirmed', shipped_at: at, tracking_number: request.trackingNumber ?? shipment.tracking_number })
      .where('id', '=', shipment.id)
      .execute();
    await appendHistory(trx, {
      companyId: ctx.companyId,
      entityType: 'shipment',
      entityId: shipment.id,
      orderId: order.id,
      event: 'shipped',
      fromStatus: 'planned',
      toStatus: 'confirmed',
      actor: ctx.actor,
      details: {
        shipmentNumber: shipment.shipment_number,
        lines: lines.map((line) => ({ lineNumber: line.line_number, sku: line.sku, quantity: new Dec(line.quantity).toString() })),
      },
      occurredAt: at,
    });

    await insertInvoiceDocument(trx, {
      companyId: ctx.companyId,
      kind: 'invoice',
      customerId: order.customer_id,
      orderId: order.id,
      shipmentId: shipment.id,
      correctedInvoiceId: null,
      reason: null,
      currency: order.currency,
      pricesIncludeTax: order.prices_include_tax,
      paymentTermsCode: order.payment_terms_code,
      issueDate: toCalendarDate(at),
      lines: lines.map((line) => ({
        orderLineId: line.order_line_id,
        shipmentLineId: line.shipment_line_id,
        correctedLineId: null,
        productId: line.product_id,
        sku: line.sku,
        description: line.description,
        unitCode: line.unit_code,
        quantity: new Dec(line.quantity),
        unitPrice: new Dec(line.unit_price),
        discountPercent: new Dec(line.discount_percent),
        vatCategoryCode: line.vat_category_code,
        ratePercent: new Dec(line.tax_rate_percent),
      })),
      actor: ctx.actor,
      at,
    });
    // The order line counts the quantity as shipped and invoiced at once, and
    // a stocked line no longer holds it in reserve.
    for (const line of lines) {
      const released = line.stocked ? line.quantity : '0';
      await trx
        .updateTable('sales_order_line')
        .set({
          quantity_reserved: sql`quantity_reserved - ${released}::numeric`,
          quantity_shipped: sql`quantity_shipped + ${line.quantity}::numeric`,
          quantity_invoiced: sql`quantity_invoiced + ${line.quantity}::numeric`,
        })
        .where('id', '=', line.order_line_id)
        .execute();
    }

    await closeWhenComplete(trx, ctx, order.id, at);
    return { confirmed: true, shipment: await getShipment(trx, ctx.companyId, shipment.id) };
  });
}

/**
 * Issues the goods of one shipment line. Each UPDATE is conditional, so
 * stock that is not reserved for this line never leaves. A miss is a bug in
 * planning and fails loudly.
 */
async function issueGoods(
  trx: Tx,
  ctx: CommandContext,
  line: { order_line_id: string; product_id: string; quantity: string; warehouseId: string; shipmentNumber: string; sku: string; at: Date },
): Promise<void> {
  const reservation = await sql`
    UPDATE reservation SET quantity = quantity - ${line.quantity}::numeric
    WHERE order_line_id = ${line.order_line_id} AND warehouse_id = ${line.warehouseId} AND quantity >= ${line.quantity}::numeric
  `.execute(trx);
  const stock = await sql`
    UPDATE stock_level
    SET on_hand = on_hand - ${line.quantity}::numeric, reserved = reserved - ${line.quantity}::numeric
    WHERE product_id = ${line.product_id} AND warehouse_id = ${line.warehouseId} AND reserved >= ${line.quantity}::numeric
  `.execute(trx);
  if (reservation.numAffectedRows !== 1n || stock.numAffectedRows !== 1n) {
    throw new Error(
      `Goods issue for ${line.shipmentNumber} found no reservation of ${line.quantity} ${line.sku} in warehouse ${line.warehouseId}; the shipment was planned beyond its reservation`,
    );
  }

  await trx
    .insertInto('stock_movement')
    .values({
      company_id: ctx.companyId,
      product_id: line.product_id,
      warehouse_id: line.warehouseId,
      kind: 'goods_issue',
      quantity: new Dec(line.quantity).neg().toString(),
      reference: line.shipmentNumber,
      reason: null,
      occurred_at: line.at,
      actor: ctx.actor,
      idempotency_key: null,
    })
    .execute();
}

async function closeWhenComplete(trx: Tx, ctx: CommandContext, orderId: string, at: Date): Promise<void> {
  const lines = await loadOrderLines(trx, orderId);
  const snapshot = toSnapshot(lines, 0);
  if (snapshot.lines.some((line) => openQuantity(line).gt(0))) return;

  await transitionOrder(trx, {
    companyId: ctx.companyId,
    orderId,
    from: 'confirmed',
    action: 'close',
    snapshot,
    actor: ctx.actor,
    at,
    reason: 'everything shipped and invoiced',
  });
}
