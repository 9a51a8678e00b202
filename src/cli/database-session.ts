import { createLogger, type Logger } from '../platform/logger.js';
import { startDatabase, type StartedDatabase } from '../platform/start-database.js';
import { validateTransitionTable } from '../orders/rules/order-lifecycle.js';

export interface SessionOptions {
  data?: string;
  /** Logs go to stderr so that stdout carries only the command's output, e.g. --json. */
  logLevel?: string;
  /**
   * False when the command handles SIGINT/SIGTERM itself and stops the
   * database after draining its own work, as `serve` does with HTTP requests.
   */
  stopOnSignals?: boolean;
}

/**
 * Starts (or reaches) the database for one CLI command, runs `work`, and
 * always stops what it started, also when `work` throws.
 */
export async function withDatabase<T>(options: SessionOptions, work: (database: StartedDatabase, logger: Logger) => Promise<T>): Promise<T> {
  const logger = createLogger({ level: (options.logLevel ?? process.env['LOG_LEVEL'] ?? 'info') as 'info', destination: 'stderr' });

  // The lifecycle table is checked before any order can move along it.
  validateTransitionTable();

  const database = await startDatabase({ logger, dataDir: options.data, stopOnSignals: options.stopOnSignals ?? true });
  try {
    return await work(database, logger);
  } finally {
    await database.stop();
  }
}
