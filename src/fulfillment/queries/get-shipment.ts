import type { Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

export interface ShipmentView {
  id: string;
  shipmentNumber: string;
  orderId: string;
  orderNumber: string;
  warehouseCode: string;
  status: 'planned' | 'confirmed' | 'cancelled';
  carrier: string | null;
  trackingNumber: string | null;
  plannedAt: string;
  shippedAt: string | null;
  invoiceNumber: string | null;
  lines: { lineNumber: number; sku: string; quantity: string; unitCode: string }[];
}

export async function getShipment(db: Kysely<DB>, companyId: string, shipmentId: string): Promise<ShipmentView> {
  const shipment = await db
    .selectFrom('shipment')
    .innerJoin('sales_order', 'sales_order.id', 'shipment.order_id')
    .innerJoin('warehouse', 'warehouse.id', 'shipment.warehouse_id')
    .leftJoin('invoice', (join) => join.onRef('invoice.shipment_id', '=', 'shipment.id').on('invoice.kind', '=', 'invoice'))
    .selectAll('shipment')
    .select(['sales_order.order_number', 'warehouse.code as warehouse_code', 'invoice.invoice_number'])
    .where('shipment.company_id', '=', companyId)
    .where('shipment.id', '=', shipmentId)
    .executeTakeFirst();
  if (!shipment) {
    rejectAndRollBack('shipment_not_found', `Shipment ${shipmentId} was not found.`, { shipmentId });
  }

  const lines = await db
    .selectFrom('shipment_line')
    .innerJoin('sales_order_line', 'sales_order_line.id', 'shipment_line.order_line_id')
    .select(['sales_order_line.line_number', 'sales_order_line.sku', 'sales_order_line.unit_code', 'shipment_line.quantity'])
    .where('shipment_line.shipment_id', '=', shipmentId)
    .orderBy('sales_order_line.line_number')
    .execute();

  return {
    id: shipment.id,
    shipmentNumber: shipment.shipment_number,
    orderId: shipment.order_id,
    orderNumber: shipment.order_number,
    warehouseCode: shipment.warehouse_code,
    status: shipment.status,
    carrier: shipment.carrier,
    trackingNumber: shipment.tracking_number,
    plannedAt: shipment.planned_at.toISOString(),
    shippedAt: shipment.shipped_at ? shipment.shipped_at.toISOString() : null,
    invoiceNumber: shipment.invoice_number ?? null,
    lines: lines.map((line) => ({
      lineNumber: line.line_number,
      sku: line.sku,
      unitCode: line.unit_code,
      quantity: new Dec(line.quantity).toString(),
    })),
  };
}
