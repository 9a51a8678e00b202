import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ReplayInputError } from './input-error.js';
import { PAYMENT_TERMS, type ReplayDataset } from './model.js';
import { readOnlineRetail } from './online-retail-reader.js';
import { PriceListIndex } from './price-list.js';
import { CORPUS_DIR, ONLINE_RETAIL_FILE, copyCorpusFiles, makeTempDir } from './test-corpus.js';

const SAMPLE = 'uci-online-retail__online_retail_sample.csv';
const HEADER = '"","InvoiceNo","StockCode","Description","Quantity","InvoiceDate","UnitPrice","CustomerID","Country"';
const tempDirs: string[] = [];

async function writeCsv(lines: readonly string[]): Promise<string> {
  const dir = await makeTempDir('retail');
  tempDirs.push(dir);
  const file = join(dir, 'retail.csv');
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

async function editedSample(edit: (lines: string[]) => string[]): Promise<string> {
  const dir = await makeTempDir('retail');
  tempDirs.push(dir);
  const [file] = await copyCorpusFiles(dir, [SAMPLE], undefined, (_name, lines) => edit(lines));
  if (file === undefined) throw new Error('copy failed');
  return file;
}

async function readError(file: string): Promise<ReplayInputError> {
  try {
    await readOnlineRetail(file);
  } catch (error) {
    if (error instanceof ReplayInputError) return error;
    throw error;
  }
  throw new Error('expected readOnlineRetail to throw ReplayInputError');
}

function countByCode(dataset: ReplayDataset): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const row of dataset.rejectedRows) counts[row.code] = (counts[row.code] ?? 0) + 1;
  return counts;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readOnlineRetail on the corpus sample', () => {
  let dataset: ReplayDataset;

  beforeAll(async () => {
    dataset = await readOnlineRetail(ONLINE_RETAIL_FILE);
  });

  it('reads every row', () => {
    expect(dataset.rowsRead).toBe(2709);
    expect(dataset.orders).toHaveLength(2170);
    expect(dataset.orders.reduce((sum, order) => sum + order.lines.length, 0)).toBe(2648);
    expect(dataset.returns).toHaveLength(46);
  });

  it('accounts for every row', () => {
    const lines = dataset.orders.reduce((sum, order) => sum + order.lines.length, 0);
    expect(lines + dataset.returns.length + dataset.rejectedRows.length).toBe(dataset.rowsRead);
    expect(dataset.sourceFiles).toEqual([{ file: SAMPLE, rowsRead: 2709, rowsUsed: 2694, rowsRejected: 15 }]);
    const rows = new Set([
      ...dataset.orders.flatMap((order) => order.lines.map((line) => line.sourceRow)),
      ...dataset.returns.map((entry) => entry.sourceRow),
      ...dataset.rejectedRows.map((row) => row.row),
    ]);
    expect(rows.size).toBe(2709);
  });

  it('rejects odd rows with reasons', () => {
    expect(countByCode(dataset)).toEqual({ stock_adjustment: 11, seller_fee: 2, return_without_customer: 2 });
    const byRow = new Map(dataset.rejectedRows.map((row) => [row.row, row]));
    expect(byRow.get(229)?.reason).toContain('quantity -12 is negative on invoice 554145');
    expect(byRow.get(39)?.reason).toContain('unit price is 0 and there is no CustomerID');
    expect(byRow.get(1252)?.reason).toContain('AMAZONFEE');
    expect(byRow.get(319)?.reason).toContain('C541492 has no CustomerID');
  });

  it('groups rows into one order per invoice', () => {
    const numbers = dataset.orders.map((order) => order.customerPoNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.some((number) => number.startsWith('C'))).toBe(false);
    const multiLine = dataset.orders.find((order) => order.customerPoNumber === '567183');
    expect(multiLine?.lines.length).toBeGreaterThan(1);
    expect(multiLine?.orderedAt).toBe('2011-09-18T14:32:00Z');
  });

  it('converts London time to UTC', () => {
    const summer = dataset.orders.find((order) => order.customerPoNumber === '556478');
    expect(summer).toMatchObject({ sourceRow: 3, orderDate: '2011-06-12', orderedAt: '2011-06-12T11:34:00Z', shipDate: '2011-06-12' });
    const winter = dataset.orders.find((order) => order.customerPoNumber === '540509');
    expect(winter).toMatchObject({ sourceRow: 4, orderDate: '2011-01-09', orderedAt: '2011-01-09T11:27:00Z' });
  });

  it('books missing customers on guest accounts', () => {
    const guests = dataset.customers.filter((customer) => customer.code.startsWith('GUEST-'));
    expect(guests.map((customer) => customer.code)).toEqual(['GUEST-CH', 'GUEST-GB', 'GUEST-HK', 'GUEST-IE']);
    for (const guest of guests) {
      expect(guest.paymentTermsCode).toBe(PAYMENT_TERMS.dueOnReceipt);
      expect(guest.creditLimitMinor).toBeNull();
    }
    const order = dataset.orders.find((candidate) => candidate.customerPoNumber === '545464');
    expect(order?.customerCode).toBe('GUEST-GB');
  });

  it('turns cancellations into returns', () => {
    const entry = dataset.returns.find((candidate) => candidate.sourceRow === 19);
    expect(entry).toMatchObject({ customerCode: '13523', sku: '22827', date: '2011-06-16', reference: 'C556966' });
    expect(entry?.quantity.toString()).toBe('1');
    expect(entry?.recordedUnitPrice.toString()).toBe('165');
    for (const candidate of dataset.returns) expect(candidate.quantity.gt(0)).toBe(true);
  });

  it('keeps prices exact', () => {
    const order = dataset.orders.find((candidate) => candidate.customerPoNumber === '573442');
    expect(order?.lines[0]?.expectedUnitPrice?.toString()).toBe('4.25');
    const prices = dataset.orders.flatMap((candidate) => candidate.lines.map((line) => line.expectedUnitPrice?.toString() ?? ''));
    expect(prices.every((price) => /^\d+(\.\d{1,3})?$/.test(price))).toBe(true);
  });

  it('reads embedded quotes in descriptions', () => {
    const product = dataset.products.find((candidate) => candidate.sku === '90036E');
    expect(product?.name).toBe('FLOWER GLASS GARLD NECKL36"AMETHYST');
  });

  it('derives quantity breaks', () => {
    const cakeStand = dataset.priceList.filter((entry) => entry.sku === '22423' && entry.customerCode === null);
    expect(cakeStand.map((entry) => [entry.minQuantity.toString(), entry.unitPrice.toString(), entry.validFrom, entry.validTo])).toEqual([
      ['1', '10.95', '2010-12-16', '2011-02-16'],
      ['1', '12.75', '2011-02-17', null],
      ['16', '10.95', '2011-04-27', null],
    ]);
  });

  it('prices every line from the list', () => {
    const index = new PriceListIndex(dataset.priceList);
    const mismatched = dataset.orders.flatMap((order) =>
      order.lines.filter((line) => {
        const listPrice = index.findUnitPrice(line.sku, order.customerCode, line.quantity, order.orderDate);
        return listPrice === null || line.expectedUnitPrice === null || !listPrice.eq(line.expectedUnitPrice);
      }),
    );
    expect(mismatched).toEqual([]);
  });

  it('keeps service items out of stock', () => {
    const services = dataset.products.filter((product) => !product.stocked).map((product) => product.sku);
    expect(services.sort()).toEqual(['C2', 'DOT', 'M', 'POST']);
    const stocked = new Set(dataset.products.filter((product) => product.stocked).map((product) => product.sku));
    for (const receipt of [...dataset.openingStock, ...dataset.replenishments]) expect(stocked.has(receipt.sku), receipt.sku).toBe(true);
    for (const receipt of dataset.openingStock) expect(receipt.date).toBe('2010-11-30');
  });

  it('assigns terms to account customers', () => {
    const accounts = dataset.customers.filter((customer) => !customer.code.startsWith('GUEST-'));
    expect(accounts).toHaveLength(1171);
    expect(accounts.filter((customer) => customer.paymentTermsCode === PAYMENT_TERMS.twoTenNet30)).toHaveLength(231);
    for (const customer of accounts) expect((customer.creditLimitMinor ?? 0n) % 100_000n).toBe(0n);
  });
});

describe('readOnlineRetail odd rows', () => {
  it('handles each kind of odd row', async () => {
    const file = await writeCsv([
      HEADER,
      '"1","536365","85123A","WHITE HANGING HEART T-LIGHT HOLDER",6,"12/1/2010 8:26",2.55,17850,"United Kingdom"',
      '"2","536365","71053","WHITE METAL LANTERN",6,"12/1/2010 8:25",3.39,17850,"United Kingdom"',
      '"3","536365","71053","WHITE METAL LANTERN",6,"12/1/2010 8:25",3.39,17850,"United Kingdom"',
      '"4","536366","22633","HAND WARMER UNION JACK",6,"12/1/2010 8:28",0,17850,"United Kingdom"',
      '"5","536367","84879","ASSORTED COLOUR BIRD ORNAMENT",32,"12/1/2010 8:34",1.69,13047,"Atlantis"',
      '"6","536365","22752","SET 7 BABUSHKA NESTING BOXES",2,"12/1/2010 8:26",7.65,13047,"United Kingdom"',
      '"7","A563185","B","Adjust bad debt",1,"8/12/2011 14:50",11062.06,NA,"United Kingdom"',
      '"8","C536379","D","Discount",-1,"12/1/2010 9:41",27.5,14527,"United Kingdom"',
      '"9","C536380","22633","HAND WARMER UNION JACK",2,"12/1/2010 9:41",1.85,14527,"United Kingdom"',
      '"10","536368","22960","JAM MAKING SET WITH JARS",6,"12/1/2010 8:34",4.25,12345,"Unspecified"',
      '"11","536369","21756","BATH BUILDING BLOCK ""WORD""\nSECOND LINE",3,"12/1/2010 8:35",5.95,13047,"United Kingdom"',
      '"12","536370","22728","ALARM CLOCK BAKELIKE PINK",24,"12/1/2010 8:45",3.75,12583,"France"',
      '"13","X536371","22728","ALARM CLOCK BAKELIKE PINK",1,"12/1/2010 8:46",3.75,12583,"France"',
    ]);
    const dataset = await readOnlineRetail(file);

    expect(dataset.rejectedRows.map((row) => [row.row, row.code])).toEqual([
      [4, 'duplicate_row'],
      [6, 'unknown_country'],
      [7, 'inconsistent_invoice'],
      [8, 'adjustment'],
      [9, 'adjustment'],
      [10, 'invalid_quantity'],
      [15, 'unknown_invoice_type'],
    ]);
    expect(dataset.rejectedRows[0]?.reason).toContain('repeats row 3');

    const first = dataset.orders.find((order) => order.customerPoNumber === '536365');
    expect(first?.orderedAt).toBe('2010-12-01T08:25:00Z');
    expect(first?.lines.map((line) => line.sourceRow)).toEqual([2, 3]);

    const free = dataset.orders.find((order) => order.customerPoNumber === '536366');
    expect(free?.lines[0]?.expectedUnitPrice?.toString()).toBe('0');

    const unspecified = dataset.customers.find((customer) => customer.code === '12345');
    expect(unspecified?.countryCode).toBe('GB');

    const multiline = dataset.orders.find((order) => order.customerPoNumber === '536369');
    expect(multiline?.sourceRow).toBe(12);
    const french = dataset.orders.find((order) => order.customerPoNumber === '536370');
    expect(french?.sourceRow).toBe(14);
    expect(french?.shipTo.countryCode).toBe('FR');
    expect(dataset.rowsRead).toBe(13);
  });
});

describe('readOnlineRetail input errors', () => {
  it('names a missing file', async () => {
    const missing = join(CORPUS_DIR, 'no-such-file.csv');
    const error = await readError(missing);
    expect(error.problems).toEqual([expect.objectContaining({ file: missing, message: 'file not found' })]);
  });

  it('names a missing column', async () => {
    const file = await editedSample((lines) => lines.map((line) => line.split(',').slice(0, 8).join(',')));
    const error = await readError(file);
    expect(error.problems).toEqual([expect.objectContaining({ row: 1, column: 'Country' })]);
  });

  it('names a bad number', async () => {
    const file = await editedSample((lines) => lines.map((line, index) => (index === 2 ? line.replace(',1.25,', ',"1,25",') : line)));
    const error = await readError(file);
    expect(error.problems).toEqual([expect.objectContaining({ row: 3, column: 'UnitPrice', value: '1,25' })]);
    expect(error.message).toContain(`${SAMPLE}, row 3, column UnitPrice`);
  });

  it('names an impossible date', async () => {
    const file = await editedSample((lines) => lines.map((line, index) => (index === 3 ? line.replace('"1/9/2011 11:27"', '"2/30/2011 11:27"') : line)));
    const error = await readError(file);
    expect(error.problems).toEqual([expect.objectContaining({ row: 4, column: 'InvoiceDate', value: '2/30/2011 11:27' })]);
  });

  it('names a bad customer id', async () => {
    const file = await editedSample((lines) => lines.map((line, index) => (index === 1 ? line.replace(',12488,', ',12488X,') : line)));
    const error = await readError(file);
    expect(error.problems).toEqual([expect.objectContaining({ row: 2, column: 'CustomerID', value: '12488X' })]);
  });
});
