import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The shared read-only corpus: O2C_CORPUS_DIR/datasets when that is set,
 * else beside the repository at <repository>/../shared/corpus/datasets.
 */
export const CORPUS_DIR = process.env['O2C_CORPUS_DIR']
  ? join(process.env['O2C_CORPUS_DIR'], 'datasets')
  : fileURLToPath(new URL('../../../shared/corpus/datasets', import.meta.url));

export const ONLINE_RETAIL_FILE = join(CORPUS_DIR, 'uci-online-retail__online_retail_sample.csv');

export const NORTHWIND_CORPUS_FILES = {
  orders: 'northwind-csv__orders.csv',
  orderDetails: 'northwind-csv__order-details.csv',
  customers: 'northwind-csv__customers.csv',
  products: 'northwind-csv__products.csv',
  shippers: 'northwind-csv__shippers.csv',
} as const;

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `o2c-${prefix}-`));
}

/**
 * Copies corpus files into `dir`, renamed by `rename` and edited by `edit`
 * (which gets the file's lines, header first). Returns the written paths.
 */
export async function copyCorpusFiles(
  dir: string,
  files: readonly string[],
  rename: (name: string) => string = (name) => name,
  edit: (name: string, lines: string[]) => string[] = (_name, lines) => lines,
): Promise<string[]> {
  const written: string[] = [];
  for (const name of files) {
    const text = await readFile(join(CORPUS_DIR, name), 'utf8');
    const lines = edit(name, text.split('\n'));
    const target = join(dir, rename(name));
    await writeFile(target, lines.join('\n'));
    written.push(target);
  }
  return written;
}
