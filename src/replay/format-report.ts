import type { ReplayReport } from './replay-report.js';

/** Formats the replay report as plain text for a person at a terminal. */
export function formatReplayReport(report: ReplayReport): string {
  const lines: string[] = [];
  const add = (text = '') => lines.push(text);
  const entries = (record: Record<string, number | string>) =>
    Object.entries(record).length === 0 ? 'none' : Object.entries(record).map(([key, value]) => `${key} ${value}`).join(', ');

  add(`Replay of ${report.dataset}, amounts in ${report.currency}, as of ${report.asOf} (${report.wallSeconds} s)`);
  add();
  add(`Rows read            ${report.rowsRead}`);
  add(`Orders in source     ${report.orders.inSource} (${report.lines.inSource} lines)`);
  add(`  received           ${report.orders.received} (${report.lines.submitted} lines), rejected at intake ${report.orders.rejectedAtIntake}`);
  add(`  confirmed          ${report.orders.confirmed}, touchless ${report.orders.touchless} (rate ${report.touchlessRate ?? 'n/a'})`);
  add(`  held, by reason    ${entries(report.orders.held)}`);
  add(`  still on hold      ${entries(report.orders.stillHeld)}`);
  add(`  closed             ${report.orders.closed}, still open ${report.orders.open}, cancelled ${report.orders.cancelled} (given up after waiting: ${report.orders.givenUp})`);
  add(`Shipments            ${report.shipments}, on time ${report.onTimeShipmentRate ?? 'n/a'}`);
  add(`Invoices             ${report.invoices.count}, total ${report.invoices.total}`);
  add(`Credit notes         ${report.creditNotes.count}, total ${report.creditNotes.total}`);
  add(`Payments             ${report.payments.count}, total ${report.payments.total} (${report.payments.scheduledAfterEnd} fall after the end date)`);
  add(`Intake time (ms)     p50 ${report.processingMs.p50 ?? 'n/a'}, p95 ${report.processingMs.p95 ?? 'n/a'}, p99 ${report.processingMs.p99 ?? 'n/a'}`);
  add(`Order to cash (days) p50 ${report.orderToCashDays.p50 ?? 'n/a'}, p90 ${report.orderToCashDays.p90 ?? 'n/a'} over ${report.orderToCashDays.orders} paid orders`);
  add(`DSO (days)           ${report.dso ?? 'n/a'}`);
  add(`Open AR by age       ${entries(report.openAr)}`);
  add(
    `Reconciliation       invoiced net ${report.reconciliation.invoicedNet}, recomputed ${report.reconciliation.recomputedNet}, ` +
      `tax ${report.reconciliation.invoicedTax}, gross ${report.reconciliation.invoicedGross}: ${report.reconciliation.matches ? 'matches' : 'DOES NOT MATCH'}`,
  );
  add(`Invariant violations ${report.invariantViolations}`);
  add();
  add(`Rejected rows (${report.rejectedRows.length}):`);
  for (const row of report.rejectedRows) add(`  ${row.file} row ${row.row}: ${row.reason}`);
  add();
  add('How the data was derived:');
  for (const note of report.notes) add(`  - ${note}`);
  return lines.join('\n') + '\n';
}
