import { sql, type Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import type { DB } from '../../platform/schema.js';
import type { ShipmentView } from './get-shipment.js';

export interface ShipmentListFilter {
  status?: ShipmentView['status'] | null;
  warehouseCode?: string | null;
  limit: number;
  /** Id of the last shipment of the previous page; the list continues after it. */
  after?: string | null;
}

/** One shipment of the warehouse's queue, with the lines to pick. */
export interface ShipmentSummary {
  id: string;
  shipmentNumber: string;
  orderId: string;
  orderNumber: string;
  customerCode: string;
  warehouseCode: string;
  status: ShipmentView['status'];
  carrier: string | null;
  trackingNumber: string | null;
  plannedAt: string;
  shippedAt: string | null;
  lines: { lineNumber: number; sku: string; description: string; quantity: string; unitCode: string }[];
}

export interface ShipmentPage {
  items: ShipmentSummary[];
  /** The `after` value of the next page; null on the last page. */
  nextAfter: string | null;
}

/** Lists shipments oldest planned first, keyset-paginated on (planned_at, id). */
export async function listShipments(db: Kysely<DB>, companyId: string, filter: ShipmentListFilter): Promise<ShipmentPage> {
  let query = db
    .selectFrom('shipment as s')
    .innerJoin('sales_order as o', 'o.id', 's.order_id')
    .innerJoin('customer as c', 'c.id', 'o.customer_id')
    .innerJoin('warehouse as w', 'w.id', 's.warehouse_id')
    .select([
      's.id',
      's.shipment_number',
      's.order_id',
      'o.order_number',
      'c.code as customer_code',
      'w.code as warehouse_code',
      's.status',
      's.carrier',
      's.tracking_number',
      's.planned_at',
      's.shipped_at',
    ])
    .where('s.company_id', '=', companyId);

  if (filter.status) query = query.where('s.status', '=', filter.status);
  if (filter.warehouseCode) query = query.where('w.code', '=', filter.warehouseCode);
  if (filter.after) {
    query = query.where(
      sql<boolean>`(s.planned_at, s.id) > (SELECT planned_at, id FROM shipment WHERE id = ${filter.after} AND company_id = ${companyId})`,
    );
  }

  const rows = await query.orderBy('s.planned_at').orderBy('s.id').limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);
  const lines = await loadLines(db, page.map((row) => row.id));

  return {
    items: page.map((row) => ({
      id: row.id,
      shipmentNumber: row.shipment_number,
      orderId: row.order_id,
      orderNumber: row.order_number,
      customerCode: row.customer_code,
      warehouseCode: row.warehouse_code,
      status: row.status,
      carrier: row.carrier,
      trackingNumber: row.tracking_number,
      plannedAt: row.planned_at.toISOString(),
      shippedAt: row.shipped_at ? row.shipped_at.toISOString() : null,
      lines: lines.get(row.id) ?? [],
    })),
    nextAfter: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

async function loadLines(db: Kysely<DB>, shipmentIds: readonly string[]): Promise<Map<string, ShipmentSummary['lines']>> {
  const byShipment = new Map<string, ShipmentSummary['lines']>();
  if (shipmentIds.length === 0) return byShipment;

  const rows = await db
    .selectFrom('shipment_line')
    .innerJoin('sales_order_line', 'sales_order_line.id', 'shipment_line.order_line_id')
    .select([
      'shipment_line.shipment_id',
      'sales_order_line.line_number',
      'sales_order_line.sku',
      'sales_order_line.description',
      'sales_order_line.unit_code',
      'shipment_line.quantity',
    ])
    .where('shipment_line.shipment_id', 'in', shipmentIds)
    .orderBy('shipment_line.shipment_id')
    .orderBy('sales_order_line.line_number')
    .execute();
  for (const row of rows) {
    const line = {
      lineNumber: row.line_number,
      sku: row.sku,
      description: row.description,
      quantity: new Dec(row.quantity).toString(),
      unitCode: row.unit_code,
    };
    byShipment.set(row.shipment_id, [...(byShipment.get(row.shipment_id) ?? []), line]);
  }
  return byShipment;
}
