import { summarizeLatencies, type LatencySummary, type LoopRun } from './closed-loop.js';

/** One measurement of one mode, with the CPU time that the processes involved spent on it. */
export interface ModeRun extends LoopRun {
  /** CPU milliseconds of the Node process that ran intake: the server process over HTTP, the benchmark process for plain SQL. */
  intakeCpuMs: number;
  /** CPU milliseconds of the benchmark process as HTTP client. Null for plain SQL, where client and intake share a process. */
  clientCpuMs: number | null;
}

/** One mode at one concurrency level, over all its rounds. */
export interface ModeResult {
  succeeded: number;
  failed: number;
  failureSamples: string[];
  /** Sum of the rounds' measured times. */
  elapsedMs: number;
  ordersPerSecond: number;
  latencyMs: LatencySummary;
  intakeCpuMsPerOrder: number;
  clientCpuMsPerOrder: number | null;
}

/** HTTP ÷ plain SQL: below 1 for throughput and above 1 for latency when HTTP is slower. */
export interface Ratio {
  ordersPerSecond: number;
  p50: number;
}

export interface LevelResult {
  concurrency: number;
  http: ModeResult;
  plainSql: ModeResult;
  /** From the figures of all rounds together. */
  ratio: Ratio;
  /** One ratio per round, from that round's HTTP and plain-SQL measurements, to show the spread. */
  ratioByRound: Ratio[];
}

/** Combines the rounds of each mode and computes the ratios. `rounds` contains one [HTTP, plain SQL] pair per round. */
export function combineLevel(concurrency: number, rounds: readonly (readonly [ModeRun, ModeRun])[]): LevelResult {
  const http = combineRuns(rounds.map(([httpRun]) => httpRun));
  const plainSql = combineRuns(rounds.map(([, plainSqlRun]) => plainSqlRun));
  return {
    concurrency,
    http,
    plainSql,
    ratio: ratioOf(http, plainSql),
    ratioByRound: rounds.map(([httpRun, plainSqlRun]) => ratioOf(combineRuns([httpRun]), combineRuns([plainSqlRun]))),
  };
}

function combineRuns(runs: readonly ModeRun[]): ModeResult {
  const succeeded = sum(runs.map((run) => run.succeeded));
  const failed = sum(runs.map((run) => run.failed));
  const elapsedMs = sum(runs.map((run) => run.elapsedMs));
  // CPU time is spread over every request sent, failed ones included.
  const requests = Math.max(1, succeeded + failed);
  const clientCpu = runs.every((run) => run.clientCpuMs !== null) ? sum(runs.map((run) => run.clientCpuMs!)) : null;

  return {
    succeeded,
    failed,
    failureSamples: [...new Set(runs.flatMap((run) => run.failureSamples))].slice(0, 5),
    elapsedMs,
    ordersPerSecond: succeeded / (elapsedMs / 1000),
    latencyMs: summarizeLatencies(runs.flatMap((run) => run.latenciesMs)),
    intakeCpuMsPerOrder: sum(runs.map((run) => run.intakeCpuMs)) / requests,
    clientCpuMsPerOrder: clientCpu === null ? null : clientCpu / requests,
  };
}

function ratioOf(http: ModeResult, plainSql: ModeResult): Ratio {
  return { ordersPerSecond: http.ordersPerSecond / plainSql.ordersPerSecond, p50: http.latencyMs.p50 / plainSql.latencyMs.p50 };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
