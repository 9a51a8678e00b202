import { sql, type Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import type { DB } from '../../platform/schema.js';

export interface OrderKpis {
  received: number;
  /** Orders that reached confirmed, at intake or after a release. */
  confirmed: number;
  /** Orders confirmed at intake with no hold: no person touched them. */
  touchless: number;
  touchlessRate: string | null;
  /** Orders ever put on hold, per hold reason (an order may count under several). */
  heldByReason: Record<string, number>;
  /** Orders still on hold now, per reason. */
  stillHeldByReason: Record<string, number>;
  cancelled: number;
  closed: number;
  /** Orders confirmed and not yet closed: open quantities still to ship or bill. */
  open: number;
  /** Business days from receipt to the last payment, for orders fully invoiced and paid. */
  orderToCashDays: { p50: string | null; p90: string | null; orders: number };
  /**
   * Shipped orders whose every shipment left on or before the requested
   * delivery date, or the promised ship date where no delivery date was requested.
   */
  onTimeShipmentRate: string | null;
}

/** Order KPIs of a company, computed from the history timeline and the order lines. */
export async function getOrderKpis(db: Kysely<DB>, companyId: string): Promise<OrderKpis> {
  const counts = await sql<{ received: string; confirmed: string; touchless: string; cancelled: string; closed: string; open: string }>`
    SELECT
      COUNT(*)::text AS received,
      COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM history h WHERE h.order_id = o.id AND h.entity_type = 'sales_order' AND h.to_status = 'confirmed'))::text AS confirmed,
      COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM history h WHERE h.order_id = o.id AND h.entity_type = 'sales_order'
                                     AND h.event = 'confirmed' AND h.from_status = 'draft'))::text AS touchless,
      COUNT(*) FILTER (WHERE o.status = 'cancelled')::text AS cancelled,
      COUNT(*) FILTER (WHERE o.status = 'closed')::text AS closed,
      COUNT(*) FILTER (WHERE o.status = 'confirmed')::text AS open
    FROM sales_order o WHERE o.company_id = ${companyId}
  `.execute(db);

  const held = await sql<{ reason: string; orders: string }>`
    SELECT reason, COUNT(DISTINCT order_id)::text AS orders FROM order_hold WHERE company_id = ${companyId} GROUP BY reason ORDER BY reason
  `.execute(db);
  const stillHeld = await sql<{ reason: string; orders: string }>`
    SELECT h.reason, COUNT(DISTINCT h.order_id)::text AS orders
    FROM order_hold h JOIN sales_order o ON o.id = h.order_id
    WHERE h.company_id = ${companyId} AND h.resolved_at IS NULL AND o.status = 'on_hold'
    GROUP BY h.reason ORDER BY h.reason
  `.execute(db);

  const cash = await sql<{ p50: string | null; p90: string | null; orders: string }>`
    WITH paid_orders AS (
      SELECT o.id, o.received_at, MAX(h.occurred_at) AS paid_at
      FROM sales_order o
      JOIN invoice i ON i.order_id = o.id AND i.kind = 'invoice'
      JOIN history h ON h.entity_id = i.id AND h.event = 'paid'
      WHERE o.company_id = ${companyId} AND o.status = 'closed'
        AND NOT EXISTS (SELECT 1 FROM invoice open_invoice WHERE open_invoice.order_id = o.id AND open_invoice.kind = 'invoice' AND open_invoice.open_minor > 0)
      GROUP BY o.id, o.received_at
    )
    SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY paid_at::date - received_at::date)::text AS p50,
           percentile_disc(0.9) WITHIN GROUP (ORDER BY paid_at::date - received_at::date)::text AS p90,
           COUNT(*)::text AS orders
    FROM paid_orders
  `.execute(db);

  const onTime = await sql<{ shipped_orders: string; on_time: string }>`
    WITH shipped AS (
      SELECT o.id,
             MAX(s.shipped_at::date) AS last_ship_date,
             COALESCE(o.requested_delivery_date,
                      (SELECT MAX(l.promised_ship_date) FROM sales_order_line l WHERE l.order_id = o.id)) AS due
      FROM sales_order o JOIN shipment s ON s.order_id = o.id AND s.status = 'confirmed'
      WHERE o.company_id = ${companyId}
      GROUP BY o.id
    )
    SELECT COUNT(*)::text AS shipped_orders, COUNT(*) FILTER (WHERE due IS NULL OR last_ship_date <= due)::text AS on_time FROM shipped
  `.execute(db);

  const row = counts.rows[0]!;
  const received = Number(row.received);
  const shippedOrders = Number(onTime.rows[0]?.shipped_orders ?? '0');
  const cashRow = cash.rows[0];

  return {
    received,
    confirmed: Number(row.confirmed),
    touchless: Number(row.touchless),
    touchlessRate: ratio(Number(row.touchless), received),
    heldByReason: Object.fromEntries(held.rows.map((entry) => [entry.reason, Number(entry.orders)])),
    stillHeldByReason: Object.fromEntries(stillHeld.rows.map((entry) => [entry.reason, Number(entry.orders)])),
    cancelled: Number(row.cancelled),
    closed: Number(row.closed),
    open: Number(row.open),
    orderToCashDays: {
      p50: cashRow?.p50 ?? null,
      p90: cashRow?.p90 ?? null,
      orders: Number(cashRow?.orders ?? '0'),
    },
    onTimeShipmentRate: ratio(Number(onTime.rows[0]?.on_time ?? '0'), shippedOrders),
  };
}

/** Formats a share as a decimal string with four places, or null when there is nothing to divide by. */
function ratio(part: number, whole: number): string | null {
  if (whole === 0) return null;
  return new Dec(part).dividedBy(whole).toDecimalPlaces(4).toString();
}
