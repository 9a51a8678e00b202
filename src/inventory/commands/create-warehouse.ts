import { z } from 'zod';

import { runCommand, type CommandContext } from '../../platform/command.js';
import { isUniqueViolation } from '../../platform/database.js';
import { appendHistory } from '../../platform/history.js';
import { reject, type Result } from '../../platform/rejection.js';
import { validateInput } from '../../platform/validation.js';
import { businessCode, countryCode } from '../../shared/field-schemas.js';

/** Largest value of a PostgreSQL integer, the type of warehouse.priority. */
const MAX_INTEGER = 2_147_483_647;

export const createWarehouseSchema = z.object({
  code: businessCode,
  name: z.string().trim().min(1, 'must not be empty'),
  countryCode,
  /** Rank in which warehouses are tried when stock is reserved, lowest first. Defaults to 100. */
  priority: z
    .number()
    .int('must be a whole number')
    .min(0, 'must be 0 or more')
    .max(MAX_INTEGER, `must be at most ${MAX_INTEGER}`)
    .default(100),
});

export type CreateWarehouseInput = z.input<typeof createWarehouseSchema>;

export interface WarehouseView {
  id: string;
  code: string;
  name: string;
  countryCode: string;
  priority: number;
}

/** Creates a warehouse that stock can be received into and reserved from, and writes a `created` history row. */
export async function createWarehouse(ctx: CommandContext, input: CreateWarehouseInput): Promise<Result<WarehouseView>> {
  const validated = validateInput(createWarehouseSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  try {
    return await runCommand(ctx, 'create-warehouse', async (trx) => {
      const row = await trx
        .insertInto('warehouse')
        .values({
          company_id: ctx.companyId,
          code: request.code,
          name: request.name,
          country_code: request.countryCode,
          priority: request.priority,
        })
        .returning(['id', 'code', 'name', 'country_code', 'priority'])
        .executeTakeFirstOrThrow();

      const warehouse: WarehouseView = { id: row.id, code: row.code, name: row.name, countryCode: row.country_code, priority: row.priority };
      await appendHistory(trx, {
        companyId: ctx.companyId,
        entityType: 'warehouse',
        entityId: warehouse.id,
        orderId: null,
        event: 'created',
        actor: ctx.actor,
        details: { code: warehouse.code, name: warehouse.name, countryCode: warehouse.countryCode, priority: warehouse.priority },
        occurredAt: ctx.clock.now(),
      });

      return warehouse;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'warehouse_company_id_code_key')) {
      return reject(
        'duplicate_warehouse_code',
        `Warehouse code ${request.code} is already in use. Choose another code.`,
        { warehouseCode: request.code },
        '/code',
      );
    }
    throw error;
  }
}
