import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { findFreePort, startEmbeddedPostgres } from '../../src/platform/embedded.js';
import { createLogger } from '../../src/platform/logger.js';

const logger = createLogger({ level: 'silent' });

/** Runs one query on a fresh connection and returns the first row. */
async function queryOnce(connectionString: string, query: string): Promise<Record<string, unknown>> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return (await client.query(query)).rows[0] as Record<string, unknown>;
  } finally {
    await client.end();
  }
}

/** A pid above Linux's largest pid_max (2^22), so no process has it. */
const DEAD_PID = 2_000_000_000;

describe('startEmbeddedPostgres', () => {
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'o2c-embedded-'));
    port = await findFreePort();
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('initialises, creates o2c and stops', async () => {
    const server = await startEmbeddedPostgres({ dataDir, port, logger, ephemeral: true, stopOnSignals: false });
    try {
      const row = await queryOnce(server.connectionString, "SELECT current_database() AS name, current_setting('fsync') AS fsync");

      expect(row).toEqual({ name: 'o2c', fsync: 'off' });
      expect(server.connectionString).toMatch(new RegExp(`^postgres://postgres:[^@]+@127\\.0\\.0\\.1:${port}/o2c$`));
      expect(await readFile(path.join(dataDir, 'postgres-owner.pid'), 'utf8')).toBe(`${process.pid}\n`);
      await queryOnce(server.connectionString, 'CREATE TABLE kept AS SELECT 1 AS id');
    } finally {
      const stopping = server.stop();
      expect(server.stop()).toBe(stopping);
      await stopping;
    }

    await expect(queryOnce(server.connectionString, 'SELECT 1')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('reuses the cluster after a stale postmaster.pid', async () => {
    // A server killed with SIGKILL leaves postmaster.pid behind with its dead pid.
    const postmasterFile = path.join(dataDir, 'postgres', 'postmaster.pid');
    await writeFile(postmasterFile, `${DEAD_PID}\n${path.join(dataDir, 'postgres')}\n`);

    const server = await startEmbeddedPostgres({ dataDir, port, logger, ephemeral: true, stopOnSignals: false });
    try {
      const row = await queryOnce(server.connectionString, 'SELECT count(*)::int AS kept FROM kept');

      expect(row.kept).toBe(1);
    } finally {
      await server.stop();
    }
  });

  it('rejects a port in use', async () => {
    const blocker = net.createServer();
    const blockedPort = await new Promise<number>((resolve) => {
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port));
    });
    try {
      await expect(startEmbeddedPostgres({ dataDir, port: blockedPort, logger, stopOnSignals: false })).rejects.toThrow(
        `Port ${blockedPort} on 127.0.0.1 is already in use`,
      );
    } finally {
      blocker.close();
    }
  });

  it('rejects a folder that is not a cluster', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'o2c-embedded-'));
    try {
      await mkdir(path.join(otherDir, 'postgres'));
      await writeFile(path.join(otherDir, 'postgres', 'stray.txt'), 'not a cluster');

      await expect(startEmbeddedPostgres({ dataDir: otherDir, port, logger, stopOnSignals: false })).rejects.toThrow(
        /postgres is not empty but has no PG_VERSION file/,
      );
    } finally {
      await rm(otherDir, { recursive: true, force: true });
    }
  });
});

describe('findFreePort', () => {
  it('returns a port that can be bound', async () => {
    const port = await findFreePort();
    const probe = net.createServer();

    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => resolve());
    });
    probe.close();

    expect(port).toBeGreaterThan(0);
  });
});
