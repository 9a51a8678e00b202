import { addDays, compareDates, parseCalendarDate } from '../../shared/calendar-date.js';

export interface PromiseShipDateInput {
  orderDate: string;
  /** The ship date the customer asked for, or null for as soon as possible. */
  requestedDate: string | null;
  /** Whether stock is reserved for the whole line quantity. */
  fullyReserved: boolean;
  /** Calendar days until a shortage is replenished. */
  replenishmentLeadTimeDays: number;
}

/**
 * Computes the ship date promised for an order line, the date that on-time
 * delivery is measured against. It is a ship date, not a delivery date, so
 * transit time is not added.
 *
 * The earliest possible ship date is the order date when the line is fully
 * reserved, and the order date plus the replenishment lead time when it is
 * short. A requested date later than that is promised instead, because the
 * customer asked for the goods on that date and not before. A requested date
 * earlier than possible does not make the promise earlier.
 *
 * NOTE: the lead time counts calendar days and applies to the whole shortage.
 * Expected receipts and the warehouse's working days are not used yet.
 */
export function promiseShipDate(input: PromiseShipDateInput): string {
  const orderDate = parseCalendarDate(input.orderDate, 'orderDate');
  const requestedDate = input.requestedDate === null ? null : parseCalendarDate(input.requestedDate, 'requestedDate');
  const leadTime = input.replenishmentLeadTimeDays;
  if (!Number.isSafeInteger(leadTime) || leadTime < 0) {
    throw new RangeError(`Invalid replenishment lead time: ${leadTime} days (expected a whole number, 0 or more)`);
  }

  const earliest = input.fullyReserved ? orderDate : addDays(orderDate, leadTime);
  if (requestedDate !== null && compareDates(requestedDate, earliest) > 0) return requestedDate;
  return earliest;
}
