/**
 * SQL text of the plain-SQL intake (plain-sql-intake.ts). The exposure and
 * reservation statements are copies, with pg's $n parameters, of the ones
 * intake runs, so both paths do the same database work.
 *
 * NOTE: these are copies. When src/receivables/store/credit-exposure.ts or
 * src/inventory/store/stock-reservation.ts change, change them here too.
 * The parity check at the start of every run compares the rows that both
 * paths write, but not the SQL they run.
 */

export const LOCK_CUSTOMER = `
  SELECT id, code, currency, payment_terms_code, credit_limit_minor, tax_exempt, blocked, price_list_id
  FROM customer
  WHERE company_id = $1 AND code = $2
  FOR UPDATE`;

export const FIND_REPEATED_ORDER = `
  SELECT id, status FROM sales_order
  WHERE company_id = $1 AND customer_id = $2 AND customer_po_number = $3`;

export const CUSTOMER_PRICE_LIST = `
  SELECT id, currency, prices_include_tax FROM price_list WHERE company_id = $1 AND id = $2`;

export const DEFAULT_PRICE_LIST = `
  SELECT id, currency, prices_include_tax FROM price_list WHERE company_id = $1 AND currency = $2 AND is_default`;

export const DEFAULT_SHIP_TO = `
  SELECT name, line1, line2, city, region, postal_code, country_code
  FROM customer_address
  WHERE customer_id = $1 AND purpose = 'ship_to'
  ORDER BY is_default DESC
  LIMIT 1`;

/**
 * Products of the order lines, each with the price that selectPrice would
 * choose and the line amount in minor units, rounded once, half away from
 * zero. selectPrice prefers this customer's price to the general one, then
 * the greatest quantity break, then the latest start date. Lines keep their
 * request order.
 * $1 company, $2 SKUs, $3 quantities, $4 price list, $5 customer,
 * $6 order date, $7 minor-unit exponent.
 */
export const PRICE_LINES = `
  SELECT l.position::int AS position, p.id AS product_id, p.sku, p.name, p.unit_code, p.tax_category, p.stocked,
         p.replenishment_lead_time_days, l.quantity::text AS quantity, price.unit_price,
         round(l.quantity * price.unit_price * power(10::numeric, $7::int))::bigint AS line_amount_minor
  FROM unnest($2::text[], $3::numeric[]) WITH ORDINALITY AS l(sku, quantity, position)
  LEFT JOIN product p ON p.company_id = $1 AND p.sku = l.sku
  LEFT JOIN LATERAL (
    SELECT i.unit_price
    FROM price_list_item i
    WHERE i.price_list_id = $4 AND i.product_id = p.id
      AND (i.customer_id IS NULL OR i.customer_id = $5)
      AND i.min_quantity <= l.quantity
      AND i.valid_from <= $6::date AND (i.valid_to IS NULL OR i.valid_to >= $6::date)
    ORDER BY i.customer_id IS NULL, i.min_quantity DESC, i.valid_from DESC
    LIMIT 1
  ) price ON true
  ORDER BY l.position`;

export const TAX_RATES = `
  SELECT country_code, tax_category, vat_category_code, rate_percent FROM tax_rate WHERE company_id = $1`;

/** From loadExposureParts: open invoices − open credit notes − unapplied payments. $1 customer. */
export const OPEN_RECEIVABLES = `
    SELECT (
      COALESCE((SELECT SUM(CASE WHEN kind = 'invoice' THEN open_minor ELSE -open_minor END)
                FROM invoice WHERE customer_id = $1 AND open_minor > 0), 0)
      - COALESCE((SELECT SUM(unapplied_minor) FROM payment
                  WHERE customer_id = $1 AND unapplied_minor > 0), 0)
    )::text AS open_minor`;

/** From loadExposureParts: shipped not invoiced and confirmed not shipped. $1 customer, $2 order to leave out. */
export const ORDER_EXPOSURE = `
    WITH line_value AS (
      SELECT l.quantity_shipped - l.quantity_invoiced AS uninvoiced,
             CASE WHEN o.status = 'confirmed'
                  THEN l.quantity_ordered - l.quantity_cancelled - l.quantity_shipped ELSE 0 END AS unshipped,
             l.line_amount_minor / NULLIF(l.quantity_ordered - l.quantity_cancelled, 0)
               * CASE WHEN o.prices_include_tax THEN 1 ELSE 1 + l.tax_rate_percent / 100 END AS unit_value
      FROM sales_order o
      JOIN sales_order_line l ON l.order_id = o.id
      WHERE o.customer_id = $1
        AND o.status IN ('confirmed', 'on_hold', 'closed')
        AND ($2::uuid IS NULL OR o.id <> $2::uuid)
        AND (l.quantity_shipped > l.quantity_invoiced
             OR (o.status = 'confirmed' AND l.quantity_ordered - l.quantity_cancelled > l.quantity_shipped))
    )
    SELECT ROUND(COALESCE(SUM(uninvoiced * unit_value), 0))::text AS shipped_not_invoiced,
           ROUND(COALESCE(SUM(unshipped * unit_value), 0))::text AS confirmed_not_shipped
    FROM line_value`;

export const INSERT_ORDER = `
  INSERT INTO sales_order (
    company_id, order_number, customer_id, customer_po_number, channel, idempotency_key, status, currency,
    prices_include_tax, price_list_id, payment_terms_code, ship_to, requested_delivery_date, order_date,
    received_at, net_minor, tax_minor, gross_minor)
  VALUES ($1, 'SO-' || lpad(nextval('sales_order_number_seq')::text, 7, '0'), $2, $3, 'api', NULL, 'draft', $4,
          $5, $6, $7, $8, NULL, $9, $10, $11, $12, $13)
  RETURNING id`;

export const INSERT_LINES = `
  INSERT INTO sales_order_line (
    company_id, order_id, line_number, product_id, sku, description, unit_code, quantity_ordered,
    unit_price, expected_unit_price, discount_percent, line_amount_minor, vat_category_code, tax_rate_percent, requested_date)
  SELECT $1, $2, l.line_number, l.product_id, l.sku, l.description, l.unit_code, l.quantity,
         l.unit_price, NULL, 0, l.line_amount_minor, l.vat_category_code, l.tax_rate_percent, NULL
  FROM unnest($3::int[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::numeric[], $9::numeric[], $10::bigint[], $11::text[], $12::numeric[])
    AS l(line_number, product_id, sku, description, unit_code, quantity, unit_price, line_amount_minor, vat_category_code, tax_rate_percent)
  RETURNING id, line_number`;

/** One or more history rows for one order. $1 company, $2 order, then arrays of events, statuses, reasons and details. */
export const INSERT_HISTORY = `
  INSERT INTO history (company_id, entity_type, entity_id, order_id, event, from_status, to_status, actor, reason, details, occurred_at)
  SELECT $1, 'sales_order', $2, $2, h.event, h.from_status, h.to_status, $3, h.reason, h.details::jsonb, $4
  FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS h(event, from_status, to_status, reason, details)`;

/** From reserveStock: the conditional reservation across warehouses. $1 product, $2 company, $3 quantity. */
export const RESERVE_STOCK = `
    WITH free_stock AS (
      SELECT s.warehouse_id, s.on_hand - s.reserved AS free, w.priority, w.code
      FROM stock_level s
      JOIN warehouse w ON w.id = s.warehouse_id
      WHERE s.product_id = $1
        AND s.company_id = $2
        AND s.on_hand > s.reserved
      ORDER BY w.priority, w.code
      FOR UPDATE OF s
    ),
    plan AS (
      SELECT warehouse_id,
             LEAST(free, GREATEST($3::numeric
               - COALESCE(SUM(free) OVER (ORDER BY priority, code ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) AS take
      FROM free_stock
    )
    UPDATE stock_level s
    SET reserved = s.reserved + plan.take
    FROM plan
    WHERE s.product_id = $1
      AND s.warehouse_id = plan.warehouse_id
      AND plan.take > 0
    RETURNING plan.warehouse_id, plan.take::text AS take`;

export const INSERT_RESERVATIONS = `
  INSERT INTO reservation (company_id, order_line_id, product_id, warehouse_id, quantity)
  SELECT $1, $2, $3, r.warehouse_id, r.quantity
  FROM unnest($4::uuid[], $5::numeric[]) AS r(warehouse_id, quantity)
  ON CONFLICT (order_line_id, warehouse_id) DO UPDATE SET quantity = reservation.quantity + excluded.quantity`;

/**
 * Adds the reserved quantities to the line and sets its promised ship date.
 * That is the order date when the line is fully reserved, else the order
 * date plus the product's replenishment lead time, as promiseShipDate
 * computes it for a line without a requested date.
 * $1 line, $2 reserved quantities, $3 order date, $4 lead time.
 */
export const RECORD_LINE_RESERVATION = `
  UPDATE sales_order_line l
  SET quantity_reserved = l.quantity_reserved + r.total,
      promised_ship_date = CASE WHEN l.quantity_reserved + r.total >= l.quantity_ordered THEN $3::date ELSE $3::date + $4::int END
  FROM (SELECT COALESCE(SUM(q), 0) AS total FROM unnest($2::numeric[]) AS q) r
  WHERE l.id = $1
  RETURNING l.quantity_reserved::text AS reserved, (l.quantity_ordered - l.quantity_reserved)::text AS short,
            l.quantity_reserved >= l.quantity_ordered AS fully_reserved, l.promised_ship_date::text AS promised_ship_date`;

export const INSERT_HOLDS = `
  INSERT INTO order_hold (company_id, order_id, reason, facts, placed_at)
  SELECT $1, $2, h.reason, h.facts::jsonb, $3
  FROM unnest($4::text[], $5::text[]) AS h(reason, facts)`;

export const FINISH_ORDER = `
  UPDATE sales_order
  SET status = $2,
      confirmed_at = CASE WHEN $2 = 'confirmed' THEN COALESCE(confirmed_at, $3) ELSE confirmed_at END,
      processing_ms = $4
  WHERE id = $1`;
