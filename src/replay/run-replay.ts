import type { Kysely } from 'kysely';
import type { Logger } from 'pino';

import { ManualClock } from '../platform/clock.js';
import type { CommandContext } from '../platform/command.js';
import { setupCompany } from '../platform/company/setup-company.js';
import type { DB } from '../platform/schema.js';
import { addDays, compareDates } from '../shared/calendar-date.js';
import { atTime, EventQueue } from './event-queue.js';
import { loadMasterData } from './load-master-data.js';
import type { ReplayDataset } from './model.js';
import { ReplayDesk, type ReplayEvent } from './replay-desk.js';
import { buildReplayReport, type ReplayReport } from './replay-report.js';

export interface ReplayOptions {
  /** Company the replay books into; it must not have orders yet. */
  companyCode: string;
  /** Seed of the customers' payment behaviour; the same seed replays the same payments. */
  seed: string;
}

/**
 * Runs every order of a dataset through the whole cycle at the dataset's own
 * dates: stock receipts, intake, shipping on the recorded date, invoicing on
 * shipment, payments by seeded behaviour, and returns as credit notes.
 */
export async function runReplay(
  db: Kysely<DB>,
  logger: Logger,
  dataset: ReplayDataset,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const startDate = dataset.openingStock[0]?.date ?? dataset.orders[0]?.orderDate ?? '2000-01-01';
  const clock = new ManualClock(atTime(startDate, '00:00:00'));

  const companyId = await setupCompany(db, clock, {
    code: options.companyCode,
    name: `${dataset.name} replay`,
    currency: dataset.currency,
    countryCode: dataset.sellerCountryCode,
    pricesIncludeTax: dataset.pricesIncludeTax,
  });
  const existing = await db.selectFrom('sales_order').select('id').where('company_id', '=', companyId).limit(1).execute();
  if (existing.length > 0) {
    throw new Error(
      `Company ${options.companyCode} already has orders, so the replay would mix with them; pass --company with a new code or use a fresh --data folder.`,
    );
  }

  const ctx: CommandContext = { db, clock, logger, companyId, actor: 'replay' };
  const started = Date.now();
  await loadMasterData(ctx, dataset);
  logger.info({ customers: dataset.customers.length, products: dataset.products.length, prices: dataset.priceList.length }, 'replay master data loaded');

  const endDate = lastBusinessDate(dataset);
  const queue = new EventQueue<ReplayEvent>();
  for (const receipt of [...dataset.openingStock, ...dataset.replenishments]) {
    queue.add(atTime(receipt.date, '06:00:00'), { kind: 'receipt', receipt });
  }
  for (const order of dataset.orders) queue.add(new Date(order.orderedAt), { kind: 'order', order });
  for (const item of dataset.returns) queue.add(atTime(item.date, '15:00:00'), { kind: 'return', item });

  const desk = new ReplayDesk(ctx, clock, queue, { seed: options.seed, endDate });
  const endOfReplay = atTime(addDays(endDate, 1), '00:00:00');
  let handled = 0;
  for (let next = queue.next(); next; next = queue.next()) {
    if (next.at >= endOfReplay) continue;
    await desk.handle(next.at, next.event);
    handled += 1;
    if (handled % 500 === 0) logger.info({ handled, pending: queue.size, at: next.at.toISOString() }, 'replay progress');
  }

  clock.set(endOfReplay);
  return buildReplayReport(db, {
    companyId,
    dataset,
    tally: desk.tally,
    asOf: endDate,
    wallMs: Date.now() - started,
  });
}

/** The last date the dataset records anything on: orders, shipments, returns or receipts. */
function lastBusinessDate(dataset: ReplayDataset): string {
  let last: string | null = null;
  const consider = (date: string | null) => {
    if (date !== null && (last === null || compareDates(date, last) > 0)) last = date;
  };
  for (const order of dataset.orders) {
    consider(order.orderDate);
    consider(order.shipDate);
  }
  for (const item of dataset.returns) consider(item.date);
  if (last === null) throw new Error(`Data set ${dataset.name} has no orders or returns to replay.`);
  return last;
}
