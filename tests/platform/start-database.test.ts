import { describe, expect, it } from 'vitest';

import { findFreePort } from '../../src/platform/embedded.js';
import { createLogger } from '../../src/platform/logger.js';
import { startDatabase } from '../../src/platform/start-database.js';
import { createTestDatabase } from '../support/test-database.js';

const logger = createLogger({ level: 'silent' });

describe('startDatabase', () => {
  it('migrates the server from databaseUrl', async () => {
    const empty = await createTestDatabase({ migrate: false });
    try {
      const started = await startDatabase({ logger, databaseUrl: empty.connectionString });
      try {
        const recorded = await started.pool.query<{ count: bigint }>('SELECT count(*) AS count FROM schema_migrations');

        expect(started.connectionString).toBe(empty.connectionString);
        expect(recorded.rows[0]?.count).toBeGreaterThan(0n);
      } finally {
        await started.stop();
      }
      await expect(started.pool.query('SELECT 1')).rejects.toThrow();
    } finally {
      await empty.drop();
    }
  });

  it('names the server it cannot reach', async () => {
    const closedPort = await findFreePort();

    await expect(
      startDatabase({ logger, databaseUrl: `postgres://o2c:secret@127.0.0.1:${closedPort}/o2c` }),
    ).rejects.toThrow(`Cannot connect to PostgreSQL at postgres://o2c:***@127.0.0.1:${closedPort}/o2c`);
  });
});
