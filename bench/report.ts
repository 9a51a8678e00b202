import type { MachineFacts } from './machine.js';
import type { BenchOptions } from './options.js';
import type { LevelResult, Ratio } from './results.js';

export interface BenchReport {
  startedAt: string;
  machine: MachineFacts;
  settings: Omit<BenchOptions, 'json'> & { setupSeconds: number };
  levels: LevelResult[];
  /** True when any request failed. The figures of such a run are not valid. */
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

/** Formats the settings, the figures and the ratios. formatMachine formats the machine facts that go above them. */
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
  const ratioRows = report.levels.map((level) => [
    String(level.concurrency),
    withRange(level.ratio.ordersPerSecond, level.ratioByRound.map((ratio: Ratio) => ratio.ordersPerSecond)),
    withRange(level.ratio.p50, level.ratioByRound.map((ratio: Ratio) => ratio.p50)),
  ]);

  const settings = report.settings;
  const lines = [
    `${settings.rounds} × ${settings.durationSeconds} s per level and mode after ${settings.warmupSeconds} s of warm-up per mode; ` +
      `${settings.customers} customers, ${settings.products} products, 2-5 lines per order; setup took ${settings.setupSeconds.toFixed(1)} s.`,
    '',
    formatTable(header, rows, 2),
    '',
    formatTable(ratioHeader, ratioRows, 1),
  ];
  for (const level of report.levels) {
    for (const [mode, result] of [['HTTP', level.http], ['plain SQL', level.plainSql]] as const) {
      for (const sample of result.failureSamples) lines.push(`failure at level ${level.concurrency}, ${mode}: ${sample}`);
    }
  }
  if (report.failed) lines.push('', 'Some requests failed, so these figures are not valid.');
  return lines.join('\n');
}

/** Formats a ratio, followed by the lowest and highest per-round ratio when there were several rounds. */
function withRange(ratio: number, byRound: readonly number[]): string {
  if (byRound.length < 2) return ratio.toFixed(2);
  return `${ratio.toFixed(2)} (rounds ${Math.min(...byRound).toFixed(2)}-${Math.max(...byRound).toFixed(2)})`;
}

/** Formats a plain-text table. The first `textColumns` columns are left-aligned, and the numbers after them right-aligned. */
function formatTable(header: string[], rows: string[][], textColumns: number): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: string[]): string =>
    cells.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)].join('\n');
}
