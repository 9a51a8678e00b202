import { sql, type Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import type { DB } from '../../platform/schema.js';

/**
 * Days sales outstanding per currency: open AR at `asOf` ÷ credit sales
 * (invoices − credit notes, gross) invoiced in the `periodDays` before it ×
 * days in the period. Open AR here counts open invoices only, as of now:
 * run it at the end of a period, not back-dated.
 */
export async function getDaysSalesOutstanding(
  db: Kysely<DB>,
  companyId: string,
  asOf: string,
  periodDays = 90,
): Promise<Record<string, string | null>> {
  const rows = await sql<{ currency: string; open_minor: string; sales_minor: string }>`
    SELECT currency,
           SUM(CASE WHEN kind = 'invoice' THEN open_minor ELSE -open_minor END)::text AS open_minor,
           SUM(CASE WHEN issue_date > ${asOf}::date - ${periodDays}::int AND issue_date <= ${asOf}::date
                    THEN CASE WHEN kind = 'invoice' THEN gross_minor ELSE -gross_minor END ELSE 0 END)::text AS sales_minor
    FROM invoice WHERE company_id = ${companyId}
    GROUP BY currency
  `.execute(db);

  return Object.fromEntries(
    rows.rows.map((row) => {
      const sales = new Dec(row.sales_minor);
      const dso = sales.lte(0) ? null : new Dec(row.open_minor).dividedBy(sales).times(periodDays).toDecimalPlaces(1).toString();
      return [row.currency, dso];
    }),
  );
}
