import { sql } from 'kysely';

import type { Tx } from '../../platform/command.js';

export interface ExposureParts {
  openReceivablesMinor: bigint;
  shippedNotInvoicedMinor: bigint;
  confirmedNotShippedMinor: bigint;
}

/**
 * Loads the parts of a customer's credit exposure, in the customer's currency,
 * tax included:
 *  - open receivables: open invoices − open credit notes − unapplied payments;
 *  - shipped not invoiced: (shipped − invoiced) quantities at the line's price;
 *  - confirmed not shipped: open quantities of confirmed orders.
 * `excludeOrderId` leaves out the order being checked, whose full value the
 * caller adds as "this order".
 */
export async function loadExposureParts(
  trx: Tx,
  customerId: string,
  excludeOrderId: string | null,
): Promise<ExposureParts> {
  const receivables = await sql<{ open_minor: string }>`
    SELECT (
      COALESCE((SELECT SUM(CASE WHEN kind = 'invoice' THEN open_minor ELSE -open_minor END)
                FROM invoice WHERE customer_id = ${customerId} AND open_minor > 0), 0)
      - COALESCE((SELECT SUM(unapplied_minor) FROM payment
                  WHERE customer_id = ${customerId} AND unapplied_minor > 0), 0)
    )::text AS open_minor
  `.execute(trx);

  // Value per unit = line amount ÷ effective quantity (ordered − cancelled);
  // tax is added for tax-exclusive prices. Rounded once per customer total.
  const orders = await sql<{ shipped_not_invoiced: string; confirmed_not_shipped: string }>`
    WITH line_value AS (
      SELECT l.quantity_shipped - l.quantity_invoiced AS uninvoiced,
             CASE WHEN o.status = 'confirmed'
                  THEN l.quantity_ordered - l.quantity_cancelled - l.quantity_shipped ELSE 0 END AS unshipped,
             l.line_amount_minor / NULLIF(l.quantity_ordered - l.quantity_cancelled, 0)
               * CASE WHEN o.prices_include_tax THEN 1 ELSE 1 + l.tax_rate_percent / 100 END AS unit_value
      FROM sales_order o
      JOIN sales_order_line l ON l.order_id = o.id
      WHERE o.customer_id = ${customerId}
        AND o.status IN ('confirmed', 'on_hold', 'closed')
        AND (${excludeOrderId}::uuid IS NULL OR o.id <> ${excludeOrderId}::uuid)
        AND (l.quantity_shipped > l.quantity_invoiced
             OR (o.status = 'confirmed' AND l.quantity_ordered - l.quantity_cancelled > l.quantity_shipped))
    )
    SELECT ROUND(COALESCE(SUM(uninvoiced * unit_value), 0))::text AS shipped_not_invoiced,
           ROUND(COALESCE(SUM(unshipped * unit_value), 0))::text AS confirmed_not_shipped
    FROM line_value
  `.execute(trx);

  const orderRow = orders.rows[0];
  return {
    openReceivablesMinor: BigInt(receivables.rows[0]?.open_minor ?? '0'),
    shippedNotInvoicedMinor: BigInt(orderRow?.shipped_not_invoiced ?? '0'),
    confirmedNotShippedMinor: BigInt(orderRow?.confirmed_not_shipped ?? '0'),
  };
}

/**
 * Value of an order that is not yet in the receivables: its gross less the
 * gross of the invoices issued for it. A credit check adds this as "this
 * order", because the invoiced part of a partly shipped or reopened order is
 * already in the open receivables and must not count twice.
 */
export async function loadUnbilledOrderValue(trx: Tx, order: { id: string; gross_minor: bigint }): Promise<bigint> {
  const invoiced = await sql<{ billed_minor: string }>`
    SELECT COALESCE(SUM(gross_minor), 0)::text AS billed_minor FROM invoice WHERE order_id = ${order.id} AND kind = 'invoice'
  `.execute(trx);
  const unbilled = order.gross_minor - BigInt(invoiced.rows[0]?.billed_minor ?? '0');
  return unbilled > 0n ? unbilled : 0n;
}
