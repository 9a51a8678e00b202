import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { inject } from 'vitest';

import { openDatabase, withDatabaseName, type Database } from '../../src/platform/database.js';
import { createLogger } from '../../src/platform/logger.js';
import { migrate } from '../../src/platform/migrate.js';

/** A database of its own for one test file or test, on the server that global-setup.ts provides. */
export interface TestDatabase extends Database {
  name: string;
  connectionString: string;
  /** Closes the pool and drops the database. Calling it again returns the same promise. */
  drop(): Promise<void>;
}

export interface CreateTestDatabaseOptions {
  /** Applies the repository's migrations. Defaults to true; the migration runner's own tests pass false. */
  migrate?: boolean;
  /** Maximum number of connections in the pool. Defaults to 10. */
  maxConnections?: number;
}

const logger = createLogger({ level: 'warn', name: 'o2c.test', destination: 'stderr' });

/**
 * Creates a uniquely named, empty database, applies the migrations and opens
 * a pool on it. Call `drop()` in afterAll or afterEach. Databases that a
 * failed test leaves behind go with the embedded server, or with the global
 * teardown when DATABASE_URL is set.
 */
export async function createTestDatabase(options: CreateTestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminConnectionString = inject('o2cAdminConnectionString');
  const prefix = inject('o2cTestDatabasePrefix');
  if (adminConnectionString === undefined || prefix === undefined) {
    throw new Error(
      'createTestDatabase found no test server, because the global setup tests/support/global-setup.ts did not run. ' +
        'Run the tests with npm test, which uses vitest.config.ts.',
    );
  }
  const name = `${prefix}${randomBytes(4).toString('hex')}`;
  await runAdminStatement(adminConnectionString, (client) => `CREATE DATABASE ${client.escapeIdentifier(name)}`);

  const connectionString = withDatabaseName(adminConnectionString, name);
  const database = openDatabase(connectionString, { maxConnections: options.maxConnections, applicationName: 'o2c-test', logger });

  let dropping: Promise<void> | undefined;
  const drop = (): Promise<void> => {
    dropping ??= (async () => {
      await database.close();
      await runAdminStatement(adminConnectionString, (client) => `DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    })();
    return dropping;
  };

  if (options.migrate ?? true) {
    try {
      await migrate(database.pool, logger);
    } catch (error) {
      await drop();
      throw error;
    }
  }
  return { ...database, name, connectionString, drop };
}

async function runAdminStatement(adminConnectionString: string, statement: (client: pg.Client) => string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString, application_name: 'o2c-test-admin' });
  await client.connect();
  try {
    await client.query(statement(client));
  } finally {
    await client.end();
  }
}
