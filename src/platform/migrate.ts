import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type pg from 'pg';

import type { Logger } from './logger.js';

/**
 * Key of the session-level advisory lock held for a whole migration run.
 * Advisory locks are scoped to one database, so runs on different databases
 * of the same server do not wait for each other. The value is arbitrary, but
 * every o2c version must use the same one.
 */
const MIGRATION_LOCK_KEY = 7_302_418_553_900_001n;

const MIGRATION_FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** One SQL file in the migrations folder. */
export interface MigrationFile {
  /** File name, such as `0001_core.sql`, which is also the key in schema_migrations. */
  name: string;
  sql: string;
  /** SHA-256 in hex of the file's text with CRLF line endings read as LF. */
  checksum: string;
}

export interface MigrateOptions {
  /** Folder of the `NNNN_name.sql` files. Defaults to `migrations/` at the repository root. */
  folder?: string;
}

export interface MigrateResult {
  /** Names of the files applied by this run, in order. */
  applied: string[];
  /** Number of files that an earlier run had applied already. */
  alreadyApplied: number;
}

/** A migration that cannot be applied, or a folder that does not match the database. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Returns the nearest folder at or above `start` that contains package.json.
 * Works both from `src/` (tsx, vitest) and from `dist/src/` after `tsc`.
 */
export function findRepositoryRoot(start: string = path.dirname(fileURLToPath(import.meta.url))): string {
  let folder = path.resolve(start);
  for (;;) {
    if (existsSync(path.join(folder, 'package.json'))) {
      return folder;
    }
    const parent = path.dirname(folder);
    if (parent === folder) {
      throw new MigrationError(`No package.json found in ${start} or any folder above it, so the migrations folder cannot be located.`);
    }
    folder = parent;
  }
}

export function defaultMigrationsFolder(): string {
  return path.join(findRepositoryRoot(), 'migrations');
}

/**
 * Reads the migration files of `folder` in name order. Files that do not end
 * in `.sql` are ignored. A `.sql` file whose name is not `NNNN_name.sql`, or
 * two files with the same number, raise MigrationError.
 */
export async function readMigrationFiles(folder: string): Promise<MigrationFile[]> {
  let entries: string[];
  try {
    entries = await readdir(folder);
  } catch (error) {
    throw new MigrationError(`Cannot read the migrations folder ${folder}: ${(error as Error).message}`, { cause: error });
  }

  const names = entries.filter((entry) => entry.endsWith('.sql')).sort();
  const seenNumbers = new Map<string, string>();
  const files: MigrationFile[] = [];

  for (const name of names) {
    const match = MIGRATION_FILE_NAME.exec(name);
    if (!match) {
      throw new MigrationError(
        `Invalid migration file name ${name} in ${folder}: expected four digits, an underscore and a lowercase name, such as 0002_add_invoices.sql.`,
      );
    }
    const number = match[1]!;
    const sameNumber = seenNumbers.get(number);
    if (sameNumber !== undefined) {
      throw new MigrationError(`Migration files ${sameNumber} and ${name} in ${folder} have the same number ${number}. Renumber one of them.`);
    }
    seenNumbers.set(number, name);

    const sql = await readFile(path.join(folder, name), 'utf8');
    files.push({ name, sql, checksum: checksumOf(sql) });
  }
  return files;
}

function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/**
 * Applies the migration files that the database has not recorded yet, in name
 * order, each in its own transaction, and records each in schema_migrations.
 *
 * A session-level advisory lock serialises concurrent runs against the same
 * database, so processes that start together apply each file once. Throws
 * MigrationError when an applied file has changed or gone missing, or when a
 * file fails. The failed file's changes are rolled back, and the files
 * before it stay applied.
 */
export async function migrate(pool: pg.Pool, logger: Logger, options: MigrateOptions = {}): Promise<MigrateResult> {
  const folder = options.folder ?? defaultMigrationsFolder();
  const files = await readMigrationFiles(folder);
  const log = logger.child({ component: 'migrate' });

  const client = await pool.connect();
  let lockHeld = false;
  try {
    await acquireMigrationLock(client, log);
    lockHeld = true;

    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        name        text PRIMARY KEY,
        checksum    text NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    const recorded = await readRecordedMigrations(client);
    verifyAppliedFiles(files, recorded, folder);

    const pending = files.filter((file) => !recorded.has(file.name));
    for (const file of pending) {
      await applyMigration(client, file, folder, log);
    }

    const result = { applied: pending.map((file) => file.name), alreadyApplied: files.length - pending.length };
    log.info(result, pending.length === 0 ? 'database schema is up to date' : 'database schema migrated');
    return result;
  } finally {
    if (lockHeld) {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY.toString()]).catch((error: unknown) => {
        // The server releases the lock when the session ends, and release(true) below ends it.
        log.warn({ err: error }, 'failed to release the migration lock; closing the connection instead');
      });
    }
    client.release(true);
  }
}

async function acquireMigrationLock(client: pg.PoolClient, log: Logger): Promise<void> {
  const key = MIGRATION_LOCK_KEY.toString();
  const attempt = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [key]);
  if (attempt.rows[0]?.locked) {
    return;
  }
  log.info('another process is migrating this database; waiting for it to finish');
  await client.query('SELECT pg_advisory_lock($1)', [key]);
}

async function readRecordedMigrations(client: pg.PoolClient): Promise<Map<string, string>> {
  const result = await client.query<{ name: string; checksum: string }>('SELECT name, checksum FROM schema_migrations');
  return new Map(result.rows.map((row) => [row.name, row.checksum]));
}

/** Throws when a recorded migration's file is missing or its text has changed since it was applied. */
function verifyAppliedFiles(files: MigrationFile[], recorded: Map<string, string>, folder: string): void {
  const filesByName = new Map(files.map((file) => [file.name, file]));

  for (const [name, checksum] of recorded) {
    const file = filesByName.get(name);
    if (file === undefined) {
      throw new MigrationError(
        `The database records migration ${name} as applied, but ${folder} has no such file. ` +
          'This database was migrated by a newer o2c version; run that version or a later one.',
      );
    }
    if (file.checksum !== checksum) {
      throw new MigrationError(
        `Migration ${name} was changed after it was applied (recorded checksum ${checksum}, file now ${file.checksum}). ` +
          'An applied migration must not change: restore the file and put the change in a new migration file, ' +
          'or, if the data may be discarded, drop the database (for embedded PostgreSQL, delete the data folder) and start again.',
      );
    }
  }
}

async function applyMigration(client: pg.PoolClient, file: MigrationFile, folder: string, log: Logger): Promise<void> {
  const startedAt = performance.now();
  await client.query('BEGIN');
  try {
    // Without parameters, pg uses the simple query protocol, which runs every statement in the file.
    await client.query(file.sql);
    await client.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [file.name, file.checksum]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw new MigrationError(
      `Migration ${file.name} failed${describeErrorLocation(file.sql, error)}: ${(error as Error).message}. ` +
        `Nothing of this file was applied; fix ${path.join(folder, file.name)} and start again.`,
      { cause: error },
    );
  }
  log.info({ migration: file.name, durationMs: Math.round(performance.now() - startedAt) }, 'applied migration');
}

/** Returns " at line N" when PostgreSQL reported the character position of the error. */
function describeErrorLocation(sql: string, error: unknown): string {
  const position = Number((error as { position?: unknown }).position);
  if (!Number.isInteger(position) || position < 1) {
    return '';
  }
  const line = sql.slice(0, position - 1).split('\n').length;
  return ` at line ${line}`;
}
