import { Dec } from '../money/index.js';
import { addDays } from './dates.js';
import type { StockReceiptSeed } from './model.js';

/** Quantity of a stocked product ordered on a date. */
export interface DemandLine {
  sku: string;
  date: string;
  quantity: Dec;
}

export interface StockPlanRule {
  /** Opening stock covers what was ordered in this many days from the product's first order. */
  openingCoverDays: number;
  /** Days between two stock reviews, counted from the first order date. */
  reviewIntervalDays: number;
  /** Each review tops stock up to what was ordered in this many days before it. */
  targetWindowDays: number;
}

export const DEFAULT_STOCK_PLAN_RULE: StockPlanRule = {
  openingCoverDays: 60,
  reviewIntervalDays: 30,
  targetWindowDays: 90,
};

export interface StockPlan {
  openingStock: StockReceiptSeed[];
  replenishments: StockReceiptSeed[];
}

/**
 * Derives opening stock and replenishment receipts from the orders alone.
 *
 * Opening stock, dated the day before the first order, is per product the
 * quantity ordered in `openingCoverDays` days from that product's first order.
 * Every `reviewIntervalDays` from the first order date up to the last, each
 * product's stock position is topped up to what customers ordered in the
 * `targetWindowDays` before the review. The position is opening stock plus
 * everything already ordered from the supplier, minus everything customers
 * ordered before the review. The receipt arrives after the product's lead time. Demand that grows
 * or comes in bursts outruns this rule, so some orders meet a shortage.
 */
export function planStock(
  demand: readonly DemandLine[],
  leadTimeDays: ReadonlyMap<string, number>,
  firstOrderDate: string,
  lastOrderDate: string,
  rule: StockPlanRule = DEFAULT_STOCK_PLAN_RULE,
): StockPlan {
  const openingDate = addDays(firstOrderDate, -1);
  const reviewDates: string[] = [];
  for (let review = addDays(firstOrderDate, rule.reviewIntervalDays); review <= lastOrderDate; review = addDays(review, rule.reviewIntervalDays)) {
    reviewDates.push(review);
  }

  const bySku = new Map<string, DemandLine[]>();
  for (const line of demand) {
    const lines = bySku.get(line.sku) ?? [];
    lines.push(line);
    bySku.set(line.sku, lines);
  }

  const openingStock: StockReceiptSeed[] = [];
  const replenishments: StockReceiptSeed[] = [];
  for (const sku of [...bySku.keys()].sort()) {
    const lines = bySku.get(sku) ?? [];
    const leadTime = leadTimeDays.get(sku);
    if (leadTime === undefined) throw new Error(`No lead time for SKU ${sku}; every stocked product needs one`);

    const firstDate = lines.reduce((first, line) => (line.date < first ? line.date : first), lines[0]?.date ?? firstOrderDate);
    const coverEnd = addDays(firstDate, rule.openingCoverDays);
    const opening = sumQuantity(lines, firstDate, coverEnd);
    if (opening.gt(0)) {
      openingStock.push({
        sku,
        date: openingDate,
        quantity: opening,
        reason: `opening stock: quantity ordered in the ${rule.openingCoverDays} days from the product's first order on ${firstDate}`,
      });
    }

    let suppliedQuantity = opening;
    for (const review of reviewDates) {
      const orderedBefore = sumQuantity(lines, null, review);
      const target = sumQuantity(lines, addDays(review, -rule.targetWindowDays), review);
      const shortfall = target.minus(suppliedQuantity.minus(orderedBefore));
      if (shortfall.lte(0)) continue;
      suppliedQuantity = suppliedQuantity.plus(shortfall);
      replenishments.push({
        sku,
        date: addDays(review, leadTime),
        quantity: shortfall,
        reason: `replenishment ordered on ${review}: tops stock up to the ${target.toString()} ordered in the previous ${rule.targetWindowDays} days, arriving after the ${leadTime}-day lead time`,
      });
    }
  }

  replenishments.sort((a, b) => a.date.localeCompare(b.date) || a.sku.localeCompare(b.sku));
  return { openingStock, replenishments };
}

/** Sums quantities ordered on or after `from` (null for no lower bound) and before `until`. */
function sumQuantity(lines: readonly DemandLine[], from: string | null, until: string): Dec {
  let total = new Dec(0);
  for (const line of lines) {
    if ((from === null || line.date >= from) && line.date < until) total = total.plus(line.quantity);
  }
  return total;
}
