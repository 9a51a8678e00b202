import { sql, type Kysely } from 'kysely';

import { formatMinorUnits } from '../../money/index.js';
import type { DB, OrderStatus } from '../../platform/schema.js';
import type { HoldView } from './get-order.js';

export interface OrderListFilter {
  status?: OrderStatus | null;
  /** Only orders with an active hold of this reason, such as `credit_limit`. */
  holdReason?: string | null;
  customerCode?: string | null;
  limit: number;
  /** Id of the last order of the previous page; the list continues after it. */
  after?: string | null;
}

/** One row of the order desk's and credit manager's work queue; amounts are decimal strings. */
export interface OrderSummary {
  id: string;
  orderNumber: string;
  status: OrderStatus;
  customerCode: string;
  customerName: string;
  customerPoNumber: string | null;
  channel: string;
  currency: string;
  orderDate: string;
  requestedDeliveryDate: string | null;
  receivedAt: string;
  confirmedAt: string | null;
  lineCount: number;
  netAmount: string;
  taxAmount: string;
  grossAmount: string;
  /** Active holds with their facts, oldest first. */
  holds: HoldView[];
}

export interface OrderPage {
  items: OrderSummary[];
  /** The `after` value of the next page; null on the last page. */
  nextAfter: string | null;
}

/**
 * Lists sales orders oldest received first, so a work queue is worked from
 * the front. Pages are keyset-paginated on (received_at, id), so orders that
 * arrive while a clerk pages through do not shift the pages.
 */
export async function listOrders(db: Kysely<DB>, companyId: string, filter: OrderListFilter): Promise<OrderPage> {
  let query = db
    .selectFrom('sales_order as o')
    .innerJoin('customer as c', 'c.id', 'o.customer_id')
    .select([
      'o.id',
      'o.order_number',
      'o.status',
      'c.code as customer_code',
      'c.name as customer_name',
      'o.customer_po_number',
      'o.channel',
      'o.currency',
      'o.order_date',
      'o.requested_delivery_date',
      'o.received_at',
      'o.confirmed_at',
      'o.net_minor',
      'o.tax_minor',
      'o.gross_minor',
      sql<number>`(SELECT COUNT(*)::int FROM sales_order_line l WHERE l.order_id = o.id)`.as('line_count'),
    ])
    .where('o.company_id', '=', companyId);

  if (filter.status) query = query.where('o.status', '=', filter.status);
  if (filter.customerCode) query = query.where('c.code', '=', filter.customerCode);
  if (filter.holdReason) {
    const reason = filter.holdReason;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('order_hold as h')
          .select('h.id')
          .whereRef('h.order_id', '=', 'o.id')
          .where('h.resolved_at', 'is', null)
          .where('h.reason', '=', reason),
      ),
    );
  }
  if (filter.after) {
    query = query.where(
      sql<boolean>`(o.received_at, o.id) > (SELECT received_at, id FROM sales_order WHERE id = ${filter.after} AND company_id = ${companyId})`,
    );
  }

  const rows = await query.orderBy('o.received_at').orderBy('o.id').limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);
  const holds = await loadActiveHolds(db, page.map((row) => row.id));

  return {
    items: page.map((row) => ({
      id: row.id,
      orderNumber: row.order_number,
      status: row.status,
      customerCode: row.customer_code,
      customerName: row.customer_name,
      customerPoNumber: row.customer_po_number,
      channel: row.channel,
      currency: row.currency,
      orderDate: row.order_date,
      requestedDeliveryDate: row.requested_delivery_date,
      receivedAt: row.received_at.toISOString(),
      confirmedAt: row.confirmed_at ? row.confirmed_at.toISOString() : null,
      lineCount: row.line_count,
      netAmount: formatMinorUnits(row.net_minor, row.currency),
      taxAmount: formatMinorUnits(row.tax_minor, row.currency),
      grossAmount: formatMinorUnits(row.gross_minor, row.currency),
      holds: holds.get(row.id) ?? [],
    })),
    nextAfter: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

async function loadActiveHolds(db: Kysely<DB>, orderIds: readonly string[]): Promise<Map<string, HoldView[]>> {
  const byOrder = new Map<string, HoldView[]>();
  if (orderIds.length === 0) return byOrder;

  const rows = await db
    .selectFrom('order_hold')
    .select(['id', 'order_id', 'reason', 'facts', 'placed_at'])
    .where('order_id', 'in', orderIds)
    .where('resolved_at', 'is', null)
    .orderBy('placed_at')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const hold = { id: row.id, reason: row.reason, facts: row.facts, placedAt: row.placed_at.toISOString() };
    byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), hold]);
  }
  return byOrder;
}
