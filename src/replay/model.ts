import type { Dec } from '../money/index.js';

/**
 * The normalised input of a replay. Each reader (Northwind, Online Retail)
 * turns its source files into one `ReplayDataset`, and the replay driver feeds
 * it through the normal commands without knowing which source it came from.
 *
 * Row numbers (`sourceRow`, `RejectedRow.row`) are 1-based line numbers in the
 * source file with the header counted as row 1, so the first data row is row 2
 * and a user can open the file at that line. A quoted field with a line break
 * makes a record span lines; its row number is the line the record starts on.
 *
 * Dates are 'YYYY-MM-DD' strings; instants are ISO 8601 UTC strings
 * ('1996-07-04T12:00:00Z'). Prices, quantities and percentages are `Dec`;
 * amounts are bigint minor units of the dataset currency.
 */

/** Payment terms codes the readers assign, as spelled in the invoicing module's standard terms. */
export const PAYMENT_TERMS = {
  net30: 'NET30',
  /** 2 % discount when paid within 10 days, otherwise due in 30 days. */
  twoTenNet30: '2/10 NET30',
  /** Due on the invoice date, for cash-sale accounts. */
  dueOnReceipt: 'DUE_ON_RECEIPT',
} as const;

export type PaymentTermsCode = (typeof PAYMENT_TERMS)[keyof typeof PAYMENT_TERMS];

/** UN/ECE Recommendation 20 unit codes used by the readers. */
export const UNIT_CODES = {
  /** One sales unit of a stocked product (a case, a box, a single item, as the catalogue sells it). */
  each: 'EA',
  /**
   * One service charge, such as postage or carriage ("one", C62).
   * NOTE: Recommendation 20's "service unit" (E48) would be more precise, but
   * the catalog's unit table does not list it yet.
   */
  serviceCharge: 'C62',
} as const;

export interface ReplayAddress {
  line1: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
}

export interface ReplayCustomer {
  code: string;
  name: string;
  /** ISO 4217; every customer of a dataset is invoiced in the dataset currency. */
  currency: string;
  /** ISO 3166-1 alpha-2, mapped from the source's country name. */
  countryCode: string;
  address: ReplayAddress;
  paymentTermsCode: PaymentTermsCode;
  /** Credit limit in minor units; null means the account has no limit and is not credit-checked. */
  creditLimitMinor: bigint | null;
}

export interface ReplayProduct {
  sku: string;
  name: string;
  /** UN/ECE Recommendation 20 unit code. */
  unitCode: string;
  taxCategory: 'standard' | 'reduced' | 'zero' | 'exempt';
  /** Cost per unit in the dataset currency, derived by a documented rule because neither source records cost. */
  standardCost: Dec;
  replenishmentLeadTimeDays: number;
  /**
   * False for service items (postage, carriage, manual lines): they are never
   * reserved, received or counted in stock, and have no stock receipts.
   */
  stocked: boolean;
}

export interface ReplayOrderLine {
  /** Source file of the line; for Northwind this is the order-details file, not the orders file. */
  sourceFile: string;
  sourceRow: number;
  sku: string;
  /** Ordered quantity in the product's unit, always positive. */
  quantity: Dec;
  /** Unit price the customer expects, net of tax; null when the source gives none. */
  expectedUnitPrice: Dec | null;
  /** Line discount in percent of the line amount: 5 means 5 %. */
  discountPercent: Dec;
}

export interface ReplayShipTo {
  name: string;
  line1: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  countryCode: string;
}

export interface ReplayOrder {
  sourceFile: string;
  /** Row of the order header; for Online Retail, the first row of the invoice. */
  sourceRow: number;
  customerPoNumber: string;
  customerCode: string;
  orderDate: string;
  /** ISO 8601 UTC instant at which the order was placed; orders are sorted by it. */
  orderedAt: string;
  requestedDeliveryDate: string | null;
  /** Recorded ship date; null when the source has none, and the driver then applies its own rule. */
  shipDate: string | null;
  shipTo: ReplayShipTo;
  /** Carrier name from the source, or null when it records none. */
  carrier: string | null;
  /** Freight recorded on the order in minor units, or null when the source records freight as lines or not at all. */
  freightMinor: bigint | null;
  /** Lines in source row order; never empty. */
  lines: ReplayOrderLine[];
}

/**
 * A cancellation or return of goods the customer bought earlier. The driver
 * issues a credit note when the replay invoiced that SKU to that customer
 * before `date`, and otherwise reports the row.
 */
export interface ReplayReturn {
  sourceFile: string;
  sourceRow: number;
  customerCode: string;
  sku: string;
  /** Returned quantity, always positive. */
  quantity: Dec;
  /** Unit price recorded on the cancellation row, net of tax. */
  recordedUnitPrice: Dec;
  date: string;
  /** The source's document number for the cancellation. */
  reference: string;
}

/**
 * One price list entry. An entry applies to a line when it is valid on the
 * order date, is for the line's customer or for every customer (customerCode
 * null), and its minQuantity is at most the ordered quantity. Among those, a
 * customer's own entry beats a general one, then the highest minQuantity
 * wins, then the latest validFrom. The readers never emit two entries with
 * the same SKU, customer and minQuantity that overlap in time.
 */
export interface PriceListEntrySeed {
  sku: string;
  customerCode: string | null;
  minQuantity: Dec;
  /** Net of tax unless the dataset's `pricesIncludeTax` is true. */
  unitPrice: Dec;
  validFrom: string;
  /** Last day the entry is valid (inclusive); null means open-ended. */
  validTo: string | null;
}

export interface StockReceiptSeed {
  sku: string;
  /** Day the goods arrive and become available. */
  date: string;
  quantity: Dec;
  reason: string;
}

export interface RejectedRow {
  file: string;
  row: number;
  /** Stable snake_case code for grouping, for example `unknown_product`. */
  code: string;
  /** One sentence naming the value and why the row is not replayed. */
  reason: string;
}

/** Row counts of one source file. `rowsRead` always equals `rowsUsed + rowsRejected`. */
export interface SourceFileSummary {
  file: string;
  rowsRead: number;
  rowsUsed: number;
  rowsRejected: number;
}

export interface ReplayDataset {
  name: string;
  /** ISO 4217 currency of every price and amount in the dataset. */
  currency: string;
  sellerCountryCode: string;
  pricesIncludeTax: boolean;
  customers: ReplayCustomer[];
  products: ReplayProduct[];
  /** Sorted by orderedAt, then sourceRow. */
  orders: ReplayOrder[];
  /** Sorted by date, then sourceRow. */
  returns: ReplayReturn[];
  priceList: PriceListEntrySeed[];
  /** Dated the day before the first order. */
  openingStock: StockReceiptSeed[];
  /** Sorted by date, then SKU. */
  replenishments: StockReceiptSeed[];
  /** Sorted by file, then row. */
  rejectedRows: RejectedRow[];
  /** Data rows read across all source files, headers excluded. */
  rowsRead: number;
  sourceFiles: SourceFileSummary[];
  /** Derivation rules with this run's counts, one sentence per rule, for the replay report. */
  notes: string[];
}
