import type { Kysely } from 'kysely';

import { Dec } from '../../money/index.js';
import { rejectAndRollBack } from '../../platform/rejection.js';
import type { DB } from '../../platform/schema.js';

/** Stock of one product in one warehouse; quantities are decimal strings in the product's unit. */
export interface StockLevelView {
  warehouseCode: string;
  warehouseName: string;
  onHand: string;
  reserved: string;
  /** On hand − reserved: what new orders can still reserve. */
  available: string;
}

export interface ProductStockView {
  sku: string;
  unitCode: string;
  /** False for services and charges, which have no stock. */
  stocked: boolean;
  /** Every warehouse of the company, by reservation priority; one without stock shows zeros. */
  levels: StockLevelView[];
  total: { onHand: string; reserved: string; available: string };
}

/** Reads a product's stock per warehouse; rejects with `product_not_found` for an unknown SKU. */
export async function getStock(db: Kysely<DB>, companyId: string, sku: string): Promise<ProductStockView> {
  const product = await db
    .selectFrom('product')
    .select(['id', 'sku', 'unit_code', 'stocked'])
    .where('company_id', '=', companyId)
    .where('sku', '=', sku)
    .executeTakeFirst();
  if (!product) {
    rejectAndRollBack('product_not_found', `Product ${sku} was not found; create the product or correct the SKU.`, { sku });
  }

  const rows = await db
    .selectFrom('warehouse as w')
    .leftJoin('stock_level as s', (join) => join.onRef('s.warehouse_id', '=', 'w.id').on('s.product_id', '=', product.id))
    .select(['w.code', 'w.name', 's.on_hand', 's.reserved'])
    .where('w.company_id', '=', companyId)
    .orderBy('w.priority')
    .orderBy('w.code')
    .execute();

  let onHandTotal = new Dec(0);
  let reservedTotal = new Dec(0);
  const levels = rows.map((row) => {
    const onHand = new Dec(row.on_hand ?? '0');
    const reserved = new Dec(row.reserved ?? '0');
    onHandTotal = onHandTotal.plus(onHand);
    reservedTotal = reservedTotal.plus(reserved);
    return {
      warehouseCode: row.code,
      warehouseName: row.name,
      onHand: onHand.toString(),
      reserved: reserved.toString(),
      available: onHand.minus(reserved).toString(),
    };
  });

  return {
    sku: product.sku,
    unitCode: product.unit_code,
    stocked: product.stocked,
    levels,
    total: {
      onHand: onHandTotal.toString(),
      reserved: reservedTotal.toString(),
      available: onHandTotal.minus(reservedTotal).toString(),
    },
  };
}
