import { parseArgs } from 'node:util';

import { isLogLevel, type LogLevel } from '../src/platform/logger.js';

/** Settings of one benchmark run, from the command line. */
export interface BenchOptions {
  /** Seconds each concurrency level runs, per mode and round. */
  durationSeconds: number;
  /** Times each level is measured, HTTP and plain SQL taking turns. */
  rounds: number;
  /** Seconds of load per mode before the first measurement, which are not counted. */
  warmupSeconds: number;
  /** Numbers of requests in flight at once, one measurement each. */
  levels: number[];
  customers: number;
  products: number;
  /** Turns off fsync and synchronous commit on the embedded server. Ignored with DATABASE_URL. */
  ephemeral: boolean;
  /** Log level of the HTTP server process. At info it logs every request. */
  serverLogLevel: LogLevel;
  json: boolean;
}

export const USAGE = `Usage: npm run bench -- [options]

Measures order intake (POST /orders) over HTTP and the same database work as
plain SQL, on one PostgreSQL server: the embedded one in a temporary folder,
or DATABASE_URL when it is set.

Options:
  --duration SECONDS       measurement time per concurrency level, mode and round (default 10)
  --rounds N               measurements per level, HTTP and plain SQL taking turns (default 1)
  --warmup SECONDS         load per mode before the first measurement, not counted (default 3)
  --levels LIST            comma-separated concurrency levels (default 1,8,32)
  --customers N            customers to spread the orders over (default 100)
  --products N             products to spread the order lines over (default 1000)
  --ephemeral              embedded server without fsync and synchronous commit
  --server-log-level LEVEL log level of the HTTP server (default warn; info logs every request)
  --json                   print one JSON object instead of tables
  --help                   print this help
`;

/** Error for invalid command-line input. The message names the option and the fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Parses the command line. Returns null when --help was given. */
export function parseBenchOptions(argv: string[]): BenchOptions | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string', default: '10' },
        rounds: { type: 'string', default: '1' },
        warmup: { type: 'string', default: '3' },
        levels: { type: 'string', default: '1,8,32' },
        customers: { type: 'string', default: '100' },
        products: { type: 'string', default: '1000' },
        ephemeral: { type: 'boolean', default: false },
        'server-log-level': { type: 'string', default: 'warn' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
  }
  const values = parsed.values;
  if (values.help) return null;

  const serverLogLevel = values['server-log-level'];
  if (!isLogLevel(serverLogLevel)) {
    throw new UsageError(`Invalid --server-log-level "${serverLogLevel}": use fatal, error, warn, info, debug, trace or silent.`);
  }

  const levels = values.levels.split(',').map((part) => parseWholeNumber('--levels', part.trim(), 1, 1000));
  if (new Set(levels).size !== levels.length) {
    throw new UsageError(`Invalid --levels "${values.levels}": each level may appear once.`);
  }

  return {
    durationSeconds: parseWholeNumber('--duration', values.duration, 1, 3600),
    rounds: parseWholeNumber('--rounds', values.rounds, 1, 100),
    warmupSeconds: parseWholeNumber('--warmup', values.warmup, 0, 600),
    levels,
    customers: parseWholeNumber('--customers', values.customers, 1, 10_000),
    // Orders take 2 to 5 distinct products, so at least 5 are needed.
    products: parseWholeNumber('--products', values.products, 5, 100_000),
    ephemeral: values.ephemeral,
    serverLogLevel,
    json: values.json,
  };
}

function parseWholeNumber(option: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`Invalid ${option} "${text}": give a whole number from ${min} to ${max}.`);
  }
  return value;
}
