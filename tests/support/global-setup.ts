/**
 * Vitest global setup: provides the PostgreSQL server on which each test
 * file creates its own databases (see test-database.ts).
 *
 * With DATABASE_URL set, the tests use that server, and the database it names
 * serves as the admin database for CREATE DATABASE. Otherwise a throwaway
 * embedded server starts in a new folder under the system temp folder, never
 * under the checkout, so that it also works as root from a checkout in a
 * folder that other users cannot enter.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';
import type { TestProject } from 'vitest/node';

import { loadConfig, redactConnectionString } from '../../src/platform/config.js';
import { findFreePort, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/embedded.js';
import { createLogger, type Logger } from '../../src/platform/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Connection string of the database from which tests create and drop their own databases. */
    o2cAdminConnectionString: string;
    /** Prefix of every database name this run creates, so the teardown can find leftovers. */
    o2cTestDatabasePrefix: string;
  }
}

/** Attempts at starting the embedded server, because another program can take the free port first. */
const START_ATTEMPTS = 3;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logger = createLogger({ level: 'warn', name: 'o2c.test', destination: 'stderr' });
  const prefix = `o2c_t_${randomBytes(3).toString('hex')}_`;
  project.provide('o2cTestDatabasePrefix', prefix);

  const { databaseUrl } = loadConfig();
  if (databaseUrl !== undefined) {
    await assertServerReachable(databaseUrl);
    project.provide('o2cAdminConnectionString', databaseUrl);
    return () => dropLeftoverDatabases(databaseUrl, prefix, logger);
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'o2c-test-'));
  let server: EmbeddedPostgres;
  try {
    server = await startThrowawayServer(dataDir, logger);
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  project.provide('o2cAdminConnectionString', server.adminConnectionString);

  return async () => {
    try {
      await server.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
}

async function startThrowawayServer(dataDir: string, logger: Logger): Promise<EmbeddedPostgres> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startEmbeddedPostgres({ dataDir, port: await findFreePort(), logger, ephemeral: true });
    } catch (error) {
      const portTaken = (error as Error).message.includes('already in use');
      if (!portTaken || attempt >= START_ATTEMPTS) {
        throw error;
      }
    }
  }
}

async function assertServerReachable(connectionString: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `The tests cannot connect to DATABASE_URL ${redactConnectionString(connectionString)}: ${(error as Error).message}. ` +
        'Start that server, or unset DATABASE_URL to run the tests on a throwaway embedded server.',
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops the databases of this run that a test did not drop, for example after a failed assertion. */
async function dropLeftoverDatabases(connectionString: string, prefix: string, logger: Logger): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const leftovers = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [prefix]);
    for (const { datname } of leftovers.rows) {
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    if (leftovers.rows.length > 0) {
      logger.warn({ count: leftovers.rows.length, prefix }, 'dropped test databases that the tests did not drop');
    }
  } finally {
    await client.end();
  }
}
