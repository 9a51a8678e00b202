import { Dec } from '../../money/index.js';

/**
 * Per-line quantity counters of a sales order line. Progress is derived from
 * these, never stored. `reserved` is stock held and not yet shipped, and a
 * goods issue moves quantity from reserved to shipped.
 */
export interface LineQuantities {
  ordered: Dec;
  reserved: Dec;
  shipped: Dec;
  invoiced: Dec;
  returned: Dec;
  cancelled: Dec;
}

export type DeliveryStatus = 'not_shipped' | 'partially_shipped' | 'shipped';
export type BillingStatus = 'not_invoiced' | 'partially_invoiced' | 'invoiced';

const ZERO = new Dec(0);

/** Returns the quantity still to ship: ordered − shipped − cancelled, and 0 when over-shipped. */
export function openQuantity(line: LineQuantities): Dec {
  return Dec.max(ZERO, line.ordered.minus(line.shipped).minus(line.cancelled));
}

/** Returns the open quantity that no reservation covers yet: ordered − reserved − shipped − cancelled, at least 0. */
export function backorderQuantity(line: LineQuantities): Dec {
  return Dec.max(ZERO, line.ordered.minus(line.reserved).minus(line.shipped).minus(line.cancelled));
}

/**
 * Derives delivery progress against the quantity that will ship, ordered −
 * cancelled. A line with nothing shipped is not_shipped, even when it was
 * cancelled in full.
 */
export function deliveryStatus(line: LineQuantities): DeliveryStatus {
  if (line.shipped.lessThanOrEqualTo(0)) return 'not_shipped';
  return line.shipped.greaterThanOrEqualTo(deliverableQuantity(line)) ? 'shipped' : 'partially_shipped';
}

/**
 * Derives billing progress against the quantity that will be billed, ordered −
 * cancelled − returned. Returned goods leave nothing to bill, whether they came
 * back before or after they were invoiced.
 */
export function billingStatus(line: LineQuantities): BillingStatus {
  if (line.invoiced.lessThanOrEqualTo(0)) return 'not_invoiced';
  return line.invoiced.greaterThanOrEqualTo(billableQuantity(line)) ? 'invoiced' : 'partially_invoiced';
}

/**
 * Derives the order's delivery progress from its lines. Lines cancelled in
 * full before anything shipped are left out, so they do not hold the order at
 * partially_shipped. An order with no other lines is not_shipped.
 */
export function orderDeliveryStatus(lines: readonly LineQuantities[]): DeliveryStatus {
  const statuses = lines
    .filter((line) => deliverableQuantity(line).greaterThan(0) || line.shipped.greaterThan(0))
    .map(deliveryStatus);
  return combine(statuses, 'not_shipped', 'shipped', 'partially_shipped');
}

/**
 * Derives the order's billing progress from its lines. Lines with nothing to
 * bill and nothing invoiced, such as lines cancelled in full, are left out.
 */
export function orderBillingStatus(lines: readonly LineQuantities[]): BillingStatus {
  const statuses = lines
    .filter((line) => billableQuantity(line).greaterThan(0) || line.invoiced.greaterThan(0))
    .map(billingStatus);
  return combine(statuses, 'not_invoiced', 'invoiced', 'partially_invoiced');
}

function deliverableQuantity(line: LineQuantities): Dec {
  return line.ordered.minus(line.cancelled);
}

function billableQuantity(line: LineQuantities): Dec {
  return line.ordered.minus(line.cancelled).minus(line.returned);
}

function combine<Status extends string>(statuses: readonly Status[], none: Status, all: Status, partial: Status): Status {
  if (statuses.length === 0 || statuses.every((status) => status === none)) return none;
  if (statuses.every((status) => status === all)) return all;
  return partial;
}
