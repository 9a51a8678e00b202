import type { LoopResult } from './closed-loop.js';
import type { MachineFacts } from './machine.js';
import type { BenchOptions } from './options.js';

/** One mode at one concurrency level, with the CPU time the intake process spent per order. */
export interface ModeResult extends LoopResult {
  /**
   * CPU milliseconds per order of the Node process that ran intake: the
   * server process over HTTP, the benchmark process for plain SQL.
   */
  intakeCpuMsPerOrder: number;
  /** CPU milliseconds per order of the benchmark process as HTTP client; null for plain SQL. */
  clientCpuMsPerOrder: number | null;
}

export interface LevelResult {
  concurrency: number;
  http: ModeResult;
  plainSql: ModeResult;
  /** HTTP ÷ plain SQL: below 1 for throughput and above 1 for latency when HTTP is slower. */
  ratio: { ordersPerSecond: number; p50: number };
}

export interface BenchReport {
  startedAt: string;
  machine: MachineFacts;
  settings: Omit<BenchOptions, 'json'> & { setupSeconds: number };
  levels: LevelResult[];
  /** True when any request failed; the figures of such a run are not valid. */
  failed: boolean;
}

export function formatMachine(machine: MachineFacts, startedAt: string): string {
  return [
    `o2c order intake benchmark, ${startedAt}`,
    `CPU        ${machine.cpuModel}, ${machine.cpus} logical CPUs`,
    `memory     ${machine.memoryGiB} GiB`,
    `OS         ${machine.os}`,
    `Node.js    ${machine.node}`,
    `PostgreSQL ${machine.postgres} (${machine.postgresServer})`,
  ].join('\n');
}

export function formatReport(report: BenchReport): string {
  const header = ['level', 'mode', 'orders', 'failed', 'orders/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'intake CPU ms/order', 'client CPU ms/order'];
  const rows: string[][] = [];
  for (const level of report.levels) {
    for (const [mode, result] of [['HTTP', level.http], ['plain SQL', level.plainSql]] as const) {
      rows.push([
        String(level.concurrency),
        mode,
        String(result.succeeded),
        String(result.failed),
        result.ordersPerSecond.toFixed(1),
        result.latencyMs.p50.toFixed(2),
        result.latencyMs.p90.toFixed(2),
        result.latencyMs.p99.toFixed(2),
        result.latencyMs.max.toFixed(2),
        result.intakeCpuMsPerOrder.toFixed(2),
        result.clientCpuMsPerOrder === null ? '-' : result.clientCpuMsPerOrder.toFixed(2),
      ]);
    }
  }

  const ratioHeader = ['level', 'throughput HTTP ÷ plain SQL', 'p50 latency HTTP ÷ plain SQL'];
  const ratioRows = report.levels.map((level) => [String(level.concurrency), level.ratio.ordersPerSecond.toFixed(2), level.ratio.p50.toFixed(2)]);

  const settings = report.settings;
  const lines = [
    formatMachine(report.machine, report.startedAt),
    '',
    `${settings.durationSeconds} s per level and mode after ${settings.warmupSeconds} s of warm-up per mode; ` +
      `${settings.customers} customers, ${settings.products} products, 2-5 lines per order; setup took ${settings.setupSeconds.toFixed(1)} s.`,
    '',
    formatTable(header, rows),
    '',
    formatTable(ratioHeader, ratioRows),
  ];
  for (const level of report.levels) {
    for (const [mode, result] of [['HTTP', level.http], ['plain SQL', level.plainSql]] as const) {
      for (const sample of result.failureSamples) lines.push(`failure at level ${level.concurrency}, ${mode}: ${sample}`);
    }
  }
  if (report.failed) lines.push('', 'Some requests failed, so these figures are not valid.');
  return lines.join('\n');
}

function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]): string =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)].join('\n');
}
