import type pg from 'pg';

import type { RequestOutcome } from './closed-loop.js';
import { submitOrderWithPlainSql } from './plain-sql-intake.js';
import type { BenchPurchaseOrder } from './purchase-orders.js';

/** Actor of orders sent without an O2C-Actor header. The plain-SQL path writes the same actor. */
export const INTAKE_ACTOR = 'api';

/**
 * Sends one purchase order to POST /orders. Only a 201 with a confirmed
 * sales order counts as success. Any other response is a failure that
 * reports the status and the start of the body.
 */
export async function postOrder(baseUrl: string, po: BenchPurchaseOrder): Promise<RequestOutcome & { orderId?: string }> {
  const response = await fetch(`${baseUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(po),
  });
  const text = await response.text();
  if (response.status !== 201) {
    return { ok: false, reason: `POST /orders returned ${response.status}: ${text.slice(0, 300)}` };
  }

  const order = JSON.parse(text) as { id: string; status: string; customerPoNumber: string | null };
  if (order.status !== 'confirmed') {
    return { ok: false, reason: `POST /orders created order ${order.id} as ${order.status}, not confirmed: ${text.slice(0, 300)}` };
  }
  if (order.customerPoNumber !== po.customerPoNumber) {
    return { ok: false, reason: `POST /orders returned PO number ${order.customerPoNumber} for ${po.customerPoNumber}` };
  }
  return { ok: true, orderId: order.id };
}

/** Runs the plain-SQL intake for one purchase order. Only a newly created, confirmed order counts as success. */
export async function insertOrderWithPlainSql(
  pool: pg.Pool,
  companyId: string,
  po: BenchPurchaseOrder,
): Promise<RequestOutcome & { orderId?: string }> {
  const outcome = await submitOrderWithPlainSql(pool, companyId, po, INTAKE_ACTOR);
  if (!outcome.created) {
    return { ok: false, reason: `plain-SQL intake found an earlier order for PO ${po.customerPoNumber}` };
  }
  if (outcome.status !== 'confirmed') {
    return { ok: false, reason: `plain-SQL intake put order ${outcome.orderId} ${outcome.status}, not confirmed` };
  }
  return { ok: true, orderId: outcome.orderId };
}
