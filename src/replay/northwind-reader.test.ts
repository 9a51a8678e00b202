import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { Dec } from '../money/index.js';
import { ReplayInputError } from './input-error.js';
import { PAYMENT_TERMS, type ReplayDataset } from './model.js';
import { readNorthwind } from './northwind-reader.js';
import { PriceListIndex } from './price-list.js';
import { CORPUS_DIR, NORTHWIND_CORPUS_FILES, copyCorpusFiles, makeTempDir } from './test-corpus.js';

const ALL_FILES = Object.values(NORTHWIND_CORPUS_FILES);
const tempDirs: string[] = [];

async function northwindCopy(edit?: (name: string, lines: string[]) => string[], rename?: (name: string) => string): Promise<string> {
  const dir = await makeTempDir('northwind');
  tempDirs.push(dir);
  await copyCorpusFiles(dir, ALL_FILES, rename, edit);
  return dir;
}

async function readError(dir: string): Promise<ReplayInputError> {
  try {
    await readNorthwind(dir);
  } catch (error) {
    if (error instanceof ReplayInputError) return error;
    throw error;
  }
  throw new Error('expected readNorthwind to throw ReplayInputError');
}

function lineCount(dataset: ReplayDataset): number {
  return dataset.orders.reduce((sum, order) => sum + order.lines.length, 0);
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('readNorthwind on the corpus', () => {
  let dataset: ReplayDataset;

  beforeAll(async () => {
    dataset = await readNorthwind(CORPUS_DIR);
  });

  it('reads every order and line', () => {
    expect(dataset.orders).toHaveLength(830);
    expect(lineCount(dataset)).toBe(2155);
    expect(dataset.customers).toHaveLength(91);
    expect(dataset.products).toHaveLength(77);
    expect(dataset.rowsRead).toBe(830 + 2155 + 91 + 77 + 3);
  });

  it('accounts for every row', () => {
    for (const file of dataset.sourceFiles) {
      expect(file.rowsUsed + file.rowsRejected, file.file).toBe(file.rowsRead);
    }
    const shippers = dataset.sourceFiles.find((file) => file.file === NORTHWIND_CORPUS_FILES.shippers);
    const used = dataset.orders.length + lineCount(dataset) + dataset.customers.length + dataset.products.length + (shippers?.rowsUsed ?? 0);
    expect(used + dataset.rejectedRows.length).toBe(dataset.rowsRead);
    expect(dataset.rejectedRows).toEqual([]);
  });

  it('sorts orders by time then row', () => {
    for (let index = 1; index < dataset.orders.length; index += 1) {
      const previous = dataset.orders[index - 1];
      const current = dataset.orders[index];
      if (previous === undefined || current === undefined) throw new Error('missing order');
      const inOrder = previous.orderedAt < current.orderedAt || (previous.orderedAt === current.orderedAt && previous.sourceRow < current.sourceRow);
      expect(inOrder, `${previous.customerPoNumber} before ${current.customerPoNumber}`).toBe(true);
    }
  });

  it('maps the first order', () => {
    const order = dataset.orders.find((candidate) => candidate.customerPoNumber === '10248');
    expect(order).toMatchObject({
      sourceRow: 2,
      customerCode: 'VINET',
      orderDate: '1996-07-04',
      orderedAt: '1996-07-04T12:00:00Z',
      requestedDeliveryDate: '1996-08-01',
      shipDate: '1996-07-16',
      carrier: 'Federal Shipping',
      freightMinor: 3238n,
    });
    expect(order?.shipTo.countryCode).toBe('FR');
    expect(order?.lines.map((line) => [line.sourceRow, line.sku, line.quantity.toString(), line.expectedUnitPrice?.toFixed(2)])).toEqual([
      [2, '11', '12', '14.00'],
      [3, '42', '10', '9.80'],
      [4, '72', '5', '34.80'],
    ]);
  });

  it('joins addresses split by an unquoted comma', () => {
    const order = dataset.orders.find((candidate) => candidate.customerPoNumber === '10250');
    expect(order?.shipTo).toMatchObject({ line1: 'Rua do Paço, 67', city: 'Rio de Janeiro', region: 'RJ', postalCode: '05454-876', countryCode: 'BR' });
    const customer = dataset.customers.find((candidate) => candidate.code === 'BLONP');
    expect(customer?.address).toMatchObject({ line1: '24, place Kléber', city: 'Strasbourg', region: null, postalCode: '67000', countryCode: 'FR' });
    expect(dataset.notes.some((note) => note.startsWith('176 order rows and 24 customer rows'))).toBe(true);
  });

  it('keeps unshipped orders without a ship date', () => {
    expect(dataset.orders.filter((order) => order.shipDate === null)).toHaveLength(21);
  });

  it('turns the discount fraction into percent', () => {
    const order = dataset.orders.find((candidate) => candidate.customerPoNumber === '10250');
    const line = order?.lines.find((candidate) => candidate.sku === '51');
    expect(line?.discountPercent.toString()).toBe('15');
    const small = dataset.orders.flatMap((candidate) => candidate.lines).filter((candidate) => candidate.discountPercent.eq(new Dec('5')));
    expect(small).toHaveLength(185);
  });

  it('prices every line from the list', () => {
    const index = new PriceListIndex(dataset.priceList);
    for (const order of dataset.orders) {
      for (const line of order.lines) {
        const listPrice = index.findUnitPrice(line.sku, order.customerCode, line.quantity, order.orderDate);
        expect(listPrice?.toString(), `row ${line.sourceRow}`).toBe(line.expectedUnitPrice?.toString());
      }
    }
  });

  it('lists price changes by date', () => {
    const chai = dataset.priceList.filter((entry) => entry.sku === '1');
    expect(chai.map((entry) => [entry.unitPrice.toFixed(2), entry.validFrom, entry.validTo])).toEqual([
      ['14.40', '1996-08-20', '1997-04-29'],
      ['18.00', '1997-04-30', null],
    ]);
    const product72 = dataset.priceList.filter((entry) => entry.sku === '72');
    expect(product72.map((entry) => entry.unitPrice.toFixed(2))).toEqual(['34.80', '27.80', '34.80']);
  });

  it('dates opening stock before the first order', () => {
    expect(dataset.openingStock.length).toBeGreaterThan(0);
    for (const receipt of dataset.openingStock) {
      expect(receipt.date).toBe('1996-07-03');
      expect(receipt.quantity.gt(0)).toBe(true);
    }
    for (const receipt of dataset.replenishments) {
      expect(receipt.date > '1996-07-04').toBe(true);
      expect(receipt.quantity.gt(0)).toBe(true);
    }
  });

  it('leaves some but not most lines short', () => {
    const events = [
      ...dataset.openingStock.map((receipt) => ({ date: receipt.date, order: 0, sku: receipt.sku, change: receipt.quantity })),
      ...dataset.replenishments.map((receipt) => ({ date: receipt.date, order: 0, sku: receipt.sku, change: receipt.quantity })),
      ...dataset.orders.flatMap((order) => order.lines.map((line) => ({ date: order.orderDate, order: 1, sku: line.sku, change: line.quantity.negated() }))),
    ].sort((a, b) => a.date.localeCompare(b.date) || a.order - b.order);
    const onHand = new Map<string, Dec>();
    let shortLines = 0;
    for (const event of events) {
      const level = (onHand.get(event.sku) ?? new Dec(0)).plus(event.change);
      if (event.order === 1 && level.isNegative()) shortLines += 1;
      onHand.set(event.sku, level);
    }
    expect(shortLines).toBeGreaterThan(0);
    expect(shortLines).toBeLessThan(2155 / 4);
  });

  it('assigns terms and round credit limits', () => {
    const discountCustomers = dataset.customers.filter((customer) => customer.paymentTermsCode === PAYMENT_TERMS.twoTenNet30);
    expect(discountCustomers).toHaveLength(18);
    for (const customer of dataset.customers) {
      expect(customer.currency).toBe('USD');
      expect(customer.creditLimitMinor).not.toBeNull();
      expect((customer.creditLimitMinor ?? 0n) % 100_000n).toBe(0n);
      expect((customer.creditLimitMinor ?? 0n) >= 100_000n).toBe(true);
    }
  });

  it('writes one sentence per note', () => {
    expect(dataset.notes.length).toBeGreaterThan(10);
    for (const note of dataset.notes) expect(note.endsWith('.'), note).toBe(true);
  });
});

describe('readNorthwind file handling', () => {
  it('accepts plain file names', async () => {
    const dir = await northwindCopy(undefined, (name) => name.replace('northwind-csv__', ''));
    const dataset = await readNorthwind(dir);
    expect(dataset.orders).toHaveLength(830);
    expect(dataset.sourceFiles.map((file) => file.file)).toContain('orders.csv');
  });

  it('names a missing file', async () => {
    const dir = await northwindCopy();
    await unlink(join(dir, NORTHWIND_CORPUS_FILES.shippers));
    const error = await readError(dir);
    expect(error.message).toContain('missing Northwind file');
    expect(error.message).toContain('shippers.csv');
    expect(error.problems).toHaveLength(1);
  });

  it('names a missing folder', async () => {
    const error = await readError(join(CORPUS_DIR, 'no-such-folder'));
    expect(error.message).toContain('folder not found');
  });

  it('names a missing column', async () => {
    const dir = await northwindCopy((name, lines) =>
      name === NORTHWIND_CORPUS_FILES.orderDetails ? lines.map((line) => line.split(',').slice(0, 4).join(',')) : lines,
    );
    const error = await readError(dir);
    expect(error.problems[0]).toMatchObject({ row: 1, column: 'discount' });
    expect(error.message).toContain('northwind-csv__order-details.csv, row 1, column discount');
  });

  it('names a bad number with row and value', async () => {
    const dir = await northwindCopy((name, lines) =>
      name === NORTHWIND_CORPUS_FILES.orderDetails ? lines.map((line, index) => (index === 4 ? '10249,14,18.6O,9,0' : line)) : lines,
    );
    const error = await readError(dir);
    expect(error.problems).toEqual([
      expect.objectContaining({ row: 5, column: 'unitPrice', value: '18.6O' }),
    ]);
    expect(error.message).toContain('row 5, column unitPrice');
    expect(error.message).toContain('"18.6O"');
  });

  it('names an impossible date', async () => {
    const dir = await northwindCopy((name, lines) =>
      name === NORTHWIND_CORPUS_FILES.orders ? lines.map((line, index) => (index === 2 ? line.replace('1996-07-05 00:00:00.000', '1996-02-30 00:00:00.000') : line)) : lines,
    );
    const error = await readError(dir);
    expect(error.problems).toEqual([expect.objectContaining({ row: 3, column: 'orderDate', value: '1996-02-30 00:00:00.000' })]);
  });

  it('reports every bad value at once', async () => {
    const dir = await northwindCopy((name, lines) => {
      if (name === NORTHWIND_CORPUS_FILES.orderDetails) return lines.map((line, index) => (index === 1 ? '10248,11,14.00,twelve,0' : line));
      if (name === NORTHWIND_CORPUS_FILES.products) return lines.map((line, index) => (index === 1 ? line.replace(',18.00,', ',1e3,') : line));
      return lines;
    });
    const error = await readError(dir);
    expect(error.problems.map((problem) => [problem.column, problem.value])).toEqual([
      ['unitPrice', '1e3'],
      ['quantity', 'twelve'],
    ]);
  });

  it('rejects a row with an extra field it cannot join', async () => {
    const dir = await northwindCopy((name, lines) => (name === NORTHWIND_CORPUS_FILES.shippers ? [...lines.slice(0, -1), '4,Acme,Freight,(503) 555-0000', ''] : lines));
    const error = await readError(dir);
    expect(error.problems[0]).toMatchObject({ row: 5, value: '4,Acme,Freight,(503) 555-0000' });
    expect(error.message).toContain('row has 4 fields but the header has 3');
  });

  it('rejects lines for unknown products and orders', async () => {
    const dir = await northwindCopy((name, lines) =>
      name === NORTHWIND_CORPUS_FILES.orderDetails ? [...lines.slice(0, -1), '10248,999,1.00,1,0', '99999,11,14.00,1,0', '10248,11,14.00,3,0', ''] : lines,
    );
    const dataset = await readNorthwind(dir);
    expect(dataset.rejectedRows.map((row) => [row.row, row.code])).toEqual([
      [2157, 'unknown_product'],
      [2158, 'unknown_order'],
      [2159, 'duplicate_line'],
    ]);
    expect(dataset.rejectedRows[0]?.reason).toContain('product 999');
    expect(lineCount(dataset)).toBe(2155);
    expect(dataset.rowsRead).toBe(3159);
  });

  it('rejects orders of a customer with an unknown country', async () => {
    const dir = await northwindCopy((name, lines) => {
      if (name !== NORTHWIND_CORPUS_FILES.customers) return lines;
      return lines.map((line) => (line.startsWith('VINET,') ? line.replace(',France,', ',Gaul,') : line));
    });
    const dataset = await readNorthwind(dir);
    const codes = new Map<string, number>();
    for (const row of dataset.rejectedRows) codes.set(row.code, (codes.get(row.code) ?? 0) + 1);
    expect(codes.get('unknown_country')).toBe(1);
    expect(codes.get('unknown_customer')).toBe(5);
    expect(codes.get('order_rejected')).toBe(10);
    expect(dataset.orders).toHaveLength(825);
    for (const file of dataset.sourceFiles) expect(file.rowsUsed + file.rowsRejected).toBe(file.rowsRead);
  });
});
