import path from 'node:path';

import { LOG_LEVELS, isLogLevel, type LogLevel } from './logger.js';

/**
 * Default port of the embedded PostgreSQL server. It sits far from 5432 and
 * 5433, where a system PostgreSQL usually listens.
 */
export const DEFAULT_EMBEDDED_PORT = 54329;

/** Process configuration, read once at start-up by `loadConfig`. */
export interface Config {
  /**
   * Connection string of an external PostgreSQL server (DATABASE_URL). When
   * undefined, o2c runs an embedded server in `dataDir`.
   */
  databaseUrl: string | undefined;
  /** Absolute path of the embedded server's data folder (O2C_DATA_DIR or `--data`). */
  dataDir: string;
  /** TCP port of the embedded server on 127.0.0.1 (O2C_PG_PORT). */
  embeddedPort: number;
  /** HTTP listen port (O2C_HTTP_PORT); 0 lets the system pick a free port. */
  httpPort: number;
  /** HTTP listen address (O2C_HTTP_HOST). */
  httpHost: string;
  logLevel: LogLevel;
}

export interface ConfigOverrides {
  /** Data folder from the `--data DIR` flag; takes precedence over O2C_DATA_DIR. */
  dataDir?: string | undefined;
}

/** Invalid configuration; the message names the variable, the value and the fix. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads and validates the configuration from environment variables.
 * An empty variable counts as unset. Relative paths are resolved against `cwd`.
 * Throws ConfigError on the first invalid value.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigOverrides = {},
  cwd: string = process.cwd(),
): Config {
  const dataDirSource = overrides.dataDir !== undefined ? '--data' : 'O2C_DATA_DIR';
  const dataDir = overrides.dataDir ?? readVariable(env, 'O2C_DATA_DIR') ?? './data';
  if (dataDir.trim() === '') {
    throw new ConfigError(dataDirSource, `Invalid ${dataDirSource}: the folder name is empty. Give a folder path such as ./data.`);
  }

  return {
    databaseUrl: parseDatabaseUrl(readVariable(env, 'DATABASE_URL')),
    dataDir: path.resolve(cwd, dataDir),
    embeddedPort: parsePort(env, 'O2C_PG_PORT', DEFAULT_EMBEDDED_PORT, 1),
    httpPort: parsePort(env, 'O2C_HTTP_PORT', 3000, 0),
    httpHost: readVariable(env, 'O2C_HTTP_HOST') ?? '127.0.0.1',
    logLevel: parseLogLevel(readVariable(env, 'LOG_LEVEL')),
  };
}

/**
 * Replaces the password in a connection string with `***`, so the string can
 * appear in logs and error messages. A string that is not a URL is returned
 * as a fixed placeholder, because it may contain a password in another form.
 */
export function redactConnectionString(connectionString: string): string {
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return '(connection string that is not a URL)';
  }
  if (url.password !== '') {
    url.password = '***';
  }
  return url.toString();
}

function readVariable(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

function parseDatabaseUrl(value: string | undefined): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  const example = 'postgres://user:password@host:5432/o2c';

  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(
      'DATABASE_URL',
      `Invalid DATABASE_URL ${redactConnectionString(value)}: it is not a URL. Use the form ${example}, or unset DATABASE_URL to use the embedded server.`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      'DATABASE_URL',
      `Invalid DATABASE_URL ${redactConnectionString(value)}: the scheme must be postgres:// or postgresql://, as in ${example}.`,
    );
  }
  return value;
}

function parsePort(env: NodeJS.ProcessEnv, name: string, defaultPort: number, minimum: 0 | 1): number {
  const value = readVariable(env, name);
  if (value === undefined) {
    return defaultPort;
  }
  const port = /^\d{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(port >= minimum && port <= 65535)) {
    throw new ConfigError(name, `Invalid ${name} "${value}": expected a whole number from ${minimum} to 65535.`);
  }
  return port;
}

function parseLogLevel(value: string | undefined): LogLevel {
  if (value === undefined) {
    return 'info';
  }
  if (!isLogLevel(value)) {
    throw new ConfigError('LOG_LEVEL', `Invalid LOG_LEVEL "${value}": expected one of ${LOG_LEVELS.join(', ')}.`);
  }
  return value;
}
