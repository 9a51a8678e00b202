import { sql } from 'kysely';

import { Dec } from '../../money/index.js';
import type { Tx } from '../../platform/command.js';

export interface WarehouseQuantity {
  warehouseId: string;
  quantity: Dec;
}

export interface ReservationOutcome {
  reserved: Dec;
  byWarehouse: WarehouseQuantity[];
}

/**
 * Reserves up to `quantity` of a product for one order line, across
 * warehouses in priority order, in one statement.
 *
 * The stock rows are locked in priority order (FOR UPDATE), the amount taken
 * from each is computed from the locked, current row, and the CHECK
 * reserved <= on_hand backs it up. Two transactions can therefore never
 * promise the same unit, whatever the concurrency.
 *
 * Rows without free stock are locked too: a receipt for the product then
 * waits until this order commits, and its backorder pass finds this order.
 * NOTE: a product with no stock row at all (never received) has nothing to
 * lock, so a first receipt racing with an order can leave that order on hold.
 */
export async function reserveStock(
  trx: Tx,
  request: { companyId: string; orderLineId: string; productId: string; quantity: Dec },
): Promise<ReservationOutcome> {
  if (request.quantity.lte(0)) return { reserved: new Dec(0), byWarehouse: [] };

  // One statement: lock and plan, take the stock, record the reservations and
  // count them on the order line. PostgreSQL runs every data-modifying WITH
  // part to completion, whether or not the final SELECT reads it.
  const taken = await sql<{ warehouse_id: string; take: string }>`
    WITH free_stock AS (
      SELECT s.warehouse_id, s.on_hand - s.reserved AS free, w.priority, w.code
      FROM stock_level s
      JOIN warehouse w ON w.id = s.warehouse_id
      WHERE s.product_id = ${request.productId}
        AND s.company_id = ${request.companyId}
      ORDER BY w.priority, w.code
      FOR UPDATE OF s
    ),
    plan AS (
      SELECT warehouse_id,
             LEAST(GREATEST(free, 0), GREATEST(${request.quantity.toString()}::numeric
               - COALESCE(SUM(GREATEST(free, 0)) OVER (ORDER BY priority, code ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) AS take
      FROM free_stock
    ),
    taken AS (
      UPDATE stock_level s
      SET reserved = s.reserved + plan.take
      FROM plan
      WHERE s.product_id = ${request.productId}
        AND s.warehouse_id = plan.warehouse_id
        AND plan.take > 0
      RETURNING plan.warehouse_id, plan.take
    ),
    recorded AS (
      INSERT INTO reservation (company_id, order_line_id, product_id, warehouse_id, quantity)
      SELECT ${request.companyId}::uuid, ${request.orderLineId}::uuid, ${request.productId}::uuid, warehouse_id, take FROM taken
      ON CONFLICT (order_line_id, warehouse_id) DO UPDATE SET quantity = reservation.quantity + excluded.quantity
    ),
    counted AS (
      UPDATE sales_order_line
      SET quantity_reserved = quantity_reserved + (SELECT SUM(take) FROM taken)
      WHERE id = ${request.orderLineId}::uuid AND EXISTS (SELECT 1 FROM taken)
    )
    SELECT warehouse_id, take::text AS take FROM taken
  `.execute(trx);

  const byWarehouse = taken.rows.map((row) => ({ warehouseId: row.warehouse_id, quantity: new Dec(row.take) }));
  const reserved = byWarehouse.reduce((sum, part) => sum.plus(part.quantity), new Dec(0));
  return { reserved, byWarehouse };
}

/**
 * Releases up to `quantity` (all when omitted) of an order line's
 * reservations, lowest-priority warehouse first, and returns how much was
 * released.
 */
export async function releaseReservations(
  trx: Tx,
  request: { orderLineId: string; quantity?: Dec },
): Promise<Dec> {
  const reservations = await trx
    .selectFrom('reservation')
    .innerJoin('warehouse', 'warehouse.id', 'reservation.warehouse_id')
    .select(['reservation.id', 'reservation.product_id', 'reservation.warehouse_id', 'reservation.quantity'])
    .where('reservation.order_line_id', '=', request.orderLineId)
    .where('reservation.quantity', '>', '0')
    .orderBy('warehouse.priority', 'desc')
    .orderBy('warehouse.code', 'desc')
    .forUpdate()
    .execute();

  let remaining = request.quantity ?? reservations.reduce((sum, row) => sum.plus(row.quantity), new Dec(0));
  let released = new Dec(0);

  for (const row of reservations) {
    if (remaining.lte(0)) break;
    const part = Dec.min(remaining, new Dec(row.quantity));

    await trx
      .updateTable('reservation')
      .set({ quantity: sql`quantity - ${part.toString()}::numeric` })
      .where('id', '=', row.id)
      .execute();
    await trx
      .updateTable('stock_level')
      .set({ reserved: sql`reserved - ${part.toString()}::numeric` })
      .where('product_id', '=', row.product_id)
      .where('warehouse_id', '=', row.warehouse_id)
      .execute();

    released = released.plus(part);
    remaining = remaining.minus(part);
  }

  if (released.gt(0)) {
    await trx
      .updateTable('sales_order_line')
      .set({ quantity_reserved: sql`quantity_reserved - ${released.toString()}::numeric` })
      .where('id', '=', request.orderLineId)
      .execute();
  }
  return released;
}

/** Free stock (on hand − reserved) of a product over all warehouses. */
export async function availableQuantity(trx: Tx, productId: string): Promise<Dec> {
  const row = await trx
    .selectFrom('stock_level')
    .select(sql<string>`COALESCE(SUM(on_hand - reserved), 0)::text`.as('available'))
    .where('product_id', '=', productId)
    .executeTakeFirstOrThrow();
  return new Dec(row.available);
}
