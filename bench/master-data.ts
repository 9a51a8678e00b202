import type { Kysely } from 'kysely';

import { createProduct } from '../src/catalog/commands/create-product.js';
import { receiveStock } from '../src/inventory/commands/receive-stock.js';
import { createCustomer } from '../src/parties/commands/create-customer.js';
import type { Clock } from '../src/platform/clock.js';
import type { CommandContext } from '../src/platform/command.js';
import { DEFAULT_WAREHOUSE_CODE, defaultPriceListCode, setupCompany } from '../src/platform/company/setup-company.js';
import type { Logger } from '../src/platform/logger.js';
import type { Result } from '../src/platform/rejection.js';
import type { DB } from '../src/platform/schema.js';
import { setPrice } from '../src/pricing/commands/set-price.js';
import { setTaxRate } from '../src/tax/commands/set-tax-rate.js';

export const BENCH_COMPANY_CODE = 'BENCH';
const CURRENCY = 'EUR';

/**
 * Stock received per product. An order line takes at most 10 units, so each
 * product covers 10 million order lines and no order waits for stock.
 */
const STOCK_PER_PRODUCT = '100000000';

/** Credit limit of every customer, in euros: high enough that no order goes on a credit hold. */
const CREDIT_LIMIT = '1000000000.00';

/** Master data commands that run at once during setup. */
const SETUP_CONCURRENCY = 8;

export interface MasterData {
  companyId: string;
  customerCodes: string[];
  skus: string[];
}

/** Ship-to countries of the customers, in turn: DE has its own tax rates, AT and FR use the '*' rates. */
const SHIP_TO_COUNTRIES = ['DE', 'DE', 'AT', 'FR'] as const;

/**
 * Sets up the company, tax rates, customers, products, prices and stock
 * through the same commands that the API and the CLI call. Every customer
 * has a credit limit, so each order runs the credit exposure query.
 */
export async function createMasterData(
  db: Kysely<DB>,
  clock: Clock,
  logger: Logger,
  counts: { customers: number; products: number },
): Promise<MasterData> {
  const companyId = await setupCompany(db, clock, { code: BENCH_COMPANY_CODE, name: 'Benchmark GmbH', currency: CURRENCY, countryCode: 'DE' });
  const ctx: CommandContext = { db, clock, logger, companyId, actor: 'bench-setup' };

  const rates = [
    { countryCode: 'DE', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: '19' },
    { countryCode: 'DE', taxCategory: 'reduced', vatCategoryCode: 'S', ratePercent: '7' },
    { countryCode: '*', taxCategory: 'standard', vatCategoryCode: 'S', ratePercent: '20' },
    { countryCode: '*', taxCategory: 'reduced', vatCategoryCode: 'S', ratePercent: '10' },
  ] as const;
  for (const rate of rates) {
    expectOk(await setTaxRate(ctx, rate), `tax rate ${rate.countryCode}/${rate.taxCategory}`);
  }

  const customerCodes = range(counts.customers).map((index) => `C${pad(index + 1, 5)}`);
  await forEachConcurrently(customerCodes, async (code, index) => {
    const countryCode = SHIP_TO_COUNTRIES[index % SHIP_TO_COUNTRIES.length]!;
    const address = { name: `Customer ${code}`, line1: `Street ${index + 1}`, city: 'City', postalCode: '10115', countryCode };
    const created = await createCustomer(ctx, {
      code,
      name: `Customer ${code}`,
      currency: CURRENCY,
      paymentTermsCode: 'NET30',
      creditLimit: CREDIT_LIMIT,
      billTo: address,
      shipTo: [address],
    });
    expectOk(created, `customer ${code}`);
  });

  const skus = range(counts.products).map((index) => `P${pad(index + 1, 6)}`);
  await forEachConcurrently(skus, async (sku, index) => {
    expectOk(
      await createProduct(ctx, {
        sku,
        name: `Product ${sku}`,
        unitCode: 'C62',
        // Every fourth product is taxed at the reduced rate, so orders carry two tax rates.
        taxCategory: index % 4 === 3 ? 'reduced' : 'standard',
      }),
      `product ${sku}`,
    );
    expectOk(await setPrice(ctx, { priceListCode: defaultPriceListCode(CURRENCY), sku, unitPrice: unitPriceOf(index) }), `price of ${sku}`);
    expectOk(
      await receiveStock(ctx, { sku, warehouseCode: DEFAULT_WAREHOUSE_CODE, quantity: STOCK_PER_PRODUCT, reference: 'benchmark stock' }),
      `stock of ${sku}`,
    );
  });

  return { companyId, customerCodes, skus };
}

/** Returns a unit price from 1.00 to 199.99 that differs from product to product. */
function unitPriceOf(index: number): string {
  const euros = 1 + ((index * 37) % 199);
  const cents = (index * 13) % 100;
  return `${euros}.${pad(cents, 2)}`;
}

function expectOk<T>(result: Result<T>, description: string): T {
  if (!result.ok) {
    throw new Error(`Benchmark setup failed to create ${description}: ${result.rejection.code}: ${result.rejection.message}`);
  }
  return result.value;
}

async function forEachConcurrently<T>(items: readonly T[], work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      await work(items[index]!, index);
    }
  };
  await Promise.all(range(Math.min(SETUP_CONCURRENCY, items.length)).map(worker));
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
