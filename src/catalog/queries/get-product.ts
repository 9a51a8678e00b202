import type { Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB, ProductTable } from '../../platform/schema.js';
import { unitName } from '../rules/units.js';

export interface ProductView {
  id: string;
  sku: string;
  name: string;
  /** UN/ECE Recommendation 20 code, such as "C62" or "KGM". */
  unitCode: string;
  /** English name of the unit, such as "kilogram", or null for a code missing from the unit table. */
  unitName: string | null;
  gtin: string | null;
  taxCategory: ProductTable['tax_category'];
  /** Cost of one unit as a decimal string in the company currency. */
  standardCost: string;
  replenishmentLeadTimeDays: number;
  stocked: boolean;
  createdAt: string;
}

/** Reads one product by SKU. Works inside or outside a transaction. */
export async function getProduct(db: Kysely<DB>, companyId: string, sku: string): Promise<ProductView> {
  const product = await db
    .selectFrom('product')
    .selectAll()
    .where('company_id', '=', companyId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  if (!product) {
    rejectAndRollBack('product_not_found', `Product ${sku} was not found. Create the product or correct the SKU.`, { sku });
  }

  return {
    id: product.id,
    sku: product.sku,
    name: product.name,
    unitCode: product.unit_code,
    unitName: unitName(product.unit_code) ?? null,
    gtin: product.gtin,
    taxCategory: product.tax_category,
    standardCost: new Dec(product.standard_cost).toString(),
    replenishmentLeadTimeDays: product.replenishment_lead_time_days,
    stocked: product.stocked,
    createdAt: product.created_at.toISOString(),
  };
}
