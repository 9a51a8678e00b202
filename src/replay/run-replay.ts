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
  /** Company the replay books into, which must have no orders and no earlier replay. */
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
  await claimCompany(db, companyId, options.companyCode, dataset.name);

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
  await db.updateTable('replay_run').set({ finished_at: new Date() }).where('company_id', '=', companyId).execute();
  return buildReplayReport(db, {
    companyId,
    dataset,
    tally: desk.tally,
    asOf: endDate,
    wallMs: Date.now() - started,
  });
}

/**
 * Records that a replay books into this company. A company that already has
 * a replay, finished or interrupted, or orders of its own is refused, so two
 * replays never mix and a half-finished one is never taken for whole.
 */
async function claimCompany(db: Kysely<DB>, companyId: string, companyCode: string, datasetName: string): Promise<void> {
  const advice = 'pass --company with a new code, or use a fresh --data folder (or another database in DATABASE_URL)';
  const earlier = await db.selectFrom('replay_run').select(['dataset', 'finished_at']).where('company_id', '=', companyId).executeTakeFirst();
  if (earlier) {
    const state = earlier.finished_at ? 'already holds a finished replay' : 'holds a replay that was interrupted and is incomplete';
    throw new Error(`Company ${companyCode} ${state} of ${earlier.dataset}; ${advice}.`);
  }

  const orders = await db.selectFrom('sales_order').select('id').where('company_id', '=', companyId).limit(1).execute();
  if (orders.length > 0) {
    throw new Error(`Company ${companyCode} already has orders, so the replay would mix with them; ${advice}.`);
  }
  await db.insertInto('replay_run').values({ company_id: companyId, dataset: datasetName }).execute();
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
