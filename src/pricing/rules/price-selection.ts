import type { Dec } from '../../money/index.js';
import { compareDates, parseCalendarDate } from '../../shared/calendar-date.js';

/** A unit price from a price list, for every customer (customerId null) or one customer. */
export interface PriceListEntry {
  productId: string;
  customerId: string | null;
  /** Smallest order line quantity the price applies to (a quantity break). */
  minQuantity: Dec;
  unitPrice: Dec;
  /** First day the price applies. */
  validFrom: string;
  /** Last day the price applies, inclusive, or null when the price has no end date. */
  validTo: string | null;
}

export interface PriceSelectionInput {
  entries: readonly PriceListEntry[];
  productId: string;
  customerId: string | null;
  quantity: Dec;
  onDate: string;
}

/**
 * Selects the unit price for an order line, or null when no entry applies.
 * An entry applies when it is for this product, valid on `onDate`, for this
 * customer or for every customer, and its minQuantity is at most `quantity`.
 * Among those, a customer-specific entry beats a general one, then the
 * greatest minQuantity wins, then the latest validFrom. A customer whose own
 * entries all need a larger quantity therefore gets the general price.
 */
export function selectPrice(input: PriceSelectionInput): PriceListEntry | null {
  const { productId, customerId, quantity } = input;
  const onDate = parseCalendarDate(input.onDate, 'onDate');
  if (!quantity.isFinite() || quantity.lessThan(0)) {
    throw new RangeError(`Invalid quantity ${quantity.toString()} for product ${productId}: expected 0 or more`);
  }

  const applicable = input.entries.filter(
    (entry) =>
      entry.productId === productId &&
      (entry.customerId === null || entry.customerId === customerId) &&
      compareDates(entry.validFrom, onDate) <= 0 &&
      (entry.validTo === null || compareDates(onDate, entry.validTo) <= 0) &&
      entry.minQuantity.lessThanOrEqualTo(quantity),
  );
  if (applicable.length === 0) return null;

  const ranked = [...applicable].sort(comparePreference);
  const [best, runnerUp] = ranked;
  if (best !== undefined && runnerUp !== undefined && comparePreference(best, runnerUp) === 0) {
    throw new Error(
      `Ambiguous price list for product ${productId}: two entries for customer ${best.customerId ?? 'any'} ` +
        `with minimum quantity ${best.minQuantity.toString()} from ${best.validFrom}; remove one`,
    );
  }
  return best ?? null;
}

/** Sorts the preferred entry first. */
function comparePreference(a: PriceListEntry, b: PriceListEntry): number {
  const aSpecific = a.customerId !== null;
  const bSpecific = b.customerId !== null;
  if (aSpecific !== bSpecific) return aSpecific ? -1 : 1;

  const byQuantity = b.minQuantity.comparedTo(a.minQuantity);
  if (byQuantity !== 0) return byQuantity;

  return compareDates(b.validFrom, a.validFrom);
}
