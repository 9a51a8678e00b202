import type { ColumnType, Generated } from 'kysely';

/**
 * Table types for Kysely, matching migrations/. The pool parses int8 as
 * bigint, numeric as an exact decimal string and date as 'YYYY-MM-DD'.
 */

/** A numeric column: read as a decimal string, written as a string too. */
type Numeric = string;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<unknown, string, string>;

export interface CompanyTable {
  id: Generated<string>;
  code: string;
  name: string;
  currency: string;
  country_code: string;
  created_at: Generated<Date>;
}

export interface DocumentCounterTable {
  company_id: string;
  series: string;
  fiscal_year: number;
  last_number: bigint;
}

export interface PaymentTermsTable {
  company_id: string;
  code: string;
  description: string;
  net_days: number;
  discount_days: number | null;
  discount_percent: Numeric | null;
}

export interface CustomerTable {
  id: Generated<string>;
  company_id: string;
  code: string;
  name: string;
  currency: string;
  payment_terms_code: string;
  credit_limit_minor: bigint | null;
  tax_exempt: Generated<boolean>;
  tax_exemption_reason: string | null;
  blocked: Generated<boolean>;
  price_list_id: string | null;
  created_at: Generated<Date>;
}

export interface CustomerAddressTable {
  id: Generated<string>;
  company_id: string;
  customer_id: string;
  purpose: 'bill_to' | 'ship_to';
  is_default: Generated<boolean>;
  name: string;
  line1: string;
  line2: string | null;
  city: string;
  region: string | null;
  postal_code: string | null;
  country_code: string;
}

export interface ProductTable {
  id: Generated<string>;
  company_id: string;
  sku: string;
  name: string;
  unit_code: string;
  gtin: string | null;
  tax_category: 'standard' | 'reduced' | 'zero' | 'exempt';
  standard_cost: Generated<Numeric>;
  replenishment_lead_time_days: Generated<number>;
  stocked: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface TaxRateTable {
  /** Kept when the rate is replaced, so it is the entity_id of the rate's history rows. */
  id: Generated<string>;
  company_id: string;
  country_code: string;
  tax_category: string;
  vat_category_code: string;
  rate_percent: Numeric;
}

export interface PriceListTable {
  id: Generated<string>;
  company_id: string;
  code: string;
  currency: string;
  prices_include_tax: boolean;
  is_default: Generated<boolean>;
}

export interface PriceListItemTable {
  id: Generated<string>;
  company_id: string;
  price_list_id: string;
  product_id: string;
  customer_id: string | null;
  min_quantity: Generated<Numeric>;
  unit_price: Numeric;
  valid_from: Generated<string>;
  valid_to: string | null;
}

export interface WarehouseTable {
  id: Generated<string>;
  company_id: string;
  code: string;
  name: string;
  country_code: string;
  priority: Generated<number>;
}

export interface StockLevelTable {
  company_id: string;
  product_id: string;
  warehouse_id: string;
  on_hand: Generated<Numeric>;
  reserved: Generated<Numeric>;
}

export type StockMovementKind = 'receipt' | 'adjustment' | 'goods_issue' | 'return';

export interface StockMovementTable {
  id: Generated<string>;
  company_id: string;
  product_id: string;
  warehouse_id: string;
  kind: StockMovementKind;
  quantity: Numeric;
  reference: string | null;
  reason: string | null;
  occurred_at: Timestamp;
  actor: string;
  idempotency_key: string | null;
  created_at: Generated<Date>;
}

export type OrderStatus = 'draft' | 'on_hold' | 'confirmed' | 'closed' | 'cancelled';

export interface SalesOrderTable {
  id: Generated<string>;
  company_id: string;
  order_number: string;
  customer_id: string;
  customer_po_number: string | null;
  channel: string;
  idempotency_key: string | null;
  status: OrderStatus;
  currency: string;
  prices_include_tax: boolean;
  price_list_id: string;
  payment_terms_code: string;
  ship_to: Json;
  requested_delivery_date: string | null;
  order_date: string;
  received_at: Timestamp;
  confirmed_at: Timestamp | null;
  processing_ms: Numeric | null;
  net_minor: bigint;
  tax_minor: bigint;
  gross_minor: bigint;
  created_at: Generated<Date>;
}

export interface SalesOrderLineTable {
  id: Generated<string>;
  company_id: string;
  order_id: string;
  line_number: number;
  product_id: string;
  sku: string;
  description: string;
  unit_code: string;
  quantity_ordered: Numeric;
  quantity_reserved: Generated<Numeric>;
  quantity_shipped: Generated<Numeric>;
  quantity_invoiced: Generated<Numeric>;
  quantity_returned: Generated<Numeric>;
  quantity_cancelled: Generated<Numeric>;
  unit_price: Numeric;
  expected_unit_price: Numeric | null;
  discount_percent: Generated<Numeric>;
  line_amount_minor: bigint;
  vat_category_code: string;
  tax_rate_percent: Numeric;
  requested_date: string | null;
  promised_ship_date: string | null;
}

export type HoldResolution = 'released' | 'auto_released' | 'rejected' | 'cleared' | 'cancelled';

export interface OrderHoldTable {
  id: Generated<string>;
  company_id: string;
  order_id: string;
  reason: string;
  facts: Json;
  placed_at: Timestamp;
  resolved_at: Timestamp | null;
  resolution: HoldResolution | null;
  resolved_by: string | null;
}

export interface ReservationTable {
  id: Generated<string>;
  company_id: string;
  order_line_id: string;
  product_id: string;
  warehouse_id: string;
  quantity: Numeric;
  created_at: Generated<Date>;
}

export interface ShipmentTable {
  id: Generated<string>;
  company_id: string;
  shipment_number: string;
  order_id: string;
  warehouse_id: string;
  status: 'planned' | 'confirmed' | 'cancelled';
  carrier: string | null;
  tracking_number: string | null;
  planned_at: Timestamp;
  shipped_at: Timestamp | null;
  idempotency_key: string | null;
}

export interface ShipmentLineTable {
  id: Generated<string>;
  company_id: string;
  shipment_id: string;
  order_line_id: string;
  product_id: string;
  quantity: Numeric;
}

export type InvoiceKind = 'invoice' | 'credit_note';

export interface InvoiceTable {
  id: Generated<string>;
  company_id: string;
  kind: InvoiceKind;
  series: string;
  fiscal_year: number;
  sequence_number: bigint;
  invoice_number: string;
  customer_id: string;
  order_id: string;
  shipment_id: string | null;
  corrected_invoice_id: string | null;
  reason: string | null;
  currency: string;
  issue_date: string;
  due_date: string;
  payment_terms_code: string;
  discount_deadline: string | null;
  net_minor: bigint;
  tax_minor: bigint;
  gross_minor: bigint;
  open_minor: bigint;
  idempotency_key: string | null;
  created_at: Generated<Date>;
}

export interface InvoiceLineTable {
  id: Generated<string>;
  company_id: string;
  invoice_id: string;
  line_number: number;
  order_line_id: string;
  shipment_line_id: string | null;
  corrected_line_id: string | null;
  product_id: string;
  sku: string;
  description: string;
  unit_code: string;
  quantity: Numeric;
  unit_price: Numeric;
  discount_percent: Numeric;
  line_net_minor: bigint;
  vat_category_code: string;
  tax_rate_percent: Numeric;
}

export interface InvoiceTaxTable {
  invoice_id: string;
  company_id: string;
  vat_category_code: string;
  rate_percent: Numeric;
  taxable_minor: bigint;
  tax_minor: bigint;
}

export interface PaymentTable {
  id: Generated<string>;
  company_id: string;
  payment_number: string;
  customer_id: string;
  currency: string;
  amount_minor: bigint;
  unapplied_minor: bigint;
  received_on: string;
  method: string;
  external_reference: string | null;
  idempotency_key: string | null;
  created_at: Generated<Date>;
}

export interface ApplicationTable {
  id: Generated<string>;
  company_id: string;
  invoice_id: string;
  payment_id: string | null;
  credit_note_id: string | null;
  amount_minor: bigint;
  discount_minor: Generated<bigint>;
  applied_on: string;
  actor: string;
  created_at: Generated<Date>;
}

export type HistoryEntityType =
  | 'sales_order'
  | 'shipment'
  | 'invoice'
  | 'payment'
  | 'customer'
  | 'stock'
  | 'company'
  | 'product'
  | 'price_list'
  | 'tax_rate'
  | 'warehouse';

export interface HistoryTable {
  id: Generated<bigint>;
  company_id: string;
  entity_type: HistoryEntityType;
  entity_id: string;
  order_id: string | null;
  event: string;
  from_status: string | null;
  to_status: string | null;
  actor: string;
  reason: string | null;
  details: ColumnType<unknown, string | undefined, string>;
  occurred_at: Timestamp;
  recorded_at: Generated<Date>;
}

export interface IdempotencyRecordTable {
  company_id: string;
  key: string;
  request_hash: string;
  status_code: number;
  response_body: Json;
  created_at: Generated<Date>;
}

export type LedgerAccount = 'accounts_receivable' | 'bank' | 'sales_revenue' | 'sales_returns' | 'sales_discounts' | 'output_tax';

export interface LedgerEntryTable {
  id: Generated<string>;
  company_id: string;
  entry_date: string;
  source_type: 'invoice' | 'credit_note' | 'payment' | 'discount';
  source_id: string;
  currency: string;
  description: string;
  created_at: Generated<Date>;
}

export interface LedgerLineTable {
  id: Generated<string>;
  company_id: string;
  entry_id: string;
  account: LedgerAccount;
  customer_id: string | null;
  debit_minor: Generated<bigint>;
  credit_minor: Generated<bigint>;
}

export interface ReplayRunTable {
  company_id: string;
  dataset: string;
  started_at: Generated<Date>;
  finished_at: Date | null;
}

export interface DB {
  company: CompanyTable;
  document_counter: DocumentCounterTable;
  payment_terms: PaymentTermsTable;
  customer: CustomerTable;
  customer_address: CustomerAddressTable;
  product: ProductTable;
  tax_rate: TaxRateTable;
  price_list: PriceListTable;
  price_list_item: PriceListItemTable;
  warehouse: WarehouseTable;
  stock_level: StockLevelTable;
  stock_movement: StockMovementTable;
  sales_order: SalesOrderTable;
  sales_order_line: SalesOrderLineTable;
  order_hold: OrderHoldTable;
  reservation: ReservationTable;
  shipment: ShipmentTable;
  shipment_line: ShipmentLineTable;
  invoice: InvoiceTable;
  invoice_line: InvoiceLineTable;
  invoice_tax: InvoiceTaxTable;
  payment: PaymentTable;
  application: ApplicationTable;
  history: HistoryTable;
  idempotency_record: IdempotencyRecordTable;
  ledger_entry: LedgerEntryTable;
  ledger_line: LedgerLineTable;
  replay_run: ReplayRunTable;
}
