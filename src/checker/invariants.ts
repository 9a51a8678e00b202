import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { DB } from '../platform/schema.js';

/** One invariant: a query that returns one row per violation, described in words. */
interface Invariant {
  name: string;
  description: string;
  query: RawBuilder<Record<string, unknown>>;
}

export interface Violation {
  invariant: string;
  description: string;
  row: Record<string, unknown>;
}

const INVARIANTS: Invariant[] = [
  {
    name: 'stock_reserved_in_range',
    description: 'no stock level has reserved < 0 or reserved > on hand',
    query: sql`SELECT product_id, warehouse_id, on_hand, reserved FROM stock_level WHERE reserved < 0 OR reserved > on_hand OR on_hand < 0`,
  },
  {
    name: 'stock_reserved_matches_reservations',
    description: 'reserved stock equals the sum of open reservations',
    query: sql`
      SELECT s.product_id, s.warehouse_id, s.reserved, COALESCE(r.total, 0) AS reservations
      FROM stock_level s
      LEFT JOIN (SELECT product_id, warehouse_id, SUM(quantity) AS total FROM reservation GROUP BY 1, 2) r
        ON r.product_id = s.product_id AND r.warehouse_id = s.warehouse_id
      WHERE s.reserved <> COALESCE(r.total, 0)`,
  },
  {
    name: 'stock_on_hand_matches_movements',
    description: 'on-hand stock equals the sum of stock movements',
    query: sql`
      SELECT s.product_id, s.warehouse_id, s.on_hand, COALESCE(m.total, 0) AS movements
      FROM stock_level s
      LEFT JOIN (SELECT product_id, warehouse_id, SUM(quantity) AS total FROM stock_movement GROUP BY 1, 2) m
        ON m.product_id = s.product_id AND m.warehouse_id = s.warehouse_id
      WHERE s.on_hand <> COALESCE(m.total, 0)`,
  },
  {
    name: 'line_reserved_matches_reservations',
    description: "each order line's reserved quantity equals its reservations",
    query: sql`
      SELECT l.id AS order_line_id, l.quantity_reserved, COALESCE(SUM(r.quantity), 0) AS reservations
      FROM sales_order_line l LEFT JOIN reservation r ON r.order_line_id = l.id
      GROUP BY l.id HAVING l.quantity_reserved <> COALESCE(SUM(r.quantity), 0)`,
  },
  {
    name: 'closed_orders_hold_no_stock',
    description: 'cancelled and closed orders keep no reservation',
    query: sql`
      SELECT o.order_number, l.line_number, l.quantity_reserved
      FROM sales_order o JOIN sales_order_line l ON l.order_id = o.id
      WHERE o.status IN ('cancelled', 'closed') AND l.quantity_reserved <> 0`,
  },
  {
    name: 'shipment_line_invoiced_once',
    description: 'no shipment line is invoiced twice',
    query: sql`
      SELECT shipment_line_id, COUNT(*) AS invoice_lines FROM invoice_line il
      JOIN invoice i ON i.id = il.invoice_id AND i.kind = 'invoice'
      WHERE shipment_line_id IS NOT NULL GROUP BY shipment_line_id HAVING COUNT(*) > 1`,
  },
  {
    name: 'confirmed_shipments_invoiced',
    description: 'every confirmed shipment line is invoiced exactly once, for its quantity',
    query: sql`
      SELECT sl.id AS shipment_line_id, sl.quantity, il.quantity AS invoiced
      FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id AND s.status = 'confirmed'
      LEFT JOIN invoice_line il ON il.shipment_line_id = sl.id
      WHERE il.id IS NULL OR il.quantity <> sl.quantity`,
  },
  {
    name: 'invoiced_within_shipped',
    description: 'invoiced quantity ≤ shipped quantity on every order line, and both match their documents',
    query: sql`
      SELECT l.id AS order_line_id, l.quantity_shipped, l.quantity_invoiced,
             COALESCE((SELECT SUM(sl.quantity) FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id
                       WHERE sl.order_line_id = l.id AND s.status = 'confirmed'), 0) AS shipped_documents,
             COALESCE((SELECT SUM(il.quantity) FROM invoice_line il JOIN invoice i ON i.id = il.invoice_id
                       WHERE il.order_line_id = l.id AND i.kind = 'invoice'), 0) AS invoiced_documents
      FROM sales_order_line l
      WHERE l.quantity_invoiced > l.quantity_shipped
         OR l.quantity_shipped <> COALESCE((SELECT SUM(sl.quantity) FROM shipment_line sl JOIN shipment s ON s.id = sl.shipment_id
                                            WHERE sl.order_line_id = l.id AND s.status = 'confirmed'), 0)
         OR l.quantity_invoiced <> COALESCE((SELECT SUM(il.quantity) FROM invoice_line il JOIN invoice i ON i.id = il.invoice_id
                                             WHERE il.order_line_id = l.id AND i.kind = 'invoice'), 0)`,
  },
  {
    name: 'order_line_quantities_in_range',
    description: 'reserved + shipped + cancelled ≤ ordered on every order line',
    query: sql`
      SELECT id AS order_line_id, quantity_ordered, quantity_reserved, quantity_shipped, quantity_cancelled
      FROM sales_order_line WHERE quantity_reserved + quantity_shipped + quantity_cancelled > quantity_ordered`,
  },
  {
    name: 'payment_not_overapplied',
    description: 'no payment has more applied than its amount, and its unapplied amount matches its applications',
    query: sql`
      SELECT p.payment_number, p.amount_minor, p.unapplied_minor, COALESCE(SUM(a.amount_minor), 0) AS applied
      FROM payment p LEFT JOIN application a ON a.payment_id = p.id
      GROUP BY p.id
      HAVING COALESCE(SUM(a.amount_minor), 0) > p.amount_minor
          OR p.unapplied_minor <> p.amount_minor - COALESCE(SUM(a.amount_minor), 0)`,
  },
  {
    name: 'invoice_open_amount_matches_applications',
    description: "no invoice's open amount is negative, and it equals gross − payments − discounts − credits",
    query: sql`
      SELECT i.invoice_number, i.gross_minor, i.open_minor,
             COALESCE((SELECT SUM(amount_minor + discount_minor) FROM application WHERE invoice_id = i.id), 0) AS settled,
             COALESCE((SELECT SUM(amount_minor) FROM application WHERE credit_note_id = i.id), 0) AS used_as_credit
      FROM invoice i
      WHERE i.open_minor < 0
         OR (i.kind = 'invoice' AND i.open_minor <> i.gross_minor - COALESCE((SELECT SUM(amount_minor + discount_minor) FROM application WHERE invoice_id = i.id), 0))
         OR (i.kind = 'credit_note' AND i.open_minor <> i.gross_minor - COALESCE((SELECT SUM(amount_minor) FROM application WHERE credit_note_id = i.id), 0))`,
  },
  {
    name: 'open_ar_per_customer',
    description: 'open AR per customer = invoices − credit notes − applications',
    query: sql`
      WITH documents AS (
        SELECT customer_id,
               SUM(CASE WHEN kind = 'invoice' THEN gross_minor ELSE -gross_minor END) AS billed,
               SUM(CASE WHEN kind = 'invoice' THEN open_minor ELSE -open_minor END) AS open_items
        FROM invoice GROUP BY customer_id
      ), cash AS (
        SELECT i.customer_id, SUM(a.amount_minor + a.discount_minor) AS settled
        FROM application a JOIN invoice i ON i.id = a.invoice_id WHERE a.payment_id IS NOT NULL GROUP BY i.customer_id
      )
      SELECT d.customer_id, d.billed, d.open_items, COALESCE(c.settled, 0) AS settled_by_payments
      FROM documents d LEFT JOIN cash c ON c.customer_id = d.customer_id
      WHERE d.open_items <> d.billed - COALESCE(c.settled, 0)`,
  },
  {
    name: 'document_totals_balance',
    description: 'every invoice: lines sum to net, tax rows sum to tax, net + tax = gross',
    query: sql`
      SELECT i.invoice_number, i.net_minor, i.tax_minor,
             (SELECT SUM(line_net_minor) FROM invoice_line WHERE invoice_id = i.id) AS line_sum,
             (SELECT SUM(tax_minor) FROM invoice_tax WHERE invoice_id = i.id) AS tax_sum
      FROM invoice i
      WHERE i.net_minor <> COALESCE((SELECT SUM(line_net_minor) FROM invoice_line WHERE invoice_id = i.id), 0)
         OR i.tax_minor <> COALESCE((SELECT SUM(tax_minor) FROM invoice_tax WHERE invoice_id = i.id), 0)
         OR i.net_minor + i.tax_minor <> i.gross_minor`,
  },
  {
    name: 'invoice_numbers_gapless',
    description: 'invoice numbers in each series have no gaps and no duplicates',
    query: sql`
      SELECT company_id, series, fiscal_year, COUNT(*) AS documents, COUNT(DISTINCT sequence_number) AS distinct_numbers,
             MIN(sequence_number) AS first_number, MAX(sequence_number) AS last_number
      FROM invoice GROUP BY company_id, series, fiscal_year
      HAVING COUNT(*) <> COUNT(DISTINCT sequence_number) OR MIN(sequence_number) <> 1 OR MAX(sequence_number) <> COUNT(*)`,
  },
  {
    name: 'counter_matches_last_number',
    description: 'each number counter equals the last number issued in its series',
    query: sql`
      SELECT c.company_id, c.series, c.fiscal_year, c.last_number, MAX(i.sequence_number) AS last_issued
      FROM document_counter c
      LEFT JOIN invoice i ON i.company_id = c.company_id AND i.series = c.series AND i.fiscal_year = c.fiscal_year
      GROUP BY c.company_id, c.series, c.fiscal_year, c.last_number
      HAVING c.last_number <> COALESCE(MAX(i.sequence_number), 0)`,
  },
  {
    name: 'ledger_entries_balance',
    description: 'every ledger entry balances: debits = credits',
    query: sql`
      SELECT e.id AS entry_id, e.source_type, e.source_id, SUM(l.debit_minor) AS debits, SUM(l.credit_minor) AS credits
      FROM ledger_entry e JOIN ledger_line l ON l.entry_id = e.id
      GROUP BY e.id HAVING SUM(l.debit_minor) <> SUM(l.credit_minor)`,
  },
  {
    name: 'ar_control_equals_open_ar',
    description: 'the accounts receivable control account equals open AR, per customer and currency',
    query: sql`
      WITH control AS (
        SELECT l.customer_id, e.currency, SUM(l.debit_minor) - SUM(l.credit_minor) AS balance
        FROM ledger_line l JOIN ledger_entry e ON e.id = l.entry_id
        WHERE l.account = 'accounts_receivable' GROUP BY 1, 2
      ), open_items AS (
        SELECT customer_id, currency, SUM(CASE WHEN kind = 'invoice' THEN open_minor ELSE -open_minor END) AS balance
        FROM invoice GROUP BY 1, 2
        UNION ALL
        SELECT customer_id, currency, -SUM(unapplied_minor) FROM payment GROUP BY 1, 2
      ), open_ar AS (
        SELECT customer_id, currency, SUM(balance) AS balance FROM open_items GROUP BY 1, 2
      )
      SELECT COALESCE(c.customer_id, o.customer_id) AS customer_id, COALESCE(c.currency, o.currency) AS currency,
             COALESCE(c.balance, 0) AS control_account, COALESCE(o.balance, 0) AS open_ar
      FROM control c FULL JOIN open_ar o ON o.customer_id = c.customer_id AND o.currency = c.currency
      WHERE COALESCE(c.balance, 0) <> COALESCE(o.balance, 0)`,
  },
  {
    name: 'documents_posted_once',
    description: 'every invoice, credit note and payment has exactly one ledger entry',
    query: sql`
      SELECT d.kind, d.id, COUNT(e.id) AS entries FROM (
        SELECT kind, id FROM invoice UNION ALL SELECT 'payment', id FROM payment
      ) d LEFT JOIN ledger_entry e ON e.source_id = d.id AND e.source_type = d.kind
      GROUP BY d.kind, d.id HAVING COUNT(e.id) <> 1`,
  },
  {
    name: 'order_totals_balance',
    description: 'every sales order: net + tax = gross',
    query: sql`SELECT order_number, net_minor, tax_minor, gross_minor FROM sales_order WHERE net_minor + tax_minor <> gross_minor`,
  },
  {
    name: 'confirmed_orders_without_holds',
    description: 'no confirmed or closed order has an active hold, and every order on hold has one',
    query: sql`
      SELECT o.order_number, o.status, COUNT(h.id) AS active_holds
      FROM sales_order o LEFT JOIN order_hold h ON h.order_id = o.id AND h.resolved_at IS NULL
      GROUP BY o.id
      HAVING (o.status IN ('confirmed', 'closed', 'cancelled') AND COUNT(h.id) > 0)
          OR (o.status = 'on_hold' AND COUNT(h.id) = 0)`,
  },
];

/**
 * Runs every invariant and returns the violations. Reads run in one
 * REPEATABLE READ transaction so all checks see the same moment.
 */
export async function checkInvariants(db: Kysely<DB>): Promise<{ checked: string[]; violations: Violation[] }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const violations: Violation[] = [];
      for (const invariant of INVARIANTS) {
        const result = await invariant.query.execute(trx);
        for (const row of result.rows) {
          violations.push({ invariant: invariant.name, description: invariant.description, row });
        }
      }
      return { checked: INVARIANTS.map((invariant) => invariant.name), violations };
    });
}

export function describeInvariants(): { name: string; description: string }[] {
  return INVARIANTS.map(({ name, description }) => ({ name, description }));
}
