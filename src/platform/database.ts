import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

import { createLogger, type Logger } from './logger.js';
import type { DB } from './schema.js';

/** An open connection pool and the Kysely instance on top of it. */
export interface Database {
  pool: pg.Pool;
  db: Kysely<DB>;
  /** Closes every connection of the pool. Calling it again does nothing. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** Maximum number of connections in the pool. Defaults to 10. */
  maxConnections?: number;
  /** Shown in pg_stat_activity, so an operator can tell the processes apart. */
  applicationName?: string;
  /** Receives errors of idle connections. Defaults to a warn-level logger on stderr. */
  logger?: Logger;
}

// PostgreSQL type OIDs, from pg_type in PostgreSQL's catalog.
const INT8_OID = 20;
const NUMERIC_OID = 1700;
const DATE_OID = 1082;
const INT8_ARRAY_OID = 1016;
const NUMERIC_ARRAY_OID = 1231;
const DATE_ARRAY_OID = 1182;
const TEXT_ARRAY_OID = 1009;

type TextParser = (value: string) => unknown;

// pg's typings accept only the TypeId enum, which lacks the array types.
const defaultTypeParser = pg.types.getTypeParser as (oid: number, format: 'text' | 'binary') => (value: string) => unknown;
const parseTextArray = defaultTypeParser(TEXT_ARRAY_OID, 'text') as (value: string) => unknown[];

/** Converts each non-null element of a possibly nested array. */
function mapArray(values: unknown[], convert: (value: string) => unknown): unknown[] {
  return values.map((value) => {
    if (value === null) {
      return null;
    }
    if (Array.isArray(value)) {
      return mapArray(value, convert);
    }
    return convert(value as string);
  });
}

/**
 * Text-format parsers that differ from node-postgres's defaults. Amounts
 * (int8) become bigint. Decimals (numeric) stay strings, because a JavaScript
 * number would round them. Dates stay 'YYYY-MM-DD' strings, because a Date
 * would shift them by the local time zone.
 */
const TEXT_PARSERS = new Map<number, TextParser>([
  [INT8_OID, (value) => BigInt(value)],
  [NUMERIC_OID, (value) => value],
  [DATE_OID, (value) => value],
  [INT8_ARRAY_OID, (value) => mapArray(parseTextArray(value), (element) => BigInt(element))],
  [NUMERIC_ARRAY_OID, parseTextArray],
  [DATE_ARRAY_OID, parseTextArray],
]);

/**
 * Type parsers for one pool. They are passed through the pool's `types`
 * option, so the global `pg.types` registry stays untouched.
 */
export const typeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    const parser = format === 'binary' ? undefined : TEXT_PARSERS.get(oid);
    return parser ?? defaultTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a connection pool and a Kysely instance on the database at
 * `connectionString`. Connections are opened on first use, so a wrong address
 * or password surfaces at the first query.
 */
export function openDatabase(connectionString: string, options: OpenDatabaseOptions = {}): Database {
  const logger = options.logger ?? createLogger({ level: 'warn', name: 'o2c.database', destination: 'stderr' });
  const pool = new pg.Pool({
    connectionString,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? 'o2c',
    types: typeParsers,
  });

  let closing: Promise<void> | undefined;

  // Without a listener, an idle connection that the server closes (restart,
  // DROP DATABASE ... WITH (FORCE)) would crash the process. The error object
  // refers to the client, so only its message and code are logged.
  pool.on('error', (error) => {
    const fields = { error: error.message, code: sqlState(error) };
    if (closing) {
      logger.debug(fields, 'a PostgreSQL connection failed while the pool was closing');
    } else {
      logger.warn(fields, 'an idle PostgreSQL connection failed; the pool opens a new one on the next query');
    }
  });

  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });

  return {
    pool,
    db,
    close() {
      closing ??= (async () => {
        // Kysely ends the pool only if a Kysely query has run; ending a pg.Pool twice throws.
        await db.destroy();
        if (!pool.ending) {
          await pool.end();
        }
      })();
      return closing;
    },
  };
}

/**
 * Returns the connection string with its database name replaced, for example to
 * reach the `postgres` maintenance database of the same server.
 */
export function withDatabaseName(connectionString: string, databaseName: string): string {
  const url = new URL(connectionString);
  url.pathname = `/${encodeURIComponent(databaseName)}`;
  return url.toString();
}

/**
 * Returns the `code` of an error when it has the shape of a SQLSTATE (five
 * digits or uppercase letters), as node-postgres sets it on server errors.
 */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) {
    return undefined;
  }
  const code = (error as { code: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/**
 * Tells whether the error is a serialization failure (40001) or a deadlock
 * (40P01). Both roll the transaction back, and running it again is the
 * standard remedy.
 */
export function isSerializationOrDeadlock(error: unknown): boolean {
  const code = sqlState(error);
  return code === '40001' || code === '40P01';
}

/**
 * Tells whether the error is a unique violation (23505), and when
 * `constraintName` is given, whether that constraint or index raised it.
 */
export function isUniqueViolation(error: unknown, constraintName?: string): boolean {
  if (sqlState(error) !== '23505') {
    return false;
  }
  if (constraintName === undefined) {
    return true;
  }
  return (error as { constraint?: unknown }).constraint === constraintName;
}
