import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';

import { loadConfig } from '../src/platform/config.js';
import { openDatabase, sqlState, withDatabaseName, type Database } from '../src/platform/database.js';
import { findFreePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/embedded.js';
import type { Logger } from '../src/platform/logger.js';
import { migrate } from '../src/platform/migrate.js';

const INSUFFICIENT_PRIVILEGE = '42501';

/** A fresh, migrated database that exists only for one benchmark run. */
export interface BenchDatabase extends Database {
  connectionString: string;
  /** Origin of the server, for the report. */
  serverKind: 'embedded' | 'embedded-ephemeral' | 'DATABASE_URL';
  /** Closes the pool, drops the database and stops the embedded server with its folder, if this run started one. */
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named database on the DATABASE_URL server, or else on an
 * embedded server started in a new folder under the system temp folder, and
 * applies the migrations. The temp folder also works under root, where the
 * embedded server runs as an unprivileged user that may not enter the checkout.
 */
export async function createBenchDatabase(options: { logger: Logger; ephemeral: boolean; maxConnections: number }): Promise<BenchDatabase> {
  const { logger } = options;
  const { databaseUrl } = loadConfig();

  let embedded: { server: EmbeddedPostgres; dataDir: string } | undefined;
  let adminConnectionString: string;
  if (databaseUrl !== undefined) {
    adminConnectionString = databaseUrl;
  } else {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'o2c-bench-'));
    try {
      const server = await startEmbeddedPostgres({
        dataDir,
        port: await findFreePort(),
        logger,
        database: 'postgres',
        ephemeral: options.ephemeral,
        // The benchmark stops the server itself, also after Ctrl+C.
        stopOnSignals: false,
      });
      embedded = { server, dataDir };
      adminConnectionString = server.adminConnectionString;
    } catch (error) {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  const stopEmbedded = async (): Promise<void> => {
    if (embedded === undefined) return;
    try {
      await embedded.server.stop();
    } finally {
      await rm(embedded.dataDir, { recursive: true, force: true });
    }
  };

  const name = `o2c_bench_${randomBytes(4).toString('hex')}`;
  try {
    await runAdminStatement(adminConnectionString, (client) => `CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } catch (error) {
    await stopEmbedded();
    throw error;
  }

  const connectionString = withDatabaseName(adminConnectionString, name);
  const database = openDatabase(connectionString, { maxConnections: options.maxConnections, applicationName: 'o2c-bench', logger });

  let dropping: Promise<void> | undefined;
  const drop = (): Promise<void> => {
    dropping ??= (async () => {
      try {
        await database.close();
        await runAdminStatement(adminConnectionString, (client) => `DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await stopEmbedded();
      }
    })();
    return dropping;
  };

  try {
    await migrate(database.pool, logger);
  } catch (error) {
    await drop();
    throw error;
  }

  let serverKind: BenchDatabase['serverKind'] = 'DATABASE_URL';
  if (embedded !== undefined) serverKind = options.ephemeral ? 'embedded-ephemeral' : 'embedded';
  return { ...database, connectionString, serverKind, drop };
}

/**
 * Deletes every sales order with its lines, holds, reservations and history,
 * frees all reserved stock, then vacuums and checkpoints. Each measurement
 * therefore starts from the same master data and stock, and a customer's
 * credit exposure, which intake reads from that customer's open orders,
 * starts at zero every time.
 */
export async function resetOrders(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // CASCADE also empties shipments and invoices, which the benchmark never creates.
    await client.query('TRUNCATE reservation, order_hold, sales_order_line, sales_order CASCADE');
    await client.query('DELETE FROM history WHERE order_id IS NOT NULL');
    await client.query('DELETE FROM idempotency_record');
    await client.query('UPDATE stock_level SET reserved = 0 WHERE reserved <> 0');
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);
    throw error;
  }

  try {
    // VACUUM cannot run inside a transaction block, so these run one by one.
    await client.query('VACUUM ANALYZE');
    // Checkpoints now, so that no checkpoint starts in the middle of the measurement.
    // CHECKPOINT needs superuser or pg_checkpoint, which a DATABASE_URL user may lack.
    await client.query('CHECKPOINT').catch((error: unknown) => {
      if (sqlState(error) !== INSUFFICIENT_PRIVILEGE) throw error;
    });
  } finally {
    client.release();
  }
}

/** Returns the server's version string, such as "17.5", and its max_connections setting. */
export async function readServerFacts(pool: pg.Pool): Promise<{ version: string; maxConnections: number }> {
  const result = await pool.query<{ server_version: string; max_connections: string }>(
    "SELECT current_setting('server_version') AS server_version, current_setting('max_connections') AS max_connections",
  );
  const row = result.rows[0]!;
  return { version: row.server_version, maxConnections: Number(row.max_connections) };
}

async function runAdminStatement(adminConnectionString: string, statement: (client: pg.Client) => string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString, application_name: 'o2c-bench-admin' });
  await client.connect();
  try {
    await client.query(statement(client));
  } finally {
    await client.end();
  }
}
