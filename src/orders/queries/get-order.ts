import type { Kysely } from 'kysely';

import { Dec, formatMinorUnits } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB, OrderStatus } from '../../platform/schema.js';
import { backorderQuantity, billingStatus, deliveryStatus, openQuantity } from '../rules/line-progress.js';

export interface OrderLineView {
  lineNumber: number;
  sku: string;
  description: string;
  unitCode: string;
  quantityOrdered: string;
  quantityReserved: string;
  quantityShipped: string;
  quantityInvoiced: string;
  quantityReturned: string;
  quantityCancelled: string;
  quantityOpen: string;
  quantityBackordered: string;
  unitPrice: string;
  expectedUnitPrice: string | null;
  discountPercent: string;
  lineAmount: string;
  vatCategoryCode: string;
  taxRatePercent: string;
  requestedDate: string | null;
  promisedShipDate: string | null;
  deliveryStatus: string;
  billingStatus: string;
}

export interface HoldView {
  id: string;
  reason: string;
  facts: unknown;
  placedAt: string;
}

/** A sales order as clerks and integrators see it; amounts are decimal strings. */
export interface OrderView {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  customerCode: string;
  customerPoNumber: string | null;
  channel: string;
  currency: string;
  pricesIncludeTax: boolean;
  orderDate: string;
  requestedDeliveryDate: string | null;
  receivedAt: string;
  confirmedAt: string | null;
  shipTo: unknown;
  paymentTermsCode: string;
  netAmount: string;
  taxAmount: string;
  grossAmount: string;
  holds: HoldView[];
  lines: OrderLineView[];
}

/** Reads one order with lines and active holds; works inside or outside a transaction. */
export async function getOrder(db: Kysely<DB>, companyId: string, orderId: string): Promise<OrderView> {
  const order = await db
    .selectFrom('sales_order')
    .innerJoin('customer', 'customer.id', 'sales_order.customer_id')
    .selectAll('sales_order')
    .select('customer.code as customer_code')
    .where('sales_order.company_id', '=', companyId)
    .where('sales_order.id', '=', orderId)
    .executeTakeFirst();
  if (!order) {
    rejectAndRollBack('order_not_found', `Sales order ${orderId} was not found.`, { orderId });
  }

  const lines = await db
    .selectFrom('sales_order_line')
    .innerJoin('product', 'product.id', 'sales_order_line.product_id')
    .selectAll('sales_order_line')
    .select('product.stocked')
    .where('sales_order_line.order_id', '=', orderId)
    .orderBy('sales_order_line.line_number')
    .execute();
  const holds = await db
    .selectFrom('order_hold')
    .select(['id', 'reason', 'facts', 'placed_at'])
    .where('order_id', '=', orderId)
    .where('resolved_at', 'is', null)
    .orderBy('placed_at')
    .execute();

  const currency = order.currency;
  return {
    id: order.id,
    orderNumber: order.order_number,
    status: order.status,
    customerCode: order.customer_code,
    customerPoNumber: order.customer_po_number,
    channel: order.channel,
    currency,
    pricesIncludeTax: order.prices_include_tax,
    orderDate: order.order_date,
    requestedDeliveryDate: order.requested_delivery_date,
    receivedAt: order.received_at.toISOString(),
    confirmedAt: order.confirmed_at ? order.confirmed_at.toISOString() : null,
    shipTo: order.ship_to,
    paymentTermsCode: order.payment_terms_code,
    netAmount: formatMinorUnits(order.net_minor, currency),
    taxAmount: formatMinorUnits(order.tax_minor, currency),
    grossAmount: formatMinorUnits(order.gross_minor, currency),
    holds: holds.map((hold) => ({ id: hold.id, reason: hold.reason, facts: hold.facts, placedAt: hold.placed_at.toISOString() })),
    lines: lines.map((line) => {
      const counters = {
        ordered: new Dec(line.quantity_ordered),
        reserved: new Dec(line.quantity_reserved),
        shipped: new Dec(line.quantity_shipped),
        invoiced: new Dec(line.quantity_invoiced),
        returned: new Dec(line.quantity_returned),
        cancelled: new Dec(line.quantity_cancelled),
      };
      return {
        lineNumber: line.line_number,
        sku: line.sku,
        description: line.description,
        unitCode: line.unit_code,
        quantityOrdered: counters.ordered.toString(),
        quantityReserved: counters.reserved.toString(),
        quantityShipped: counters.shipped.toString(),
        quantityInvoiced: counters.invoiced.toString(),
        quantityReturned: counters.returned.toString(),
        quantityCancelled: counters.cancelled.toString(),
        quantityOpen: openQuantity(counters).toString(),
        // Services and charges are never reserved, so they are never backordered.
        quantityBackordered: line.stocked ? backorderQuantity(counters).toString() : '0',
        unitPrice: new Dec(line.unit_price).toString(),
        expectedUnitPrice: line.expected_unit_price === null ? null : new Dec(line.expected_unit_price).toString(),
        discountPercent: new Dec(line.discount_percent).toString(),
        lineAmount: formatMinorUnits(line.line_amount_minor, currency),
        vatCategoryCode: line.vat_category_code,
        taxRatePercent: new Dec(line.tax_rate_percent).toString(),
        requestedDate: line.requested_date,
        promisedShipDate: line.promised_ship_date,
        deliveryStatus: deliveryStatus(counters),
        billingStatus: billingStatus(counters),
      };
    }),
  };
}
