/**
 * Expected rejections: a stable snake_case code, a sentence for people and the
 * facts behind it. Bugs are thrown instead. REJECTION_HTTP_STATUS maps every
 * code to its HTTP status; adding a code without a status does not compile.
 */
export const REJECTION_HTTP_STATUS = {
  invalid_request: 400,
  validation_failed: 422,
  value_out_of_range: 422,
  company_not_found: 404,
  customer_not_found: 404,
  product_not_found: 404,
  order_not_found: 404,
  order_line_not_found: 404,
  shipment_not_found: 404,
  invoice_not_found: 404,
  payment_not_found: 404,
  warehouse_not_found: 404,
  price_list_not_found: 404,
  duplicate_customer_code: 409,
  duplicate_sku: 409,
  duplicate_warehouse_code: 409,
  duplicate_gtin: 409,
  duplicate_price_list_code: 409,
  duplicate_default_price_list: 409,
  duplicate_price_list_item: 409,
  unknown_payment_terms: 422,
  unknown_currency: 422,
  invalid_unit_code: 422,
  invalid_gtin: 422,
  price_list_missing: 422,
  price_missing: 422,
  tax_rate_missing: 422,
  currency_mismatch: 422,
  invalid_transition: 409,
  guard_failed: 409,
  order_not_confirmed: 409,
  nothing_to_ship: 409,
  insufficient_stock: 409,
  shipment_not_planned: 409,
  quantity_below_shipped: 409,
  quantity_exceeds_returnable: 409,
  over_application: 409,
  invoice_not_open: 409,
  idempotency_key_reused: 422,
  idempotency_request_in_progress: 409,
  route_not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  database_unavailable: 503,
} as const;

export type RejectionCode = keyof typeof REJECTION_HTTP_STATUS;

export interface Rejection {
  code: RejectionCode;
  message: string;
  facts: Record<string, unknown>;
  /** JSON pointer of the offending request field, when one field is to blame. */
  pointer?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; rejection: Rejection };

export function success<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function reject<T = never>(
  code: RejectionCode,
  message: string,
  facts: Record<string, unknown> = {},
  pointer?: string,
): Result<T> {
  return { ok: false, rejection: pointer === undefined ? { code, message, facts } : { code, message, facts, pointer } };
}

/**
 * Thrown inside a transaction to roll it back with an expected rejection;
 * `runCommand` turns it back into a Result after the rollback.
 */
export class RejectionError extends Error {
  constructor(readonly rejection: Rejection) {
    super(`${rejection.code}: ${rejection.message}`);
    this.name = 'RejectionError';
  }
}

export function rejectAndRollBack(
  code: RejectionCode,
  message: string,
  facts: Record<string, unknown> = {},
  pointer?: string,
): never {
  const result = reject(code, message, facts, pointer);
  if (result.ok) throw new Error('unreachable');
  throw new RejectionError(result.rejection);
}
