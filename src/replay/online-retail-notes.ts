import { addDays } from './dates.js';
import { PAYMENT_TERMS, type PriceListEntrySeed, type RejectedRow, type ReplayCustomer, type ReplayOrder, type ReplayReturn } from './model.js';
import { DEFAULT_STOCK_PLAN_RULE, type StockPlan } from './stock-plan.js';

/** Counts gathered while the Online Retail rows are sorted, for the notes. */
export interface RetailCounts {
  guestRows: number;
  zeroPriceLines: number;
  serviceLines: number;
  manualLines: number;
  emptyDescriptions: number;
  /** Rows of a known customer whose country differs from the customer's first row. */
  otherCountryRows: number;
}

export interface RetailNotesInput {
  counts: RetailCounts;
  orders: readonly ReplayOrder[];
  returns: readonly ReplayReturn[];
  customers: readonly ReplayCustomer[];
  priceList: readonly PriceListEntrySeed[];
  lineCount: number;
  mismatchedLines: number;
  stock: StockPlan;
  firstOrderDate: string;
  rejectedRows: readonly RejectedRow[];
  fileName: string;
}

function countByCode(rows: readonly RejectedRow[]): string {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.code, (counts.get(row.code) ?? 0) + 1);
  return [...counts.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, count]) => `${code} ${count}`).join(', ');
}

/** Writes one sentence per derivation rule of the Online Retail reader, with the counts of this run. */
export function buildRetailNotes(input: RetailNotesInput): string[] {
  const { counts } = input;
  const guests = input.customers.filter((customer) => customer.paymentTermsCode === PAYMENT_TERMS.dueOnReceipt).length;
  const discountCustomers = input.customers.filter((customer) => customer.paymentTermsCode === PAYMENT_TERMS.twoTenNet30).length;
  const breaks = input.priceList.filter((entry) => !entry.minQuantity.eq(1)).length;
  const guestEntries = input.priceList.filter((entry) => entry.customerCode !== null).length;
  const rejected = input.rejectedRows.length === 0 ? 'No row was rejected.' : `${input.rejectedRows.length} rows were rejected, each listed with its reason (${countByCode(input.rejectedRows)}).`;

  return [
    `Prices and amounts are in pounds sterling; the seller is a UK wholesaler and its prices exclude VAT, as trade prices on a wholesaler's invoices do, and the higher prices of rows without a CustomerID are treated as net prices of the web shop too.`,
    `Each InvoiceNo without the C prefix becomes one order (${input.orders.length} orders, ${input.lineCount} lines) whose customer PO number is the InvoiceNo.`,
    `An order is placed at its earliest InvoiceDate, read as London time and converted to UTC.`,
    `The data has no ship dates; the seller invoices on shipment, so each order's ship date is its invoice date.`,
    `Rows without a CustomerID (${counts.guestRows} order lines) are cash sales of the web shop, booked on one guest account per country (${guests} accounts named GUEST- and the country code) with terms DUE_ON_RECEIPT and no credit limit.`,
    `Cancellation rows (InvoiceNo starting with C) of a known customer become ${input.returns.length} returns; the driver credits each one when it invoiced that customer the SKU earlier in the replay and reports it otherwise, and cancellations without a CustomerID are rejected because they cannot be matched to an invoice.`,
    `Rows with a negative quantity but no C prefix, and rows with a zero price and no CustomerID, are warehouse stock adjustments and are rejected.`,
    `Lines with a zero price and a CustomerID (${counts.zeroPriceLines}) keep the price 0, so order intake holds them for a price mismatch until someone confirms the free-of-charge line.`,
    `Postage (POST, DOT), carriage (C2) and bank charges are charged as lines on service items that are not stocked (${counts.serviceLines} lines), and manual lines (M) become a non-stocked item "Manual" at the price recorded (${counts.manualLines} lines).`,
    `AMAZONFEE and CRUK rows are fees the seller pays, and D (discount), S (samples) and B (bad debt) rows and A-prefixed invoices are ledger adjustments; all are rejected as they are not sales of goods.`,
    `A product's name is its most common non-empty Description; ${counts.emptyDescriptions} used rows have an empty Description, and a stock code with no description at all is named after the code.`,
    `A row that repeats an earlier row in every column but the original row index is a duplicate and is rejected.`,
    `Customers are named after their CustomerID and have only a country, the country of their first row${counts.otherCountryRows > 0 ? `; ${counts.otherCountryRows} rows ship to another country than the customer's first row` : ''}.`,
    `Country names map to ISO codes (EIRE is IE, RSA is ZA, Channel Islands is assumed to be JE), and Unspecified or European Community buyers are treated as being in the UK.`,
    `The price list is derived per stock code from the rows of customers with an id, and separately per guest account from the guest rows: the first price seen applies to any quantity, a lower price for a larger quantity starts a quantity break, and any other new price replaces the old one from its date (${input.priceList.length} entries, ${breaks} quantity breaks, ${guestEntries} guest entries); ${input.mismatchedLines} of ${input.lineCount} lines do not match it and will be held for a price mismatch.`,
    `Opening stock, dated ${addDays(input.firstOrderDate, -1)}, is per product the quantity ordered in the ${DEFAULT_STOCK_PLAN_RULE.openingCoverDays} days from its first order; every ${DEFAULT_STOCK_PLAN_RULE.reviewIntervalDays} days each product is topped up to what was ordered in the previous ${DEFAULT_STOCK_PLAN_RULE.targetWindowDays} days, arriving after a 14-day lead time (${input.stock.replenishments.length} receipts), which leaves some orders short.`,
    `Standard cost is 60 % of a stock code's earliest list price, because the data records no cost.`,
    `Payment terms are 2/10 NET30 for the ${discountCustomers} customers in the top fifth by total order value and NET30 for the others; credit limits are twice the largest calendar-month order value rounded up to a whole 1,000.00, or one month's value for about one customer in ten chosen by a seeded draw.`,
    rejected,
  ];
}
