import { isDeepStrictEqual } from 'node:util';

import type pg from 'pg';

import { insertOrderWithPlainSql, postOrder } from './intake-requests.js';
import type { BenchPurchaseOrder } from './purchase-orders.js';

/**
 * Submits the same purchase order (under two PO numbers) over HTTP and
 * through the plain-SQL intake, and throws unless both wrote the same rows:
 * the order's status, amounts and ship-to, every line with its price, tax,
 * reservation and promised date, the reservation rows, the order holds and
 * the history events. Ids, order numbers, PO numbers and times may differ.
 */
export async function checkParity(pool: pg.Pool, baseUrl: string, companyId: string, po: BenchPurchaseOrder): Promise<void> {
  const overHttp = await postOrder(baseUrl, { ...po, customerPoNumber: `${po.customerPoNumber}-HTTP` });
  if (!overHttp.ok || overHttp.orderId === undefined) {
    throw new Error(`Parity check: the HTTP order failed: ${overHttp.ok ? 'no order id' : overHttp.reason}`);
  }
  const withSql = await insertOrderWithPlainSql(pool, companyId, { ...po, customerPoNumber: `${po.customerPoNumber}-SQL` });
  if (!withSql.ok || withSql.orderId === undefined) {
    throw new Error(`Parity check: the plain-SQL order failed: ${withSql.ok ? 'no order id' : withSql.reason}`);
  }

  const expected = await readOrderRows(pool, overHttp.orderId);
  const actual = await readOrderRows(pool, withSql.orderId);
  const differences = Object.keys(expected).filter((part) => !isDeepStrictEqual(expected[part], actual[part]));
  if (differences.length > 0) {
    const details = differences.map(
      (part) => `${part}:\n  HTTP:      ${JSON.stringify(expected[part])}\n  plain SQL: ${JSON.stringify(actual[part])}`,
    );
    throw new Error(`Parity check failed: the plain-SQL intake wrote different rows than POST /orders.\n${details.join('\n')}`);
  }
}

async function readOrderRows(pool: pg.Pool, orderId: string): Promise<Record<string, unknown>> {
  const order = await pool.query(
    `SELECT customer_id, channel, status, currency, prices_include_tax, price_list_id, payment_terms_code, ship_to,
            requested_delivery_date, order_date, net_minor::text, tax_minor::text, gross_minor::text,
            confirmed_at IS NOT NULL AS confirmed, processing_ms IS NOT NULL AS timed
     FROM sales_order WHERE id = $1`,
    [orderId],
  );
  const lines = await pool.query(
    `SELECT line_number, product_id, sku, description, unit_code, quantity_ordered, quantity_reserved, quantity_shipped,
            unit_price, expected_unit_price, discount_percent, line_amount_minor::text, vat_category_code, tax_rate_percent,
            requested_date, promised_ship_date
     FROM sales_order_line WHERE order_id = $1 ORDER BY line_number`,
    [orderId],
  );
  const reservations = await pool.query(
    `SELECT l.line_number, r.product_id, r.warehouse_id, r.quantity
     FROM reservation r JOIN sales_order_line l ON l.id = r.order_line_id
     WHERE l.order_id = $1 ORDER BY l.line_number, r.warehouse_id`,
    [orderId],
  );
  const holds = await pool.query('SELECT reason, facts, resolved_at FROM order_hold WHERE order_id = $1 ORDER BY reason', [orderId]);
  // The PO number in the `received` row's details differs by design, so it is left out.
  const history = await pool.query(
    `SELECT entity_type, event, from_status, to_status, actor, reason, details - 'customerPoNumber' AS details
     FROM history WHERE order_id = $1 ORDER BY id`,
    [orderId],
  );

  return { order: order.rows, lines: lines.rows, reservations: reservations.rows, holds: holds.rows, history: history.rows };
}
