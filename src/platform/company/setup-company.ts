import type { Kysely } from 'kysely';

import { STANDARD_PAYMENT_TERMS } from '../../invoicing/rules/payment-terms.js';
import { isKnownCurrency } from '../../money/index.js';
import { isCountryCode } from '../../shared/country-codes.js';
import type { Clock } from '../clock.js';
import { appendHistory, type HistoryEntry } from '../history.js';
import type { DB } from '../schema.js';

export interface SetupCompanyInput {
  code: string;
  name: string;
  /** ISO 4217 code of the home currency, which the default price list uses. */
  currency: string;
  /** ISO 3166-1 alpha-2 code of the company's country, also used for the default warehouse. */
  countryCode: string;
  /** True when the default price list contains tax-inclusive (gross) prices. Defaults to false. */
  pricesIncludeTax?: boolean;
}

export interface CompanyView {
  id: string;
  code: string;
  name: string;
  currency: string;
  countryCode: string;
}

export const DEFAULT_WAREHOUSE_CODE = 'MAIN';

/** Actor of the history rows when the caller names none, as for setup from configuration or a replay. */
export const SETUP_ACTOR = 'system';

export function defaultPriceListCode(currency: string): string {
  return `DEFAULT-${currency}`;
}

/**
 * Creates a company in one transaction, with the standard payment terms, an
 * empty default price list in its currency and a default warehouse, and
 * returns its id. The company, the price list and the warehouse each get a
 * `created` history row with `actor`. When a company with this code exists,
 * returns its id and changes nothing, even where the other fields differ.
 *
 * Invalid input throws a RangeError instead of returning a rejection,
 * because companies are set up from configuration, the CLI and tests.
 */
export async function setupCompany(
  db: Kysely<DB>,
  clock: Clock,
  input: SetupCompanyInput,
  actor: string = SETUP_ACTOR,
): Promise<string> {
  validateSetupInput(input);

  return db.transaction().execute(async (trx) => {
    const at = clock.now();
    // ON CONFLICT makes a concurrent second setup wait for the first and then
    // insert nothing, so both return the same id.
    const inserted = await trx
      .insertInto('company')
      .values({
        code: input.code,
        name: input.name,
        currency: input.currency,
        country_code: input.countryCode,
        created_at: at,
      })
      .onConflict((conflict) => conflict.column('code').doNothing())
      .returning('id')
      .executeTakeFirst();

    if (!inserted) {
      const existing = await trx.selectFrom('company').select('id').where('code', '=', input.code).executeTakeFirstOrThrow();
      return existing.id;
    }
    const companyId = inserted.id;

    await trx
      .insertInto('payment_terms')
      .values(
        STANDARD_PAYMENT_TERMS.map((terms) => ({
          company_id: companyId,
          code: terms.code,
          description: terms.description,
          net_days: terms.netDays,
          discount_days: terms.discountDays,
          discount_percent: terms.discountPercent === null ? null : terms.discountPercent.toString(),
        })),
      )
      .execute();

    const priceList = await trx
      .insertInto('price_list')
      .values({
        company_id: companyId,
        code: defaultPriceListCode(input.currency),
        currency: input.currency,
        prices_include_tax: input.pricesIncludeTax ?? false,
        is_default: true,
      })
      .returning(['id', 'code', 'currency', 'prices_include_tax', 'is_default'])
      .executeTakeFirstOrThrow();

    const warehouse = await trx
      .insertInto('warehouse')
      .values({
        company_id: companyId,
        code: DEFAULT_WAREHOUSE_CODE,
        name: 'Main warehouse',
        country_code: input.countryCode,
      })
      .returning(['id', 'code', 'name', 'country_code', 'priority'])
      .executeTakeFirstOrThrow();

    const created = { companyId, orderId: null, event: 'created', actor, occurredAt: at } satisfies Partial<HistoryEntry>;
    await appendHistory(trx, [
      {
        ...created,
        entityType: 'company',
        entityId: companyId,
        details: {
          code: input.code,
          name: input.name,
          currency: input.currency,
          countryCode: input.countryCode,
          paymentTermsCodes: STANDARD_PAYMENT_TERMS.map((terms) => terms.code),
        },
      },
      {
        ...created,
        entityType: 'price_list',
        entityId: priceList.id,
        details: {
          code: priceList.code,
          currency: priceList.currency,
          pricesIncludeTax: priceList.prices_include_tax,
          isDefault: priceList.is_default,
        },
      },
      {
        ...created,
        entityType: 'warehouse',
        entityId: warehouse.id,
        details: {
          code: warehouse.code,
          name: warehouse.name,
          countryCode: warehouse.country_code,
          priority: warehouse.priority,
        },
      },
    ]);

    return companyId;
  });
}

/** Returns the company with this code, or null when there is none. */
export async function findCompany(db: Kysely<DB>, code: string): Promise<CompanyView | null> {
  const row = await db
    .selectFrom('company')
    .select(['id', 'code', 'name', 'currency', 'country_code'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!row) return null;

  return { id: row.id, code: row.code, name: row.name, currency: row.currency, countryCode: row.country_code };
}

function validateSetupInput(input: SetupCompanyInput): void {
  if (input.code.trim() === '' || input.code !== input.code.trim()) {
    throw new RangeError(`Invalid company code "${input.code}": expected a non-empty code without surrounding blanks`);
  }
  if (input.name.trim() === '') {
    throw new RangeError(`Invalid name for company ${input.code}: expected a non-empty name`);
  }
  if (!isKnownCurrency(input.currency)) {
    throw new RangeError(
      `Unknown currency "${input.currency}" for company ${input.code}: expected an ISO 4217 code in upper case, such as "EUR"`,
    );
  }
  if (!isCountryCode(input.countryCode)) {
    throw new RangeError(
      `Invalid country code "${input.countryCode}" for company ${input.code}: ` +
        'expected an ISO 3166-1 alpha-2 code in upper case, such as "DE"',
    );
  }
}
