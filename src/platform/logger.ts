import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Pino's level names, from most to least severe; `silent` turns logging off. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

export interface LoggerOptions {
  level: LogLevel;
  /** Value of the `name` field on every line, for example `o2c` or `o2c.migrate`. */
  name?: string;
  /**
   * Destination of the JSON lines. Defaults to `stdout`. Use `stderr` when
   * stdout carries a command's own output (the CLI's `--json` mode), and a
   * stream to capture the lines in tests.
   */
  destination?: 'stdout' | 'stderr' | DestinationStream;
}

/**
 * Creates a pino logger that writes one JSON object per line with an ISO 8601
 * `time` field. Writes to stdout and stderr are synchronous, so the lines
 * written just before `process.exit` are not lost.
 */
export function createLogger(options: LoggerOptions): Logger {
  const destination = resolveDestination(options.destination ?? 'stdout');
  return pino(
    {
      level: options.level,
      name: options.name,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

function resolveDestination(destination: 'stdout' | 'stderr' | DestinationStream): DestinationStream {
  if (destination === 'stdout') {
    return pino.destination({ dest: 1, sync: true });
  }
  if (destination === 'stderr') {
    return pino.destination({ dest: 2, sync: true });
  }
  return destination;
}
