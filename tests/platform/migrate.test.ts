import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { openDatabase } from '../../src/platform/database.js';
import { createLogger } from '../../src/platform/logger.js';
import { MigrationError, defaultMigrationsFolder, findRepositoryRoot, migrate } from '../../src/platform/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const logger = createLogger({ level: 'silent' });

let folder: string;
let database: TestDatabase;

beforeEach(async () => {
  folder = await mkdtemp(path.join(os.tmpdir(), 'o2c-migrations-'));
  database = await createTestDatabase({ migrate: false });
});

afterEach(async () => {
  await database.drop();
  await rm(folder, { recursive: true, force: true });
});

async function writeMigration(name: string, sql: string): Promise<void> {
  await writeFile(path.join(folder, name), sql);
}

async function recordedNames(): Promise<string[]> {
  const result = await database.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
  return result.rows.map((row) => row.name);
}

describe('migrate', () => {
  it('applies files in name order', async () => {
    // 0002 depends on the table from 0001, and 0010 sorts after 0002.
    await writeMigration('0010_add_note.sql', 'ALTER TABLE widget ADD COLUMN note text;');
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int PRIMARY KEY);');
    await writeMigration('0002_add_name.sql', 'ALTER TABLE widget ADD COLUMN name text;');

    const result = await migrate(database.pool, logger, { folder });

    expect(result.applied).toEqual(['0001_create_widget.sql', '0002_add_name.sql', '0010_add_note.sql']);
    expect(result.alreadyApplied).toBe(0);
    const columns = await database.pool.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'widget' ORDER BY ordinal_position",
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual(['id', 'name', 'note']);
  });

  it('records each file with its checksum', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);');

    await migrate(database.pool, logger, { folder });

    const rows = await database.pool.query<{ name: string; checksum: string; applied_at: Date }>('SELECT * FROM schema_migrations');
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]?.name).toBe('0001_create_widget.sql');
    expect(rows.rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.rows[0]?.applied_at).toBeInstanceOf(Date);
  });

  it('skips applied files on the next run', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);');
    await migrate(database.pool, logger, { folder });
    await writeMigration('0002_create_gadget.sql', 'CREATE TABLE gadget (id int);');

    const second = await migrate(database.pool, logger, { folder });
    const third = await migrate(database.pool, logger, { folder });

    expect(second).toEqual({ applied: ['0002_create_gadget.sql'], alreadyApplied: 1 });
    expect(third).toEqual({ applied: [], alreadyApplied: 2 });
  });

  it('rejects a changed applied file', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);');
    await migrate(database.pool, logger, { folder });
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id bigint);');
    await writeMigration('0002_create_gadget.sql', 'CREATE TABLE gadget (id int);');

    const run = migrate(database.pool, logger, { folder });

    await expect(run).rejects.toThrow(MigrationError);
    await expect(run).rejects.toThrow(/Migration 0001_create_widget\.sql was changed after it was applied/);
    expect(await recordedNames()).toEqual(['0001_create_widget.sql']);
  });

  it('accepts CRLF line endings of an applied file', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);\nCREATE TABLE gadget (id int);\n');
    await migrate(database.pool, logger, { folder });
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);\r\nCREATE TABLE gadget (id int);\r\n');

    await expect(migrate(database.pool, logger, { folder })).resolves.toEqual({ applied: [], alreadyApplied: 1 });
  });

  it('rejects a missing applied file', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);');
    await migrate(database.pool, logger, { folder });
    await rm(path.join(folder, '0001_create_widget.sql'));

    await expect(migrate(database.pool, logger, { folder })).rejects.toThrow(
      /records migration 0001_create_widget\.sql as applied, but .* has no such file/,
    );
  });

  it('rolls back a failing file and names its line', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);');
    await writeMigration('0002_broken.sql', 'CREATE TABLE gadget (id int);\n\nINSERT INTO no_such_table VALUES (1);\n');

    const run = migrate(database.pool, logger, { folder });

    await expect(run).rejects.toThrow(/Migration 0002_broken\.sql failed at line 3: relation "no_such_table" does not exist/);
    expect(await recordedNames()).toEqual(['0001_create_widget.sql']);
    const gadget = await database.pool.query("SELECT to_regclass('gadget') AS oid");
    expect(gadget.rows[0].oid).toBeNull();
  });

  it('rejects a badly named file', async () => {
    await writeMigration('001_too_short.sql', 'SELECT 1;');

    await expect(migrate(database.pool, logger, { folder })).rejects.toThrow(/Invalid migration file name 001_too_short\.sql/);
  });

  it('rejects two files with one number', async () => {
    await writeMigration('0001_first.sql', 'SELECT 1;');
    await writeMigration('0001_second.sql', 'SELECT 1;');

    await expect(migrate(database.pool, logger, { folder })).rejects.toThrow(
      /0001_first\.sql and 0001_second\.sql .* have the same number 0001/,
    );
  });

  it('ignores files that are not SQL', async () => {
    await writeMigration('0001_create_widget.sql', 'CREATE TABLE widget (id int);');
    await writeFile(path.join(folder, 'README.md'), 'notes');

    await expect(migrate(database.pool, logger, { folder })).resolves.toEqual({ applied: ['0001_create_widget.sql'], alreadyApplied: 0 });
  });

  it('applies each file once under concurrent runners', async () => {
    // pg_sleep widens the window in which a second runner could start the same file.
    await writeMigration('0001_create_widget.sql', 'SELECT pg_sleep(0.2);\nCREATE TABLE widget (id int);');
    await writeMigration('0002_create_gadget.sql', 'CREATE TABLE gadget (id int);');
    const pools = Array.from({ length: 4 }, () => openDatabase(database.connectionString, { maxConnections: 1, logger }));

    try {
      const results = await Promise.all(pools.map((pool) => migrate(pool.pool, logger, { folder })));

      const appliedRuns = results.filter((result) => result.applied.length > 0);
      expect(appliedRuns).toHaveLength(1);
      expect(appliedRuns[0]?.applied).toEqual(['0001_create_widget.sql', '0002_create_gadget.sql']);
      expect(results.filter((result) => result.alreadyApplied === 2)).toHaveLength(3);
      expect(await recordedNames()).toEqual(['0001_create_widget.sql', '0002_create_gadget.sql']);
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });

  it('rejects a missing folder', async () => {
    const missing = path.join(folder, 'missing');

    await expect(migrate(database.pool, logger, { folder: missing })).rejects.toThrow(`Cannot read the migrations folder ${missing}`);
  });
});

describe('repository migrations', () => {
  it('apply to an empty database', async () => {
    const migrated = await createTestDatabase();
    try {
      const files = (await readdir(defaultMigrationsFolder())).filter((name) => name.endsWith('.sql')).sort();
      const recorded = await migrated.pool.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');

      expect(files.length).toBeGreaterThan(0);
      expect(recorded.rows.map((row) => row.name)).toEqual(files);
    } finally {
      await migrated.drop();
    }
  });
});

describe('findRepositoryRoot', () => {
  it('finds package.json above a nested folder', async () => {
    const nested = path.join(folder, 'dist', 'src', 'platform');
    await mkdir(nested, { recursive: true });
    await writeFile(path.join(folder, 'package.json'), '{}');

    expect(findRepositoryRoot(nested)).toBe(folder);
  });

  it('finds this repository from the source folder', () => {
    expect(path.basename(defaultMigrationsFolder())).toBe('migrations');
    expect(findRepositoryRoot()).toBe(fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, ''));
  });
});
