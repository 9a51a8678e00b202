import type { HistoryEntityType } from './schema.js';
import type { Tx } from './command.js';

export interface HistoryEntry {
  companyId: string;
  entityType: HistoryEntityType;
  entityId: string;
  /** The sales order the change belongs to, so an order's timeline is one query. */
  orderId: string | null;
  event: string;
  fromStatus?: string | null;
  toStatus?: string | null;
  actor: string;
  reason?: string | null;
  details?: Record<string, unknown>;
  occurredAt: Date;
}

/** Appends rows to the document timeline; history is never updated. */
export async function appendHistory(trx: Tx, entries: HistoryEntry | HistoryEntry[]): Promise<void> {
  const rows = Array.isArray(entries) ? entries : [entries];
  if (rows.length === 0) return;

  await trx
    .insertInto('history')
    .values(
      rows.map((entry) => ({
        company_id: entry.companyId,
        entity_type: entry.entityType,
        entity_id: entry.entityId,
        order_id: entry.orderId,
        event: entry.event,
        from_status: entry.fromStatus ?? null,
        to_status: entry.toStatus ?? null,
        actor: entry.actor,
        reason: entry.reason ?? null,
        details: JSON.stringify(entry.details ?? {}, jsonReplacer),
        occurred_at: entry.occurredAt,
      })),
    )
    .execute();
}

/** Writes bigint amounts and decimals as strings, the way the API sends them. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  return value;
}
