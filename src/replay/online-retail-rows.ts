import type { Dec } from '../money/index.js';
import type { CsvTable } from './csv-file.js';
import { type LocalDateTime, parseUsDateTime } from './dates.js';
import { FieldParser } from './field-parser.js';
import type { ProblemList } from './input-error.js';

/** R's CSV export writes a missing CustomerID as NA. */
const NULL_TOKENS = ['NA'];

export const ONLINE_RETAIL_COLUMNS = ['InvoiceNo', 'StockCode', 'Description', 'Quantity', 'InvoiceDate', 'UnitPrice', 'CustomerID', 'Country'] as const;

/** Invoice numbers: digits, with a one-letter prefix for cancellations (C) and bad-debt adjustments (A). */
const INVOICE_NUMBER = /^[A-Za-z]?\d+$/;
/** Customer ids are whole numbers; some exports write them as 12488.0. */
const CUSTOMER_ID = /^(\d+)(?:\.0+)?$/;

export interface RetailRow {
  row: number;
  invoiceNo: string;
  stockCode: string;
  description: string | null;
  quantity: Dec;
  invoicedAt: LocalDateTime;
  unitPrice: Dec;
  customerId: string | null;
  country: string;
  /** The row's values joined, to find rows that repeat an earlier one exactly. */
  contentKey: string;
}

/** Parses every row; values that do not parse go to `problems` and their rows are left out. */
export function parseRetailRows(table: CsvTable, problems: ProblemList): RetailRow[] {
  const fields = new FieldParser(table, problems, NULL_TOKENS);
  const rows: RetailRow[] = [];
  for (const row of table.rows) {
    const invoiceNo = fields.matching(row, 'InvoiceNo', INVOICE_NUMBER, 'digits with an optional one-letter prefix, such as 536365 or C536379');
    const stockCode = fields.requiredText(row, 'StockCode');
    const quantity = fields.decimal(row, 'Quantity');
    const invoicedAt = fields.parsed(row, 'InvoiceDate', parseUsDateTime, 'a date and time such as 12/1/2010 8:26');
    const unitPrice = fields.decimal(row, 'UnitPrice');
    const customerId = fields.optionalParsed(row, 'CustomerID', (text) => CUSTOMER_ID.exec(text)?.[1] ?? null, 'a whole number, or NA when missing');
    const country = fields.requiredText(row, 'Country');
    if (
      invoiceNo === undefined ||
      stockCode === undefined ||
      quantity === undefined ||
      invoicedAt === undefined ||
      unitPrice === undefined ||
      customerId === undefined ||
      country === undefined
    ) {
      continue;
    }
    const description = row.values.Description?.trim() ?? '';
    rows.push({
      row: row.row,
      invoiceNo,
      stockCode,
      description: description === '' ? null : description,
      quantity,
      invoicedAt,
      unitPrice,
      customerId,
      country,
      contentKey: ONLINE_RETAIL_COLUMNS.map((column) => row.values[column] ?? '').join('\u0000'),
    });
  }
  return rows;
}

/** Kind of a stock code: ordinary goods, a service charge, a manual line, a seller's fee or a ledger adjustment. */
export type StockCodeKind =
  | { kind: 'goods' }
  | { kind: 'service'; name: string }
  | { kind: 'manual' }
  | { kind: 'seller_fee'; reason: string }
  | { kind: 'adjustment'; reason: string };

/**
 * Codes in the Online Retail data that are not goods. Postage and carriage
 * are charged to the customer as lines; fees the seller pays and ledger
 * adjustments are not sales. Matching ignores case.
 */
const SPECIAL_STOCK_CODES: Readonly<Record<string, StockCodeKind>> = {
  POST: { kind: 'service', name: 'Postage' },
  DOT: { kind: 'service', name: 'Dotcom postage' },
  C2: { kind: 'service', name: 'Carriage' },
  'BANK CHARGES': { kind: 'service', name: 'Bank charges' },
  M: { kind: 'manual' },
  AMAZONFEE: { kind: 'seller_fee', reason: 'AMAZONFEE is a fee the seller pays to Amazon, booked in this sales ledger; it is neither a sale nor a customer return' },
  CRUK: { kind: 'seller_fee', reason: 'CRUK is a commission the seller pays to Cancer Research UK; it is neither a sale nor a customer return' },
  D: { kind: 'adjustment', reason: 'stock code D is a discount credited without reference to goods; the replay issues credit notes only for returned goods' },
  S: { kind: 'adjustment', reason: 'stock code S is a credit for samples, not tied to goods the customer was invoiced' },
  B: { kind: 'adjustment', reason: 'stock code B is a bad-debt adjustment in the ledger, not a sale' },
};

export function classifyStockCode(stockCode: string): StockCodeKind {
  const key = stockCode.toUpperCase();
  return Object.hasOwn(SPECIAL_STOCK_CODES, key) ? (SPECIAL_STOCK_CODES[key] ?? { kind: 'goods' }) : { kind: 'goods' };
}
