/**
 * `npm run bench`: order intake over HTTP (POST /orders) and the same
 * database work as hand-written SQL, at several concurrency levels, on one
 * PostgreSQL server. Prints a table, or one JSON object with --json.
 * docs/benchmarks.md describes the method and a recorded run.
 */
import { performance } from 'node:perf_hooks';

import type pg from 'pg';

import { validateTransitionTable } from '../src/orders/rules/order-lifecycle.js';
import { systemClock } from '../src/platform/clock.js';
import { createLogger } from '../src/platform/logger.js';
import { createBenchDatabase, readServerFacts, resetOrders, type BenchDatabase } from './bench-database.js';
import { runClosedLoop, type RequestOutcome } from './closed-loop.js';
import { insertOrderWithPlainSql, postOrder } from './intake-requests.js';
import { describeMachine } from './machine.js';
import { BENCH_COMPANY_CODE, createMasterData, type MasterData } from './master-data.js';
import { parseBenchOptions, USAGE, UsageError, type BenchOptions } from './options.js';
import { checkParity } from './parity-check.js';
import { createPurchaseOrderSource, type BenchPurchaseOrder } from './purchase-orders.js';
import { formatMachine, formatReport, type BenchReport } from './report.js';
import { combineLevel, type LevelResult, type ModeRun } from './results.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** Connections kept free for the migration, setup and reset statements beside the two intake pools. */
const SPARE_CONNECTIONS = 3;

interface Intake {
  name: 'HTTP' | 'plain SQL';
  /** Prefix of the PO numbers this mode sends. */
  prefix: string;
  send: (po: BenchPurchaseOrder) => Promise<RequestOutcome>;
  /** CPU time of the process that runs intake, for the CPU-per-order figure. */
  intakeCpuUsage: () => Promise<NodeJS.CpuUsage>;
  /** CPU time of the load generator when it is a separate process from intake. */
  clientCpuUsage: (() => NodeJS.CpuUsage) | null;
}

async function main(): Promise<number> {
  let options: BenchOptions | null;
  try {
    options = parseBenchOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(USAGE);
    return 0;
  }

  const interrupt = new AbortController();
  // Every Ctrl+C waits for the cleanup, because quitting at once would leave the embedded server running.
  process.on('SIGINT', () => {
    if (interrupt.signal.aborted) {
      progress('still stopping the HTTP server and dropping the benchmark database');
      return;
    }
    progress('interrupted; stopping the measurement and dropping the benchmark database');
    interrupt.abort();
  });

  return runBench(options, interrupt.signal);
}

/** Sets up the database and the server, measures, prints the report, and always cleans up. Returns the exit code. */
async function runBench(options: BenchOptions, signal: AbortSignal): Promise<number> {
  validateTransitionTable();
  const logger = createLogger({ level: 'warn', name: 'o2c.bench', destination: 'stderr' });
  const startedAt = new Date().toISOString();
  const maxLevel = Math.max(...options.levels);

  progress(`starting PostgreSQL and creating the benchmark database`);
  const database = await createBenchDatabase({ logger, ephemeral: options.ephemeral, maxConnections: maxLevel + SPARE_CONNECTIONS });
  let server: ServerProcess | undefined;
  try {
    const facts = await readServerFacts(database.pool);
    const needed = 2 * maxLevel + 2 * SPARE_CONNECTIONS;
    if (needed > facts.maxConnections) {
      throw new UsageError(
        `Level ${maxLevel} needs about ${needed} connections (one pool each for HTTP and plain SQL), ` +
          `but the server allows ${facts.maxConnections} (max_connections). Choose lower --levels.`,
      );
    }
    const machine = describeMachine(facts.version, database.serverKind);
    if (!options.json) process.stdout.write(`${formatMachine(machine, startedAt)}\n\n`);

    progress(`creating ${options.customers} customers and ${options.products} products with prices and stock`);
    const setupStart = performance.now();
    const masterData = await createMasterData(database.db, systemClock, logger, options);
    const setupSeconds = (performance.now() - setupStart) / 1000;
    throwIfAborted(signal);

    server = await startServerProcess({
      connectionString: database.connectionString,
      companyCode: BENCH_COMPANY_CODE,
      maxConnections: maxLevel,
      logLevel: options.serverLogLevel,
    });
    const intakes = createIntakes(server, database.pool, masterData.companyId);

    progress('checking that both intake paths write the same rows');
    await checkParity(database.pool, server.baseUrl, masterData.companyId, {
      customerCode: masterData.customerCodes[0]!,
      customerPoNumber: 'PARITY',
      lines: masterData.skus.slice(0, 4).map((sku, index) => ({ sku, quantity: String(index + 2) })),
    });

    if (options.warmupSeconds > 0) {
      for (const intake of intakes) {
        progress(`warming up ${intake.name} for ${options.warmupSeconds} s at concurrency ${maxLevel}`);
        await measure(intake, maxLevel, options.warmupSeconds, masterData, `warm-up-${intake.prefix}`, `W${intake.prefix}`, signal);
      }
    }

    const levels = await measureLevels(intakes, options, masterData, database.pool, signal);

    const { json: _json, ...settings } = options;
    const report: BenchReport = {
      startedAt,
      machine,
      settings: { ...settings, setupSeconds },
      levels,
      failed: levels.some((level) => level.http.failed > 0 || level.plainSql.failed > 0),
    };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`);
    return report.failed ? 1 : 0;
  } finally {
    progress('stopping the HTTP server and dropping the benchmark database');
    await cleanUp(server, database);
  }
}

/**
 * Measures every level for the given number of rounds. HTTP and plain SQL
 * take turns, and each measurement starts from freshly reset orders.
 */
async function measureLevels(
  intakes: readonly Intake[],
  options: BenchOptions,
  masterData: MasterData,
  pool: pg.Pool,
  signal: AbortSignal,
): Promise<LevelResult[]> {
  const levels: LevelResult[] = [];
  for (const concurrency of options.levels) {
    const rounds: (readonly [ModeRun, ModeRun])[] = [];
    for (let round = 1; round <= options.rounds; round += 1) {
      const runs: ModeRun[] = [];
      for (const intake of intakes) {
        await resetOrders(pool);
        progress(`measuring ${intake.name} at concurrency ${concurrency} for ${options.durationSeconds} s (round ${round} of ${options.rounds})`);
        // Both modes get the same seed, so they receive the same purchase orders.
        const seed = `level-${concurrency}-round-${round}`;
        runs.push(await measure(intake, concurrency, options.durationSeconds, masterData, seed, `${intake.prefix}${concurrency}R${round}`, signal));
      }
      rounds.push([runs[0]!, runs[1]!]);
    }
    levels.push(combineLevel(concurrency, rounds));
  }
  return levels;
}

function createIntakes(server: ServerProcess, pool: pg.Pool, companyId: string): Intake[] {
  return [
    {
      name: 'HTTP',
      prefix: 'H',
      send: (po) => postOrder(server.baseUrl, po),
      intakeCpuUsage: () => server.cpuUsage(),
      clientCpuUsage: () => process.cpuUsage(),
    },
    {
      name: 'plain SQL',
      prefix: 'S',
      send: (po) => insertOrderWithPlainSql(pool, companyId, po),
      intakeCpuUsage: async () => process.cpuUsage(),
      clientCpuUsage: null,
    },
  ];
}

async function measure(
  intake: Intake,
  concurrency: number,
  seconds: number,
  masterData: MasterData,
  seed: string,
  poPrefix: string,
  signal: AbortSignal,
): Promise<ModeRun> {
  const nextOrder = createPurchaseOrderSource(seed, poPrefix, masterData.customerCodes, masterData.skus);

  const intakeCpuBefore = await intake.intakeCpuUsage();
  const clientCpuBefore = intake.clientCpuUsage?.() ?? null;
  const result = await runClosedLoop(concurrency, seconds * 1000, () => intake.send(nextOrder()), signal);
  const intakeCpu = cpuMilliseconds(await intake.intakeCpuUsage(), intakeCpuBefore);
  const clientCpu = clientCpuBefore === null ? null : cpuMilliseconds(intake.clientCpuUsage!(), clientCpuBefore);
  throwIfAborted(signal);

  return { ...result, intakeCpuMs: intakeCpu, clientCpuMs: clientCpu };
}

function cpuMilliseconds(after: NodeJS.CpuUsage, before: NodeJS.CpuUsage): number {
  return (after.user - before.user + after.system - before.system) / 1000;
}

/** Error for a run stopped with Ctrl+C, reported without a stack trace. */
class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
}

function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw new InterruptedError('The benchmark was interrupted, so it printed no figures.');
}

async function cleanUp(server: ServerProcess | undefined, database: BenchDatabase): Promise<void> {
  try {
    await server?.stop();
  } finally {
    await database.drop();
  }
}

/** Progress goes to stderr, so stdout carries only the report. */
function progress(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    if (error instanceof InterruptedError || error instanceof UsageError) {
      process.stderr.write(`bench: ${error.message}\n`);
      process.exitCode = error instanceof InterruptedError ? 130 : 2;
      return;
    }
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
