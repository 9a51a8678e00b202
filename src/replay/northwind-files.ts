import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

import { ReplayInputError } from './input-error.js';

export const NORTHWIND_FILES = {
  orders: 'orders.csv',
  orderDetails: 'order-details.csv',
  customers: 'customers.csv',
  products: 'products.csv',
  shippers: 'shippers.csv',
} as const;

export type NorthwindFileKey = keyof typeof NORTHWIND_FILES;

/**
 * Returns whether a file name is the Northwind file `expected`: the same
 * name, or a prefixed name such as `northwind-csv__orders.csv` where the
 * prefix ends in '_', '-' or '.'. Case is ignored. `order-details.csv` does
 * not match `orders.csv`, because its name does not end in "orders.csv".
 */
export function matchesNorthwindFile(fileName: string, expected: string): boolean {
  const name = fileName.toLowerCase();
  if (name === expected) return true;
  if (!name.endsWith(expected)) return false;
  const separator = name.charAt(name.length - expected.length - 1);
  return separator === '_' || separator === '-' || separator === '.';
}

/**
 * Finds each Northwind file in `dir`. Throws `ReplayInputError` naming every
 * missing or ambiguous file, and the folder when it cannot be read.
 */
export async function locateNorthwindFiles(dir: string): Promise<Record<NorthwindFileKey, string>> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((entry) => entry.isFile()).map((entry) => entry.name).sort();
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'folder not found' : `folder cannot be read: ${(error as Error).message}`;
    throw new ReplayInputError([{ file: dir, row: null, column: null, value: null, message: `${reason}; pass the folder that contains the Northwind CSV files` }]);
  }

  const located: Partial<Record<NorthwindFileKey, string>> = {};
  const problems = [];
  for (const [key, expected] of Object.entries(NORTHWIND_FILES) as [NorthwindFileKey, string][]) {
    const matches = names.filter((name) => matchesNorthwindFile(name, expected));
    const [match] = matches;
    if (match === undefined) {
      problems.push({ file: join(dir, expected), row: null, column: null, value: null, message: `missing Northwind file: no file named ${expected} or ending in _${expected} in ${dir}` });
    } else if (matches.length > 1) {
      problems.push({ file: join(dir, expected), row: null, column: null, value: null, message: `ambiguous Northwind file: ${matches.join(', ')} all match ${expected}; keep one` });
    } else {
      located[key] = join(dir, match);
    }
  }
  if (problems.length > 0) throw new ReplayInputError(problems);
  return located as Record<NorthwindFileKey, string>;
}
