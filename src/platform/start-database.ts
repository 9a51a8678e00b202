import type { Kysely } from 'kysely';
import type pg from 'pg';

import { loadConfig, redactConnectionString } from './config.js';
import { openDatabase } from './database.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import type { Logger } from './logger.js';
import { migrate } from './migrate.js';
import type { DB } from './schema.js';

export interface StartDatabaseOptions {
  logger: Logger;
  /** Embedded data folder from `--data`; takes precedence over O2C_DATA_DIR. */
  dataDir?: string | undefined;
  /**
   * External server to use. Defaults to DATABASE_URL; when both are unset,
   * an embedded server starts in the data folder.
   */
  databaseUrl?: string | undefined;
  /** Embedded server port. Defaults to O2C_PG_PORT, then 54329. */
  embeddedPort?: number | undefined;
  /** Maximum number of connections in the pool. Defaults to 10. */
  maxConnections?: number | undefined;
  /**
   * Stops an embedded server on SIGINT and SIGTERM. Defaults to true. A server
   * that drains HTTP requests first passes false and calls `stop()` itself.
   */
  stopOnSignals?: boolean | undefined;
}

export interface StartedDatabase {
  connectionString: string;
  db: Kysely<DB>;
  pool: pg.Pool;
  /** Closes the pool, then stops the embedded server if this call started one. */
  stop(): Promise<void>;
}

/**
 * Connects to the configured PostgreSQL server, or starts the embedded one,
 * and applies the pending migrations. Everything it opened is closed again
 * when a step fails.
 */
export async function startDatabase(options: StartDatabaseOptions): Promise<StartedDatabase> {
  const { logger } = options;
  const config = loadConfig(process.env, { dataDir: options.dataDir });
  const databaseUrl = options.databaseUrl ?? config.databaseUrl;

  let embedded: EmbeddedPostgres | undefined;
  let connectionString: string;
  if (databaseUrl !== undefined) {
    connectionString = databaseUrl;
    logger.info({ database: redactConnectionString(databaseUrl) }, 'using the PostgreSQL server from DATABASE_URL');
  } else {
    embedded = await startEmbeddedPostgres({
      dataDir: config.dataDir,
      port: options.embeddedPort ?? config.embeddedPort,
      logger,
      stopOnSignals: options.stopOnSignals ?? true,
    });
    connectionString = embedded.connectionString;
  }

  const database = openDatabase(connectionString, { maxConnections: options.maxConnections, logger });
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      try {
        await database.close();
      } finally {
        await embedded?.stop();
      }
    })();
    return stopping;
  };

  try {
    await migrate(database.pool, logger);
  } catch (error) {
    await stop().catch((stopError: unknown) => {
      logger.error({ err: stopError }, 'failed to close the database after a failed start');
    });
    throw decorateConnectionError(error, connectionString);
  }

  return { connectionString, db: database.db, pool: database.pool, stop };
}

/**
 * Adds the server address to connection failures, whose messages from
 * node-postgres ("connect ECONNREFUSED", "password authentication failed")
 * do not say which server was meant.
 */
function decorateConnectionError(error: unknown, connectionString: string): unknown {
  const code = (error as { code?: unknown }).code;
  const isConnectionFailure =
    code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === '28P01' || code === '28000' || code === '3D000';
  if (!isConnectionFailure) {
    return error;
  }
  return new Error(
    `Cannot connect to PostgreSQL at ${redactConnectionString(connectionString)}: ${(error as Error).message}. ` +
      'Check that the server runs and that DATABASE_URL names the right host, port, user, password and database.',
    { cause: error },
  );
}
