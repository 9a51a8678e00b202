-- Core order-to-cash schema.
--
-- Conventions:
--   * every business row carries company_id, the distribution key;
--   * amounts are bigint minor units of the document currency (*_minor);
--   * prices, quantities and rates are numeric, never float;
--   * stock movements, invoices, credit notes, payments and applications are
--     inserted and never updated, except for the open-amount counters that
--     CHECK constraints keep in range and the checker reconciles with the
--     append-only rows.

CREATE TABLE company (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  currency      char(3) NOT NULL,
  country_code  char(2) NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- Counters for document numbers. Invoice numbers must be gapless, so the row
-- is locked and incremented in the same transaction that inserts the invoice.
CREATE TABLE document_counter (
  company_id   uuid NOT NULL REFERENCES company(id),
  series       text NOT NULL,
  fiscal_year  integer NOT NULL,
  last_number  bigint NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (company_id, series, fiscal_year)
);

CREATE TABLE payment_terms (
  company_id        uuid NOT NULL REFERENCES company(id),
  code              text NOT NULL,
  description       text NOT NULL,
  net_days          integer NOT NULL CHECK (net_days >= 0),
  discount_days     integer CHECK (discount_days >= 0),
  discount_percent  numeric(7, 4) CHECK (discount_percent > 0 AND discount_percent < 100),
  PRIMARY KEY (company_id, code),
  CHECK ((discount_days IS NULL) = (discount_percent IS NULL))
);

CREATE TABLE customer (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id          uuid NOT NULL REFERENCES company(id),
  code                text NOT NULL,
  name                text NOT NULL,
  currency            char(3) NOT NULL,
  payment_terms_code  text NOT NULL,
  credit_limit_minor  bigint CHECK (credit_limit_minor >= 0),
  tax_exempt          boolean NOT NULL DEFAULT false,
  tax_exemption_reason text,
  blocked             boolean NOT NULL DEFAULT false,
  price_list_id       uuid,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, code),
  FOREIGN KEY (company_id, payment_terms_code) REFERENCES payment_terms(company_id, code)
);

CREATE TABLE customer_address (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES company(id),
  customer_id   uuid NOT NULL REFERENCES customer(id),
  purpose       text NOT NULL CHECK (purpose IN ('bill_to', 'ship_to')),
  is_default    boolean NOT NULL DEFAULT false,
  name          text NOT NULL,
  line1         text NOT NULL,
  line2         text,
  city          text NOT NULL,
  region        text,
  postal_code   text,
  country_code  char(2) NOT NULL
);
CREATE UNIQUE INDEX customer_address_one_default
  ON customer_address (customer_id, purpose) WHERE is_default;

CREATE TABLE product (
  id                           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id                   uuid NOT NULL REFERENCES company(id),
  sku                          text NOT NULL,
  name                         text NOT NULL,
  unit_code                    text NOT NULL,
  gtin                         text,
  tax_category                 text NOT NULL CHECK (tax_category IN ('standard', 'reduced', 'zero', 'exempt')),
  standard_cost                numeric(18, 6) NOT NULL DEFAULT 0 CHECK (standard_cost >= 0),
  replenishment_lead_time_days integer NOT NULL DEFAULT 14 CHECK (replenishment_lead_time_days >= 0),
  -- False for services and charges (postage, carriage): never reserved or counted in stock.
  stocked                      boolean NOT NULL DEFAULT true,
  created_at                   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, sku)
);
CREATE UNIQUE INDEX product_gtin_unique ON product (company_id, gtin) WHERE gtin IS NOT NULL;

-- Tax rate per ship-to country ('*' = any country) and product tax category.
CREATE TABLE tax_rate (
  company_id         uuid NOT NULL REFERENCES company(id),
  country_code       text NOT NULL,
  tax_category       text NOT NULL,
  vat_category_code  text NOT NULL,
  rate_percent       numeric(7, 4) NOT NULL CHECK (rate_percent >= 0 AND rate_percent < 100),
  PRIMARY KEY (company_id, country_code, tax_category)
);

CREATE TABLE price_list (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id          uuid NOT NULL REFERENCES company(id),
  code                text NOT NULL,
  currency            char(3) NOT NULL,
  prices_include_tax  boolean NOT NULL,
  is_default          boolean NOT NULL DEFAULT false,
  UNIQUE (company_id, code)
);
-- At most one default list per currency.
CREATE UNIQUE INDEX price_list_default_per_currency
  ON price_list (company_id, currency) WHERE is_default;

ALTER TABLE customer ADD FOREIGN KEY (price_list_id) REFERENCES price_list(id);

CREATE TABLE price_list_item (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id     uuid NOT NULL REFERENCES company(id),
  price_list_id  uuid NOT NULL REFERENCES price_list(id),
  product_id     uuid NOT NULL REFERENCES product(id),
  customer_id    uuid REFERENCES customer(id),
  min_quantity   numeric(18, 6) NOT NULL DEFAULT 1 CHECK (min_quantity > 0),
  unit_price     numeric(18, 6) NOT NULL CHECK (unit_price >= 0),
  valid_from     date NOT NULL DEFAULT DATE '1900-01-01',
  valid_to       date,
  CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX price_list_item_unique
  ON price_list_item (price_list_id, product_id, COALESCE(customer_id, '00000000-0000-0000-0000-000000000000'::uuid), min_quantity, valid_from);
CREATE INDEX price_list_item_lookup ON price_list_item (price_list_id, product_id);

CREATE TABLE warehouse (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES company(id),
  code          text NOT NULL,
  name          text NOT NULL,
  country_code  char(2) NOT NULL,
  -- Lower numbers are tried first when stock is reserved.
  priority      integer NOT NULL DEFAULT 100,
  UNIQUE (company_id, code)
);

-- Stock counters. The CHECKs are the last line of defence against overselling:
-- a reservation is a conditional UPDATE that cannot take more than is free.
CREATE TABLE stock_level (
  company_id    uuid NOT NULL REFERENCES company(id),
  product_id    uuid NOT NULL REFERENCES product(id),
  warehouse_id  uuid NOT NULL REFERENCES warehouse(id),
  on_hand       numeric(18, 6) NOT NULL DEFAULT 0 CHECK (on_hand >= 0),
  reserved      numeric(18, 6) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  PRIMARY KEY (product_id, warehouse_id),
  CHECK (reserved <= on_hand)
);

CREATE TABLE stock_movement (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id    uuid NOT NULL REFERENCES company(id),
  product_id    uuid NOT NULL REFERENCES product(id),
  warehouse_id  uuid NOT NULL REFERENCES warehouse(id),
  kind          text NOT NULL CHECK (kind IN ('receipt', 'adjustment', 'goods_issue', 'return')),
  quantity      numeric(18, 6) NOT NULL CHECK (quantity <> 0),
  reference     text,
  reason        text,
  occurred_at   timestamptz NOT NULL,
  actor         text NOT NULL,
  idempotency_key text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stock_movement_product ON stock_movement (product_id, warehouse_id);
CREATE UNIQUE INDEX stock_movement_idempotency ON stock_movement (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE sales_order (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id               uuid NOT NULL REFERENCES company(id),
  order_number             text NOT NULL,
  customer_id              uuid NOT NULL REFERENCES customer(id),
  customer_po_number       text,
  channel                  text NOT NULL,
  idempotency_key          text,
  status                   text NOT NULL CHECK (status IN ('draft', 'on_hold', 'confirmed', 'closed', 'cancelled')),
  currency                 char(3) NOT NULL,
  prices_include_tax       boolean NOT NULL,
  price_list_id            uuid NOT NULL REFERENCES price_list(id),
  payment_terms_code       text NOT NULL,
  ship_to                  jsonb NOT NULL,
  requested_delivery_date  date,
  order_date               date NOT NULL,
  received_at              timestamptz NOT NULL,
  confirmed_at             timestamptz,
  -- Wall-clock milliseconds from receipt to the intake decision, measured in
  -- the intake transaction; business time may be simulated, this never is.
  processing_ms            numeric(12, 3),
  net_minor                bigint NOT NULL,
  tax_minor                bigint NOT NULL,
  gross_minor              bigint NOT NULL,
  created_at               timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, order_number),
  CHECK (net_minor + tax_minor = gross_minor)
);
CREATE UNIQUE INDEX sales_order_customer_po
  ON sales_order (company_id, customer_id, customer_po_number) WHERE customer_po_number IS NOT NULL;
CREATE UNIQUE INDEX sales_order_idempotency
  ON sales_order (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX sales_order_customer_status ON sales_order (customer_id, status);
CREATE INDEX sales_order_received ON sales_order (company_id, received_at, id);

CREATE TABLE sales_order_line (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id            uuid NOT NULL REFERENCES company(id),
  order_id              uuid NOT NULL REFERENCES sales_order(id),
  line_number           integer NOT NULL,
  product_id            uuid NOT NULL REFERENCES product(id),
  sku                   text NOT NULL,
  description           text NOT NULL,
  unit_code             text NOT NULL,
  quantity_ordered      numeric(18, 6) NOT NULL CHECK (quantity_ordered > 0),
  quantity_reserved     numeric(18, 6) NOT NULL DEFAULT 0 CHECK (quantity_reserved >= 0),
  quantity_shipped      numeric(18, 6) NOT NULL DEFAULT 0 CHECK (quantity_shipped >= 0),
  quantity_invoiced     numeric(18, 6) NOT NULL DEFAULT 0 CHECK (quantity_invoiced >= 0),
  quantity_returned     numeric(18, 6) NOT NULL DEFAULT 0 CHECK (quantity_returned >= 0),
  quantity_cancelled    numeric(18, 6) NOT NULL DEFAULT 0 CHECK (quantity_cancelled >= 0),
  unit_price            numeric(18, 6) NOT NULL CHECK (unit_price >= 0),
  expected_unit_price   numeric(18, 6),
  discount_percent      numeric(7, 4) NOT NULL DEFAULT 0 CHECK (discount_percent >= 0 AND discount_percent <= 100),
  line_amount_minor     bigint NOT NULL,
  vat_category_code     text NOT NULL,
  tax_rate_percent      numeric(7, 4) NOT NULL,
  requested_date        date,
  promised_ship_date    date,
  UNIQUE (order_id, line_number),
  CHECK (quantity_reserved + quantity_shipped + quantity_cancelled <= quantity_ordered),
  CHECK (quantity_invoiced <= quantity_shipped),
  CHECK (quantity_returned <= quantity_shipped)
);
CREATE INDEX sales_order_line_order ON sales_order_line (order_id);

CREATE TABLE order_hold (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id   uuid NOT NULL REFERENCES company(id),
  order_id     uuid NOT NULL REFERENCES sales_order(id),
  reason       text NOT NULL,
  facts        jsonb NOT NULL,
  placed_at    timestamptz NOT NULL,
  resolved_at  timestamptz,
  resolution   text CHECK (resolution IN ('released', 'auto_released', 'rejected', 'cleared', 'cancelled')),
  resolved_by  text,
  CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);
CREATE INDEX order_hold_active ON order_hold (order_id) WHERE resolved_at IS NULL;
CREATE INDEX order_hold_reason_active ON order_hold (company_id, reason) WHERE resolved_at IS NULL;

-- Stock held for one order line in one warehouse. `quantity` is what is still
-- reserved; shipping or cancelling lowers it together with stock_level.reserved.
CREATE TABLE reservation (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id     uuid NOT NULL REFERENCES company(id),
  order_line_id  uuid NOT NULL REFERENCES sales_order_line(id),
  product_id     uuid NOT NULL REFERENCES product(id),
  warehouse_id   uuid NOT NULL REFERENCES warehouse(id),
  quantity       numeric(18, 6) NOT NULL CHECK (quantity >= 0),
  created_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (order_line_id, warehouse_id)
);
CREATE INDEX reservation_stock ON reservation (product_id, warehouse_id);

CREATE TABLE shipment (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id       uuid NOT NULL REFERENCES company(id),
  shipment_number  text NOT NULL,
  order_id         uuid NOT NULL REFERENCES sales_order(id),
  warehouse_id     uuid NOT NULL REFERENCES warehouse(id),
  status           text NOT NULL CHECK (status IN ('planned', 'confirmed', 'cancelled')),
  carrier          text,
  tracking_number  text,
  planned_at       timestamptz NOT NULL,
  shipped_at       timestamptz,
  idempotency_key  text,
  UNIQUE (company_id, shipment_number)
);
CREATE INDEX shipment_order ON shipment (order_id);
CREATE UNIQUE INDEX shipment_idempotency ON shipment (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE shipment_line (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id     uuid NOT NULL REFERENCES company(id),
  shipment_id    uuid NOT NULL REFERENCES shipment(id),
  order_line_id  uuid NOT NULL REFERENCES sales_order_line(id),
  product_id     uuid NOT NULL REFERENCES product(id),
  quantity       numeric(18, 6) NOT NULL CHECK (quantity > 0),
  UNIQUE (shipment_id, order_line_id)
);

-- Invoices and credit notes. Amounts are positive for both kinds; the kind
-- gives the sign in receivables. open_minor is the only column that changes
-- after insert, lowered by applications under its CHECK.
CREATE TABLE invoice (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id          uuid NOT NULL REFERENCES company(id),
  kind                text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  series              text NOT NULL,
  fiscal_year         integer NOT NULL,
  sequence_number     bigint NOT NULL CHECK (sequence_number > 0),
  invoice_number      text NOT NULL,
  customer_id         uuid NOT NULL REFERENCES customer(id),
  order_id            uuid NOT NULL REFERENCES sales_order(id),
  shipment_id         uuid REFERENCES shipment(id),
  corrected_invoice_id uuid REFERENCES invoice(id),
  reason              text,
  currency            char(3) NOT NULL,
  issue_date          date NOT NULL,
  due_date            date NOT NULL,
  payment_terms_code  text NOT NULL,
  discount_deadline   date,
  net_minor           bigint NOT NULL CHECK (net_minor >= 0),
  tax_minor           bigint NOT NULL CHECK (tax_minor >= 0),
  gross_minor         bigint NOT NULL CHECK (gross_minor >= 0),
  open_minor          bigint NOT NULL,
  idempotency_key     text,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, series, fiscal_year, sequence_number),
  UNIQUE (company_id, invoice_number),
  CHECK (net_minor + tax_minor = gross_minor),
  CHECK (open_minor >= 0 AND open_minor <= gross_minor),
  CHECK ((kind = 'credit_note') = (corrected_invoice_id IS NOT NULL))
);
-- One invoice per shipment: confirming a shipment twice cannot bill twice.
CREATE UNIQUE INDEX invoice_one_per_shipment ON invoice (shipment_id) WHERE kind = 'invoice';
CREATE UNIQUE INDEX invoice_idempotency ON invoice (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX invoice_customer_open ON invoice (customer_id) WHERE open_minor > 0;
CREATE INDEX invoice_order ON invoice (order_id);

CREATE TABLE invoice_line (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id         uuid NOT NULL REFERENCES company(id),
  invoice_id         uuid NOT NULL REFERENCES invoice(id),
  line_number        integer NOT NULL,
  order_line_id      uuid NOT NULL REFERENCES sales_order_line(id),
  shipment_line_id   uuid REFERENCES shipment_line(id),
  -- On a credit note: the invoice line it reverses.
  corrected_line_id  uuid REFERENCES invoice_line(id),
  product_id         uuid NOT NULL REFERENCES product(id),
  sku                text NOT NULL,
  description        text NOT NULL,
  unit_code          text NOT NULL,
  quantity           numeric(18, 6) NOT NULL CHECK (quantity > 0),
  unit_price         numeric(18, 6) NOT NULL,
  discount_percent   numeric(7, 4) NOT NULL,
  line_net_minor     bigint NOT NULL,
  vat_category_code  text NOT NULL,
  tax_rate_percent   numeric(7, 4) NOT NULL,
  UNIQUE (invoice_id, line_number)
);
-- A shipment line is billed by exactly one invoice line.
CREATE UNIQUE INDEX invoice_line_shipment_line ON invoice_line (shipment_line_id) WHERE shipment_line_id IS NOT NULL;

-- EN 16931 VAT breakdown: one row per VAT category and rate of a document.
CREATE TABLE invoice_tax (
  invoice_id         uuid NOT NULL REFERENCES invoice(id),
  company_id         uuid NOT NULL REFERENCES company(id),
  vat_category_code  text NOT NULL,
  rate_percent       numeric(7, 4) NOT NULL,
  taxable_minor      bigint NOT NULL,
  tax_minor          bigint NOT NULL,
  PRIMARY KEY (invoice_id, vat_category_code, rate_percent)
);

CREATE TABLE payment (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id        uuid NOT NULL REFERENCES company(id),
  payment_number    text NOT NULL,
  customer_id       uuid NOT NULL REFERENCES customer(id),
  currency          char(3) NOT NULL,
  amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
  unapplied_minor   bigint NOT NULL,
  received_on       date NOT NULL,
  method            text NOT NULL,
  external_reference text,
  idempotency_key   text,
  created_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (company_id, payment_number),
  CHECK (unapplied_minor >= 0 AND unapplied_minor <= amount_minor)
);
CREATE UNIQUE INDEX payment_idempotency ON payment (company_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX payment_customer_unapplied ON payment (customer_id) WHERE unapplied_minor > 0;

-- Part of a payment or credit note applied to one invoice. Exactly one source.
CREATE TABLE application (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  company_id      uuid NOT NULL REFERENCES company(id),
  invoice_id      uuid NOT NULL REFERENCES invoice(id),
  payment_id      uuid REFERENCES payment(id),
  credit_note_id  uuid REFERENCES invoice(id),
  amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
  -- Early-payment discount granted with this application; it closes the
  -- invoice without cash, so it is not taken from the payment.
  discount_minor  bigint NOT NULL DEFAULT 0 CHECK (discount_minor >= 0),
  applied_on      date NOT NULL,
  actor           text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL)),
  CHECK (amount_minor + discount_minor > 0)
);
CREATE INDEX application_invoice ON application (invoice_id);
CREATE INDEX application_payment ON application (payment_id);

-- The timeline of every document: who changed what, when and why.
CREATE TABLE history (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  company_id   uuid NOT NULL REFERENCES company(id),
  entity_type  text NOT NULL CHECK (entity_type IN ('sales_order', 'shipment', 'invoice', 'payment', 'customer', 'stock')),
  entity_id    uuid NOT NULL,
  order_id     uuid,
  event        text NOT NULL,
  from_status  text,
  to_status    text,
  actor        text NOT NULL,
  reason       text,
  details      jsonb NOT NULL DEFAULT '{}'::jsonb,
  occurred_at  timestamptz NOT NULL,
  recorded_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX history_entity ON history (entity_type, entity_id, id);
CREATE INDEX history_order ON history (order_id, id) WHERE order_id IS NOT NULL;
CREATE INDEX history_event ON history (company_id, event, occurred_at);

-- Stored responses for HTTP requests sent with an Idempotency-Key.
CREATE TABLE idempotency_record (
  company_id     uuid NOT NULL REFERENCES company(id),
  key            text NOT NULL,
  request_hash   text NOT NULL,
  status_code    integer NOT NULL,
  response_body  jsonb NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (company_id, key)
);

-- Document numbers that need not be gapless come from sequences, so order
-- intake never waits on a shared counter row.
CREATE SEQUENCE sales_order_number_seq;
CREATE SEQUENCE shipment_number_seq;
CREATE SEQUENCE payment_number_seq;
