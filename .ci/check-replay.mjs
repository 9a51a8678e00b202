// Checks one `o2c replay --json` report read from stdin: every order and
// line of the source is accounted for, invoices reconcile with shipped
// quantities, prices and tax, and the checker found no violation.
// Usage: o2c replay ... --json | node .ci/check-replay.mjs <expected orders> <expected lines>
import { appendFileSync, readFileSync } from 'node:fs';

const [expectedOrders, expectedLines] = process.argv.slice(2).map((value) => (value === '-' ? null : Number(value)));
const report = JSON.parse(readFileSync(0, 'utf8'));
const failures = [];

const check = (ok, message) => {
  if (!ok) failures.push(message);
};

check(report.invariantViolations === 0, `invariantViolations is ${report.invariantViolations}, expected 0`);
check(report.reconciliation?.matches === true, `invoices do not reconcile: ${JSON.stringify(report.reconciliation)}`);
check(
  report.orders.received + report.orders.rejectedAtIntake === report.orders.inSource,
  `orders received ${report.orders.received} + rejected ${report.orders.rejectedAtIntake} != ${report.orders.inSource} in the source`,
);
if (expectedOrders !== null) check(report.orders.inSource === expectedOrders, `orders in source ${report.orders.inSource}, expected ${expectedOrders}`);
if (expectedLines !== null) check(report.lines.submitted === expectedLines, `lines submitted ${report.lines.submitted}, expected ${expectedLines}`);
for (const key of ['rowsRead', 'rejectedRows', 'shipments', 'invoices', 'payments', 'touchlessRate', 'processingMs', 'orderToCashDays', 'onTimeShipmentRate', 'dso', 'openAr']) {
  check(key in report, `report has no "${key}"`);
}

const summary = `${report.dataset}: ${report.orders.inSource} orders, ${report.lines.submitted} lines, ${report.rowsRead} rows read, ` +
  `${report.rejectedRows.length} rows reported, ${report.invoices.count} invoices (${report.invoices.total} ${report.currency}), ` +
  `${report.payments.count} payments, touchless ${report.touchlessRate}, intake p50 ${report.processingMs.p50} ms, ` +
  `${report.invariantViolations} invariant violations`;
if (failures.length > 0) {
  console.error(`Replay check failed for ${summary}:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log(`Replay check passed: ${summary}`);

// The same data and seed must give the same business outcome on every run
// and server; .ci/run compares these lines between the two servers.
if (process.env.REPLAY_FINGERPRINTS) {
  const fingerprint = [report.dataset, report.orders.confirmed, report.orders.stillHeld ? JSON.stringify(report.orders.stillHeld) : '',
    report.invoices.count, report.invoices.total, report.creditNotes.total, report.payments.count, report.payments.total,
    JSON.stringify(report.openAr)].join(' ');
  appendFileSync(process.env.REPLAY_FINGERPRINTS, fingerprint + '\n');
}
