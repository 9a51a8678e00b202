import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import type { LogLevel } from '../src/platform/logger.js';
import type { ServerReply, ServerRequest } from './intake-server.js';

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** The HTTP API running in a child process on 127.0.0.1. */
export interface ServerProcess {
  baseUrl: string;
  /** CPU time the server process has used since it started. */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** Closes the server and its pool and waits for the process to exit. Kills the process after 10 s. */
  stop(): Promise<void>;
}

/** Forks intake-server.js, sends it the database, and waits until it listens on a free port. */
export async function startServerProcess(options: {
  connectionString: string;
  companyCode: string;
  maxConnections: number;
  logLevel: LogLevel;
}): Promise<ServerProcess> {
  const script = fileURLToPath(new URL('./intake-server.js', import.meta.url));
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    const listening = await nextReply(child, 'listening', START_TIMEOUT_MS, () =>
      send(child, { type: 'start', ...options }),
    );
    return {
      baseUrl: `http://127.0.0.1:${listening.port}`,
      cpuUsage: async () => (await nextReply(child, 'cpu-usage', START_TIMEOUT_MS, () => send(child, { type: 'cpu-usage' }))).usage,
      stop: () => stopChild(child, exited),
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

function send(child: ChildProcess, request: ServerRequest): void {
  child.send(request);
}

/** Sends a request through `ask` and waits for the reply of the given type. A `failed` reply, an exit or a timeout rejects. */
function nextReply<T extends ServerReply['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  ask: () => void,
): Promise<Extract<ServerReply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const cleanUp = (): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (reply: ServerReply): void => {
      if (reply.type === 'failed') {
        cleanUp();
        reject(new Error(`The benchmark's HTTP server process failed: ${reply.message}`));
      } else if (reply.type === type) {
        cleanUp();
        resolve(reply as Extract<ServerReply, { type: T }>);
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      cleanUp();
      reject(new Error(`The benchmark's HTTP server process exited (code ${code ?? signal}) while waiting for "${type}".`));
    };
    const timer = setTimeout(() => {
      cleanUp();
      reject(new Error(`The benchmark's HTTP server process sent no "${type}" reply within ${timeoutMs / 1000} s.`));
    }, timeoutMs);

    child.on('message', onMessage);
    child.once('exit', onExit);
    ask();
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  if (child.connected) child.send({ type: 'stop' } satisfies ServerRequest);
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}
