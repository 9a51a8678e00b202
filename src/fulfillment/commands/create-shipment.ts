import { sql } from 'kysely';
import { z } from 'zod';

import { Dec } from '../../money/index.js';
import { lockOrder } from '../../orders/store/order-store.js';
import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { hasDistinctLineNumbers, positiveQuantity } from '../../shared/field-schemas.js';
import { getShipment, type ShipmentView } from '../queries/get-shipment.js';

const createShipmentSchema = z.object({
  orderId: z.string().min(1),
  /** Lines and quantities to ship; all reserved, not yet planned quantities when omitted. */
  lines: z
    .array(z.object({ lineNumber: z.number().int().positive(), quantity: positiveQuantity }))
    .min(1)
    .refine(hasDistinctLineNumbers, 'must name each line once; add the quantities of a line together')
    .nullish(),
  carrier: z.string().max(100).nullish(),
  idempotencyKey: z.string().max(200).nullish(),
});

export type CreateShipmentInput = z.input<typeof createShipmentSchema>;

interface Plannable {
  orderLineId: string;
  lineNumber: number;
  sku: string;
  productId: string;
  warehouseId: string;
  warehouseCode: string;
  free: Dec;
}

/**
 * Plans shipments for reserved quantities of a confirmed order: one shipment
 * per warehouse the stock is reserved in. Nothing moves until the shipment is
 * confirmed; what is not shipped stays open on the order as a backorder.
 */
export async function createShipment(ctx: CommandContext, input: CreateShipmentInput): Promise<Result<ShipmentView[]>> {
  const validated = validateInput(createShipmentSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  return runCommand(ctx, 'create-shipment', async (trx) => {
    const at = ctx.clock.now();
    const order = await lockOrder(trx, ctx.companyId, request.orderId);
    // Looked up under the order lock, so a retry that raced the first request
    // waits for it and then returns its shipments instead of planning again.
    if (request.idempotencyKey) {
      const earlier = await trx
        .selectFrom('shipment')
        .select('id')
        .where('company_id', '=', ctx.companyId)
        .where(sql<boolean>`idempotency_key LIKE ${request.idempotencyKey + '#%'}`)
        .execute();
      if (earlier.length > 0) return Promise.all(earlier.map((row) => getShipment(trx, ctx.companyId, row.id)));
    }

    if (order.status !== 'confirmed') {
      rejectAndRollBack('order_not_confirmed', `Sales order ${order.order_number} is ${order.status}; only confirmed orders can ship.`, {
        orderNumber: order.order_number,
        status: order.status,
      });
    }

    const plannable = await loadPlannable(trx, order.id);
    const orderLines = await trx.selectFrom('sales_order_line').select('line_number').where('order_id', '=', order.id).execute();
    const lineNumbers = new Set(orderLines.map((line) => line.line_number));
    const picks = pickQuantities(order.order_number, lineNumbers, plannable, request.lines ?? null);
    if (picks.length === 0) {
      rejectAndRollBack('nothing_to_ship', `Sales order ${order.order_number} has no reserved quantity left to ship.`, {
        orderNumber: order.order_number,
      });
    }

    const byWarehouse = new Map<string, typeof picks>();
    for (const pick of picks) byWarehouse.set(pick.warehouseId, [...(byWarehouse.get(pick.warehouseId) ?? []), pick]);

    const shipmentIds: string[] = [];
    let index = 0;
    for (const [warehouseId, warehousePicks] of byWarehouse) {
      index += 1;
      const shipment = await trx
        .insertInto('shipment')
        .values({
          company_id: ctx.companyId,
          shipment_number: sql<string>`'SH-' || lpad(nextval('shipment_number_seq')::text, 7, '0')`,
          order_id: order.id,
          warehouse_id: warehouseId,
          status: 'planned',
          carrier: request.carrier ?? null,
          planned_at: at,
          idempotency_key: request.idempotencyKey ? `${request.idempotencyKey}#${index}` : null,
        })
        .returning(['id', 'shipment_number'])
        .executeTakeFirstOrThrow();

      await trx
        .insertInto('shipment_line')
        .values(
          warehousePicks.map((pick) => ({
            company_id: ctx.companyId,
            shipment_id: shipment.id,
            order_line_id: pick.orderLineId,
            product_id: pick.productId,
            quantity: pick.quantity.toString(),
          })),
        )
        .execute();

      await appendHistory(trx, {
        companyId: ctx.companyId,
        entityType: 'shipment',
        entityId: shipment.id,
        orderId: order.id,
        event: 'planned',
        toStatus: 'planned',
        actor: ctx.actor,
        details: {
          shipmentNumber: shipment.shipment_number,
          warehouse: warehousePicks[0]!.warehouseCode,
          lines: warehousePicks.map((pick) => ({ lineNumber: pick.lineNumber, sku: pick.sku, quantity: pick.quantity.toString() })),
        },
        occurredAt: at,
      });
      shipmentIds.push(shipment.id);
    }

    return Promise.all(shipmentIds.map((id) => getShipment(trx, ctx.companyId, id)));
  });
}

/**
 * Reserved quantity per line and warehouse that no planned shipment has
 * taken yet. Lines of services and charges (not stocked) have no reservation;
 * their open quantity rides along with the goods, from the first warehouse.
 */
async function loadPlannable(trx: Tx, orderId: string): Promise<Plannable[]> {
  const rows = await sql<{
    order_line_id: string;
    line_number: number;
    sku: string;
    product_id: string;
    warehouse_id: string | null;
    warehouse_code: string | null;
    free: string;
  }>`
    SELECT r.order_line_id, l.line_number, l.sku, l.product_id, r.warehouse_id, w.code AS warehouse_code,
           (r.quantity - COALESCE((
              SELECT SUM(sl.quantity) FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id
              WHERE s.status = 'planned' AND sl.order_line_id = r.order_line_id AND s.warehouse_id = r.warehouse_id), 0))::text AS free
    FROM reservation r
    JOIN sales_order_line l ON l.id = r.order_line_id
    JOIN warehouse w ON w.id = r.warehouse_id
    WHERE l.order_id = ${orderId} AND r.quantity > 0
    UNION ALL
    SELECT l.id, l.line_number, l.sku, l.product_id, NULL, NULL,
           (l.quantity_ordered - l.quantity_shipped - l.quantity_cancelled - COALESCE((
              SELECT SUM(sl.quantity) FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id
              WHERE s.status = 'planned' AND sl.order_line_id = l.id), 0))::text
    FROM sales_order_line l JOIN product p ON p.id = l.product_id
    WHERE l.order_id = ${orderId} AND NOT p.stocked
    ORDER BY 2, 6
  `.execute(trx);

  const firstStocked = rows.rows.find((row) => row.warehouse_id !== null && row.warehouse_code !== null);
  const fallback = firstStocked
    ? { warehouse_id: firstStocked.warehouse_id!, warehouse_code: firstStocked.warehouse_code! }
    : await defaultWarehouse(trx, orderId);

  return rows.rows
    .map((row) => ({
      orderLineId: row.order_line_id,
      lineNumber: row.line_number,
      sku: row.sku,
      productId: row.product_id,
      warehouseId: row.warehouse_id ?? fallback.warehouse_id,
      warehouseCode: row.warehouse_code ?? fallback.warehouse_code,
      free: new Dec(row.free),
    }))
    .filter((row) => row.free.gt(0));
}

async function defaultWarehouse(trx: Tx, orderId: string): Promise<{ warehouse_id: string; warehouse_code: string }> {
  const warehouse = await trx
    .selectFrom('warehouse')
    .innerJoin('sales_order', 'sales_order.company_id', 'warehouse.company_id')
    .select(['warehouse.id as warehouse_id', 'warehouse.code as warehouse_code'])
    .where('sales_order.id', '=', orderId)
    .orderBy('warehouse.priority')
    .orderBy('warehouse.code')
    .executeTakeFirst();
  if (!warehouse) {
    rejectAndRollBack('warehouse_not_found', 'The company has no warehouse to ship from; create one first.', { orderId });
  }
  return warehouse;
}

function pickQuantities(
  orderNumber: string,
  lineNumbers: ReadonlySet<number>,
  plannable: readonly Plannable[],
  requested: readonly { lineNumber: number; quantity: string }[] | null,
): (Plannable & { quantity: Dec })[] {
  if (requested === null) return plannable.map((row) => ({ ...row, quantity: row.free }));

  const picks: (Plannable & { quantity: Dec })[] = [];
  for (const [index, want] of requested.entries()) {
    let remaining = new Dec(want.quantity);
    const candidates = plannable.filter((row) => row.lineNumber === want.lineNumber);
    if (!lineNumbers.has(want.lineNumber)) {
      rejectAndRollBack('order_line_not_found', `Sales order ${orderNumber} has no line ${want.lineNumber}.`, { orderNumber, lineNumber: want.lineNumber }, `/lines/${index}/lineNumber`);
    }
    const free = candidates.reduce((sum, row) => sum.plus(row.free), new Dec(0));
    if (remaining.lte(0) || remaining.gt(free)) {
      rejectAndRollBack(
        'insufficient_stock',
        `Line ${want.lineNumber} of ${orderNumber} has ${free.toString()} reserved and unplanned; cannot ship ${want.quantity}.`,
        { orderNumber, lineNumber: want.lineNumber, requested: want.quantity, reservedUnplanned: free.toString() },
        `/lines/${index}/quantity`,
      );
    }
    for (const row of candidates) {
      if (remaining.lte(0)) break;
      const take = Dec.min(remaining, row.free);
      picks.push({ ...row, quantity: take });
      remaining = remaining.minus(take);
    }
  }
  return picks;
}
