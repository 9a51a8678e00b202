import type { Dec } from '../money/index.js';
import type { CsvTable } from './csv-file.js';
import { parseNorthwindDate } from './dates.js';
import { FieldParser } from './field-parser.js';
import type { ProblemList } from './input-error.js';

/** Northwind writes missing values as the text NULL. */
const NULL_TOKENS = ['NULL'];
const WHOLE_NUMBER = /^\d+$/;
const DATE_EXPECTED = 'a date such as 1996-07-04 or 1996-07-04 00:00:00.000';

export const NORTHWIND_COLUMNS = {
  orders: ['orderID', 'customerID', 'orderDate', 'requiredDate', 'shippedDate', 'shipVia', 'freight', 'shipName', 'shipAddress', 'shipCity', 'shipRegion', 'shipPostalCode', 'shipCountry'],
  orderDetails: ['orderID', 'productID', 'unitPrice', 'quantity', 'discount'],
  customers: ['customerID', 'companyName', 'address', 'city', 'region', 'postalCode', 'country'],
  products: ['productID', 'productName', 'unitPrice'],
  shippers: ['shipperID', 'companyName'],
} as const;

/** Text columns that hold an unquoted comma in the Northwind CSV export, such as `Rua do Paço, 67`. */
export const NORTHWIND_COMMA_COLUMNS = {
  orders: ['shipName', 'shipAddress'],
  customers: ['companyName', 'contactName', 'contactTitle', 'address'],
} as const;

export interface ShipperRow {
  row: number;
  shipperId: string;
  name: string;
}

export interface ProductRow {
  row: number;
  productId: string;
  name: string;
  catalogueUnitPrice: Dec;
}

export interface CustomerRow {
  row: number;
  customerId: string;
  name: string;
  address: string | null;
  city: string | null;
  region: string | null;
  postalCode: string | null;
  country: string | null;
}

export interface OrderRow {
  row: number;
  orderId: string;
  customerId: string | null;
  orderDate: string;
  requiredDate: string | null;
  shippedDate: string | null;
  shipVia: string | null;
  freight: Dec | null;
  shipName: string | null;
  shipAddress: string | null;
  shipCity: string | null;
  shipRegion: string | null;
  shipPostalCode: string | null;
  shipCountry: string | null;
}

export interface OrderDetailRow {
  row: number;
  orderId: string;
  productId: string;
  unitPrice: Dec;
  quantity: Dec;
  discount: Dec;
}

/**
 * Parses each table's rows into typed records. A value that does not parse
 * is added to `problems` and its row is left out. The caller throws the
 * problems once all tables are parsed, so no half-read file is replayed.
 */
export function parseShipperRows(table: CsvTable, problems: ProblemList): ShipperRow[] {
  const fields = new FieldParser(table, problems, NULL_TOKENS);
  const rows: ShipperRow[] = [];
  for (const row of table.rows) {
    const shipperId = fields.matching(row, 'shipperID', WHOLE_NUMBER, 'a whole number');
    const name = fields.requiredText(row, 'companyName');
    if (shipperId === undefined || name === undefined) continue;
    rows.push({ row: row.row, shipperId, name });
  }
  return rows;
}

export function parseProductRows(table: CsvTable, problems: ProblemList): ProductRow[] {
  const fields = new FieldParser(table, problems, NULL_TOKENS);
  const rows: ProductRow[] = [];
  for (const row of table.rows) {
    const productId = fields.matching(row, 'productID', WHOLE_NUMBER, 'a whole number');
    const name = fields.requiredText(row, 'productName');
    const catalogueUnitPrice = fields.decimal(row, 'unitPrice');
    if (productId === undefined || name === undefined || catalogueUnitPrice === undefined) continue;
    rows.push({ row: row.row, productId, name, catalogueUnitPrice });
  }
  return rows;
}

export function parseCustomerRows(table: CsvTable, problems: ProblemList): CustomerRow[] {
  const fields = new FieldParser(table, problems, NULL_TOKENS);
  const rows: CustomerRow[] = [];
  for (const row of table.rows) {
    const customerId = fields.requiredText(row, 'customerID');
    const name = fields.requiredText(row, 'companyName');
    if (customerId === undefined || name === undefined) continue;
    rows.push({
      row: row.row,
      customerId,
      name,
      address: fields.optionalText(row, 'address'),
      city: fields.optionalText(row, 'city'),
      region: fields.optionalText(row, 'region'),
      postalCode: fields.optionalText(row, 'postalCode'),
      country: fields.optionalText(row, 'country'),
    });
  }
  return rows;
}

export function parseOrderRows(table: CsvTable, problems: ProblemList): OrderRow[] {
  const fields = new FieldParser(table, problems, NULL_TOKENS);
  const rows: OrderRow[] = [];
  for (const row of table.rows) {
    const orderId = fields.matching(row, 'orderID', WHOLE_NUMBER, 'a whole number');
    const orderDate = fields.parsed(row, 'orderDate', parseNorthwindDate, DATE_EXPECTED);
    const requiredDate = fields.optionalParsed(row, 'requiredDate', parseNorthwindDate, DATE_EXPECTED);
    const shippedDate = fields.optionalParsed(row, 'shippedDate', parseNorthwindDate, DATE_EXPECTED);
    const freight = fields.optionalDecimal(row, 'freight');
    if (orderId === undefined || orderDate === undefined || requiredDate === undefined || shippedDate === undefined || freight === undefined) continue;
    rows.push({
      row: row.row,
      orderId,
      customerId: fields.optionalText(row, 'customerID'),
      orderDate,
      requiredDate,
      shippedDate,
      shipVia: fields.optionalText(row, 'shipVia'),
      freight,
      shipName: fields.optionalText(row, 'shipName'),
      shipAddress: fields.optionalText(row, 'shipAddress'),
      shipCity: fields.optionalText(row, 'shipCity'),
      shipRegion: fields.optionalText(row, 'shipRegion'),
      shipPostalCode: fields.optionalText(row, 'shipPostalCode'),
      shipCountry: fields.optionalText(row, 'shipCountry'),
    });
  }
  return rows;
}

export function parseOrderDetailRows(table: CsvTable, problems: ProblemList): OrderDetailRow[] {
  const fields = new FieldParser(table, problems, NULL_TOKENS);
  const rows: OrderDetailRow[] = [];
  for (const row of table.rows) {
    const orderId = fields.matching(row, 'orderID', WHOLE_NUMBER, 'a whole number');
    const productId = fields.matching(row, 'productID', WHOLE_NUMBER, 'a whole number');
    const unitPrice = fields.decimal(row, 'unitPrice');
    const quantity = fields.decimal(row, 'quantity');
    const discount = fields.decimal(row, 'discount');
    if (orderId === undefined || productId === undefined || unitPrice === undefined || quantity === undefined || discount === undefined) continue;
    rows.push({ row: row.row, orderId, productId, unitPrice, quantity, discount });
  }
  return rows;
}
