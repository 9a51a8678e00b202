/**
 * The HTTP API in a process of its own, started by intake-bench.ts with
 * child_process.fork. The server thus gets its own event loop and the load
 * generator's work does not count as server time. The connection string
 * comes over the IPC channel, so the database password stays out of the
 * process list.
 *
 * Messages from the parent: `start`, `cpu-usage` and `stop`. Replies:
 * `listening` with the port, `cpu-usage` with process.cpuUsage(), `failed`.
 */
import type { FastifyInstance } from 'fastify';

import { buildServer } from '../src/http/server.js';
import { validateTransitionTable } from '../src/orders/rules/order-lifecycle.js';
import { systemClock } from '../src/platform/clock.js';
import { openDatabase, type Database } from '../src/platform/database.js';
import { createLogger, type LogLevel } from '../src/platform/logger.js';

export type ServerRequest =
  | { type: 'start'; connectionString: string; companyCode: string; maxConnections: number; logLevel: LogLevel }
  | { type: 'cpu-usage' }
  | { type: 'stop' };

export type ServerReply =
  | { type: 'listening'; port: number }
  | { type: 'cpu-usage'; usage: NodeJS.CpuUsage }
  | { type: 'failed'; message: string };

let running: { app: FastifyInstance; database: Database } | undefined;

function send(reply: ServerReply): void {
  process.send?.(reply);
}

async function start(request: Extract<ServerRequest, { type: 'start' }>): Promise<void> {
  const logger = createLogger({ level: request.logLevel, name: 'o2c.bench-server', destination: 'stderr' });
  validateTransitionTable();

  const database = openDatabase(request.connectionString, {
    maxConnections: request.maxConnections,
    applicationName: 'o2c-bench-http',
    logger,
  });
  const app = buildServer({ db: database.db, logger, clock: systemClock, defaultCompanyCode: request.companyCode });
  await app.listen({ host: '127.0.0.1', port: 0 });
  running = { app, database };

  const address = app.server.address();
  if (address === null || typeof address === 'string') {
    throw new Error('The HTTP server did not report a TCP port after listen.');
  }
  send({ type: 'listening', port: address.port });
}

async function stop(): Promise<void> {
  const current = running;
  running = undefined;
  if (current !== undefined) {
    await current.app.close();
    await current.database.close();
  }
  // With the IPC channel closed and the server stopped, the process exits by itself.
  if (process.connected) process.disconnect();
}

if (process.send === undefined) {
  process.stderr.write('intake-server.js runs only as a child of intake-bench.js (child_process.fork), which sends it the database.\n');
  process.exit(2);
}

process.on('message', (message: ServerRequest) => {
  switch (message.type) {
    case 'start':
      start(message).catch((error: unknown) => send({ type: 'failed', message: (error as Error).stack ?? String(error) }));
      break;
    case 'cpu-usage':
      send({ type: 'cpu-usage', usage: process.cpuUsage() });
      break;
    case 'stop':
      stop().catch((error: unknown) => {
        process.stderr.write(`intake-server: failed to stop cleanly: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      });
      break;
  }
});

// The parent went away without sending stop, for example after a crash.
process.on('disconnect', () => {
  stop().catch(() => process.exit(1));
});
