import { sql, type Kysely } from 'kysely';

import type { DB, HistoryEntityType } from '../../platform/schema.js';

/** One change on a sales order or on one of its shipments or invoices, as staff read it. */
export interface TimelineEntry {
  /** Business time of the change. */
  at: string;
  actor: string;
  /** The document that changed: the order itself, a shipment, an invoice or a credit note. */
  document: { type: HistoryEntityType; id: string; number: string | null };
  event: string;
  fromStatus: string | null;
  toStatus: string | null;
  reason: string | null;
  details: unknown;
}

/**
 * Reads the history of a sales order and of the shipments, invoices and
 * credit notes made for it, oldest first. Rows with the same business time
 * keep the order in which they were written.
 */
export async function getOrderTimeline(db: Kysely<DB>, companyId: string, orderId: string): Promise<TimelineEntry[]> {
  const rows = await sql<{
    occurred_at: Date;
    actor: string;
    entity_type: HistoryEntityType;
    entity_id: string;
    document_number: string | null;
    event: string;
    from_status: string | null;
    to_status: string | null;
    reason: string | null;
    details: unknown;
  }>`
    SELECT h.occurred_at, h.actor, h.entity_type, h.entity_id,
           CASE h.entity_type
             WHEN 'sales_order' THEN o.order_number
             WHEN 'shipment' THEN s.shipment_number
             WHEN 'invoice' THEN i.invoice_number
           END AS document_number,
           h.event, h.from_status, h.to_status, h.reason, h.details
    FROM history h
    LEFT JOIN sales_order o ON h.entity_type = 'sales_order' AND o.id = h.entity_id
    LEFT JOIN shipment s ON h.entity_type = 'shipment' AND s.id = h.entity_id
    LEFT JOIN invoice i ON h.entity_type = 'invoice' AND i.id = h.entity_id
    WHERE h.company_id = ${companyId} AND h.order_id = ${orderId}
    ORDER BY h.occurred_at, h.id
  `.execute(db);

  return rows.rows.map((row) => ({
    at: row.occurred_at.toISOString(),
    actor: row.actor,
    document: { type: row.entity_type, id: row.entity_id, number: row.document_number },
    event: row.event,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    reason: row.reason,
    details: row.details,
  }));
}
