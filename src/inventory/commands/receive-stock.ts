import { sql } from 'kysely';
import { z } from 'zod';

import { Dec } from '../../money/index.js';
import { fillBackorders } from '../../orders/fill-backorders.js';
import { retryOnDuplicateKey, runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory } from '../../platform/history.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { signedQuantity } from '../../shared/field-schemas.js';

const stockMovementSchema = z.object({
  sku: z.string().min(1),
  warehouseCode: z.string().min(1),
  /** Receipts are positive; adjustments may be negative (leading "-"). */
  quantity: signedQuantity,
  reference: z.string().max(200).nullish(),
  reason: z.string().max(500).nullish(),
  idempotencyKey: z.string().max(200).nullish(),
});

export type StockMovementInput = z.input<typeof stockMovementSchema>;

export interface StockMovementOutcome {
  movementId: string;
  /** False when the idempotency key repeated an earlier movement. */
  created: boolean;
  onHand: string;
  reserved: string;
  /** Orders confirmed because this stock covered their shortage. */
  releasedOrders: string[];
}

/** Books goods received into a warehouse and serves waiting orders from them. */
export async function receiveStock(ctx: CommandContext, input: StockMovementInput): Promise<Result<StockMovementOutcome>> {
  return moveStock(ctx, input, 'receipt');
}

/**
 * Corrects on-hand stock after a count. A decrease may not take stock that
 * is reserved for orders: cancel or ship those first.
 */
export async function adjustStock(ctx: CommandContext, input: StockMovementInput): Promise<Result<StockMovementOutcome>> {
  return moveStock(ctx, input, 'adjustment');
}

async function moveStock(ctx: CommandContext, input: StockMovementInput, kind: 'receipt' | 'adjustment'): Promise<Result<StockMovementOutcome>> {
  return retryOnDuplicateKey(['stock_movement_idempotency'], () => moveStockOnce(ctx, input, kind));
}

async function moveStockOnce(ctx: CommandContext, input: StockMovementInput, kind: 'receipt' | 'adjustment'): Promise<Result<StockMovementOutcome>> {
  const validated = validateInput(stockMovementSchema, input);
  if (!validated.ok) return validated;
  const movement = validated.value;
  const quantity = new Dec(movement.quantity);

  if (quantity.isZero() || (kind === 'receipt' && quantity.isNegative())) {
    return {
      ok: false,
      rejection: {
        code: 'validation_failed',
        message: `Invalid ${kind} quantity "${movement.quantity}": ${kind === 'receipt' ? 'a receipt must be positive' : 'an adjustment must not be zero'}.`,
        facts: { quantity: movement.quantity },
        pointer: '/quantity',
      },
    };
  }

  return runCommand(ctx, `${kind}-stock`, async (trx) => {
    const at = ctx.clock.now();
    if (movement.idempotencyKey) {
      const earlier = await trx
        .selectFrom('stock_movement')
        .select(['id', 'product_id', 'warehouse_id'])
        .where('company_id', '=', ctx.companyId)
        .where('idempotency_key', '=', movement.idempotencyKey)
        .executeTakeFirst();
      if (earlier) {
        const level = await readLevel(trx, earlier.product_id, earlier.warehouse_id);
        return { movementId: earlier.id, created: false, ...level, releasedOrders: [] };
      }
    }

    const { productId, warehouseId } = await resolveStockPlace(trx, ctx.companyId, movement.sku, movement.warehouseCode);

    const changed = await changeOnHand(trx, ctx.companyId, productId, warehouseId, quantity);
    if (!changed) {
      const level = await readLevel(trx, productId, warehouseId);
      rejectAndRollBack(
        'insufficient_stock',
        `Cannot lower ${movement.sku} in ${movement.warehouseCode} by ${quantity.neg().toString()}: only ${new Dec(level.onHand).minus(level.reserved).toString()} is not reserved for orders.`,
        { sku: movement.sku, warehouseCode: movement.warehouseCode, requested: quantity.neg().toString(), ...level },
        '/quantity',
      );
    }

    const inserted = await trx
      .insertInto('stock_movement')
      .values({
        company_id: ctx.companyId,
        product_id: productId,
        warehouse_id: warehouseId,
        kind,
        quantity: quantity.toString(),
        reference: movement.reference ?? null,
        reason: movement.reason ?? null,
        occurred_at: at,
        actor: ctx.actor,
        idempotency_key: movement.idempotencyKey ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    await appendHistory(trx, {
      companyId: ctx.companyId,
      entityType: 'stock',
      entityId: inserted.id,
      orderId: null,
      event: kind,
      actor: ctx.actor,
      reason: movement.reason ?? null,
      details: { sku: movement.sku, warehouseCode: movement.warehouseCode, quantity: quantity.toString(), reference: movement.reference ?? null },
      occurredAt: at,
    });

    const releasedOrders = quantity.isPositive()
      ? await fillBackorders(trx, { companyId: ctx.companyId, productId, actor: 'system', at })
      : [];
    const level = await readLevel(trx, productId, warehouseId);
    return { movementId: inserted.id, created: true, ...level, releasedOrders };
  });
}

async function resolveStockPlace(trx: Tx, companyId: string, sku: string, warehouseCode: string) {
  const product = await trx.selectFrom('product').select('id').where('company_id', '=', companyId).where('sku', '=', sku).executeTakeFirst();
  if (!product) {
    rejectAndRollBack('product_not_found', `Unknown SKU ${sku}; create the product first.`, { sku }, '/sku');
  }
  const warehouse = await trx
    .selectFrom('warehouse')
    .select('id')
    .where('company_id', '=', companyId)
    .where('code', '=', warehouseCode)
    .executeTakeFirst();
  if (!warehouse) {
    rejectAndRollBack('warehouse_not_found', `Unknown warehouse ${warehouseCode}.`, { warehouseCode }, '/warehouseCode');
  }
  return { productId: product.id, warehouseId: warehouse.id };
}

async function readLevel(trx: Tx, productId: string, warehouseId: string) {
  const level = await trx
    .selectFrom('stock_level')
    .select(['on_hand', 'reserved'])
    .where('product_id', '=', productId)
    .where('warehouse_id', '=', warehouseId)
    .executeTakeFirst();
  return { onHand: new Dec(level?.on_hand ?? '0').toString(), reserved: new Dec(level?.reserved ?? '0').toString() };
}

/**
 * Adds to on-hand stock, creating the level row on first receipt. A decrease
 * is one conditional UPDATE that keeps on hand ≥ reserved, so it cannot take
 * stock promised to orders. It returns false when it would.
 */
async function changeOnHand(trx: Tx, companyId: string, productId: string, warehouseId: string, quantity: Dec): Promise<boolean> {
  if (quantity.isPositive()) {
    await sql`
      INSERT INTO stock_level (company_id, product_id, warehouse_id, on_hand, reserved)
      VALUES (${companyId}, ${productId}, ${warehouseId}, ${quantity.toString()}::numeric, 0)
      ON CONFLICT (product_id, warehouse_id) DO UPDATE SET on_hand = stock_level.on_hand + excluded.on_hand
    `.execute(trx);
    return true;
  }

  const decreased = await sql`
    UPDATE stock_level SET on_hand = on_hand + ${quantity.toString()}::numeric
    WHERE product_id = ${productId} AND warehouse_id = ${warehouseId}
      AND on_hand + ${quantity.toString()}::numeric >= reserved
  `.execute(trx);
  return (decreased.numAffectedRows ?? 0n) > 0n;
}
