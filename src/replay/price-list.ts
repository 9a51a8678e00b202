import { Dec } from '../money/index.js';
import { addDays } from './dates.js';
import type { PriceListEntrySeed } from './model.js';

/** A price the data shows a customer paying for a quantity on a date. */
export interface PriceObservation {
  sku: string;
  /** Customer the price applies to, or null for the general price list. */
  customerCode: string | null;
  date: string;
  sourceRow: number;
  quantity: Dec;
  unitPrice: Dec;
}

function groupByScope(observations: readonly PriceObservation[]): PriceObservation[][] {
  const groups = new Map<string, PriceObservation[]>();
  for (const observation of observations) {
    const key = `${observation.sku}\u0000${observation.customerCode ?? ''}`;
    const group = groups.get(key) ?? [];
    group.push(observation);
    groups.set(key, group);
  }
  return [...groups.values()].map((group) => [...group].sort((a, b) => a.date.localeCompare(b.date) || a.sourceRow - b.sourceRow));
}

function sortEntries(entries: PriceListEntrySeed[]): PriceListEntrySeed[] {
  const customerKey = (entry: PriceListEntrySeed) => entry.customerCode ?? '';
  return entries.sort(
    (a, b) =>
      a.sku.localeCompare(b.sku) ||
      customerKey(a).localeCompare(customerKey(b)) ||
      a.minQuantity.comparedTo(b.minQuantity) ||
      a.validFrom.localeCompare(b.validFrom),
  );
}

/**
 * Derives a price list with no quantity breaks: per SKU and customer, each
 * distinct price is valid from the first date it appears on until the day
 * before the next different price appears. When two rows of one day disagree,
 * the list keeps the earlier row's price, so the later row does not match it.
 */
export function derivePriceListByDate(observations: readonly PriceObservation[]): PriceListEntrySeed[] {
  const entries: PriceListEntrySeed[] = [];
  for (const group of groupByScope(observations)) {
    let current: PriceListEntrySeed | null = null;
    for (const observation of group) {
      if (current !== null && current.unitPrice.eq(observation.unitPrice)) continue;
      if (current !== null && current.validFrom === observation.date) continue;
      if (current !== null) current.validTo = addDays(observation.date, -1);
      current = {
        sku: observation.sku,
        customerCode: observation.customerCode,
        minQuantity: new Dec(1),
        unitPrice: observation.unitPrice,
        validFrom: observation.date,
        validTo: null,
      };
      entries.push(current);
    }
  }
  return sortEntries(entries);
}

/**
 * Derives a price list with quantity breaks by reading each SKU's prices in
 * date order and changing the list only when a row contradicts it:
 * - the first price seen is the price for any quantity from that date;
 * - a lower price for a larger quantity than the applicable entry's minimum
 *   starts a quantity break at that quantity;
 * - any other different price replaces the applicable entry from that date,
 *   and the replaced entry ends the day before.
 * When rows of the same day disagree, the list keeps the earlier row's price.
 */
export function derivePriceListWithQuantityBreaks(observations: readonly PriceObservation[]): PriceListEntrySeed[] {
  const entries: PriceListEntrySeed[] = [];
  for (const group of groupByScope(observations)) {
    const scopeEntries: PriceListEntrySeed[] = [];
    for (const observation of group) {
      const applicable = selectEntry(scopeEntries, observation.quantity, observation.date);
      if (applicable !== null && applicable.unitPrice.eq(observation.unitPrice)) continue;

      const startsBreak =
        applicable !== null &&
        observation.unitPrice.lt(applicable.unitPrice) &&
        observation.quantity.gt(applicable.minQuantity);
      let minQuantity = new Dec(1);
      if (applicable !== null && startsBreak) {
        minQuantity = observation.quantity;
      } else if (applicable !== null) {
        if (applicable.validFrom === observation.date) continue;
        applicable.validTo = addDays(observation.date, -1);
        minQuantity = applicable.minQuantity;
      }
      scopeEntries.push({
        sku: observation.sku,
        customerCode: observation.customerCode,
        minQuantity,
        unitPrice: observation.unitPrice,
        validFrom: observation.date,
        validTo: null,
      });
    }
    entries.push(...scopeEntries);
  }
  return sortEntries(entries);
}

function isValidOn(entry: PriceListEntrySeed, date: string): boolean {
  return entry.validFrom <= date && (entry.validTo === null || date <= entry.validTo);
}

/** Picks the valid entry with the highest minimum quantity not above `quantity`, or null. */
function selectEntry(entries: readonly PriceListEntrySeed[], quantity: Dec, date: string): PriceListEntrySeed | null {
  let best: PriceListEntrySeed | null = null;
  for (const entry of entries) {
    if (!isValidOn(entry, date) || entry.minQuantity.gt(quantity)) continue;
    if (best === null || entry.minQuantity.gt(best.minQuantity)) best = entry;
  }
  return best;
}

/**
 * Indexes a price list for look-ups by the rule on `PriceListEntrySeed`,
 * which is the pricing module's price selection rule.
 */
export class PriceListIndex {
  private readonly bySku = new Map<string, PriceListEntrySeed[]>();

  constructor(entries: readonly PriceListEntrySeed[]) {
    for (const entry of entries) {
      const list = this.bySku.get(entry.sku) ?? [];
      list.push(entry);
      this.bySku.set(entry.sku, list);
    }
  }

  /** Returns the unit price that applies, or null when the list has no applicable entry for the SKU. */
  findUnitPrice(sku: string, customerCode: string, quantity: Dec, date: string): Dec | null {
    let best: PriceListEntrySeed | null = null;
    for (const entry of this.bySku.get(sku) ?? []) {
      if (entry.customerCode !== null && entry.customerCode !== customerCode) continue;
      if (!isValidOn(entry, date) || entry.minQuantity.gt(quantity)) continue;
      if (best === null || isPreferred(entry, best)) best = entry;
    }
    return best === null ? null : best.unitPrice;
  }
}

/** Returns whether `candidate` wins over `current`: a customer's own entry first, then the higher minimum quantity, then the later start. */
function isPreferred(candidate: PriceListEntrySeed, current: PriceListEntrySeed): boolean {
  const candidateOwn = candidate.customerCode !== null;
  const currentOwn = current.customerCode !== null;
  if (candidateOwn !== currentOwn) return candidateOwn;
  const byQuantity = candidate.minQuantity.comparedTo(current.minQuantity);
  if (byQuantity !== 0) return byQuantity > 0;
  return candidate.validFrom > current.validFrom;
}
