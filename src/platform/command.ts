import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';

import type { Clock } from './clock.js';
import { isSerializationOrDeadlock, isUniqueViolation, sqlState } from './database.js';
import { RejectionError, type Result } from './rejection.js';
import type { DB } from './schema.js';

export type Tx = Transaction<DB>;

/** Dependencies of every command: the database, business time, the company and who acts. */
export interface CommandContext {
  db: Kysely<DB>;
  clock: Clock;
  logger: Logger;
  companyId: string;
  /** The person or system acting, written to every history row. */
  actor: string;
}

/** SQLSTATE 22003: a number does not fit its column (numeric precision or bigint). */
const NUMERIC_VALUE_OUT_OF_RANGE = '22003';

/** Transactions that lose a deadlock or serialization race are retried this often. */
const MAX_ATTEMPTS = 5;

/**
 * Runs one use case in one transaction. An expected rejection thrown with
 * `rejectAndRollBack` rolls everything back and comes out as a Result. A
 * deadlock or serialization failure is retried with a short random backoff.
 */
export async function runCommand<T>(
  ctx: CommandContext,
  commandName: string,
  work: (trx: Tx) => Promise<T>,
): Promise<Result<T>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      const value = await ctx.db.transaction().execute(work);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof RejectionError) {
        return { ok: false, rejection: error.rejection };
      }
      if (sqlState(error) === NUMERIC_VALUE_OUT_OF_RANGE) {
        // A quantity or amount, or a total computed from them, is larger
        // than its column can hold; nothing was written.
        ctx.logger.warn({ command: commandName, err: error }, 'value too large to store; rejected');
        return {
          ok: false,
          rejection: {
            code: 'value_out_of_range',
            message: `A quantity, price or amount in this request, or a total computed from them, is too large to store (${(error as Error).message}); send smaller values.`,
            facts: { command: commandName },
          },
        };
      }
      if (isSerializationOrDeadlock(error) && attempt < MAX_ATTEMPTS) {
        ctx.logger.warn({ command: commandName, attempt, err: error }, 'transaction lost a lock race; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 20 * attempt)));
        continue;
      }
      throw error;
    }
  }
}

/**
 * Runs a command that looks up its idempotency key before it writes. Two
 * first requests with one key can both pass the lookup, so the loser hits one
 * of the named unique indexes; run once more, it finds the winner's result.
 */
export async function retryOnDuplicateKey<T>(uniqueIndexes: readonly string[], attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (uniqueIndexes.some((name) => isUniqueViolation(error, name))) return attempt();
    throw error;
  }
}
