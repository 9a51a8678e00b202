import { randomUUID } from 'node:crypto';

import { expect } from 'vitest';

import { ManualClock } from '../../src/platform/clock.js';
import type { CommandContext } from '../../src/platform/command.js';
import { setupCompany } from '../../src/platform/company/setup-company.js';
import { createLogger } from '../../src/platform/logger.js';
import type { Rejection, RejectionCode, Result } from '../../src/platform/rejection.js';
import type { HistoryEntityType } from '../../src/platform/schema.js';
import type { TestDatabase } from '../support/test-database.js';

export const BUSINESS_TIME = new Date('2024-03-01T09:00:00.000Z');

/**
 * Sets up a company with its own code on the test database and returns a
 * command context for it, so each test starts from fresh master data.
 */
export async function newCompanyContext(
  database: TestDatabase,
  options: { currency?: string; countryCode?: string } = {},
): Promise<CommandContext> {
  const clock = new ManualClock(BUSINESS_TIME);
  const code = `CO-${randomUUID().slice(0, 8)}`;
  const companyId = await setupCompany(database.db, clock, {
    code,
    name: `Company ${code}`,
    currency: options.currency ?? 'EUR',
    countryCode: options.countryCode ?? 'DE',
  });
  return { db: database.db, clock, logger: createLogger({ level: 'silent' }), companyId, actor: 'test-clerk' };
}

/** Asserts that the command succeeded and returns its value. */
export function expectSuccess<T>(result: Result<T>): T {
  if (!result.ok) {
    expect.fail(`expected success, got ${result.rejection.code}: ${result.rejection.message}`);
  }
  return result.value;
}

/** Asserts that the command was rejected with `code` and returns the rejection. */
export function expectRejection<T>(result: Result<T>, code: RejectionCode): Rejection {
  if (result.ok) {
    expect.fail(`expected rejection ${code}, got success`);
  }
  expect(result.rejection.code, result.rejection.message).toBe(code);
  return result.rejection;
}

/** Returns the JSON pointers of a validation_failed rejection. */
export function failedPointers(rejection: Rejection): string[] {
  const errors = rejection.facts.errors as { pointer: string }[];
  return errors.map((error) => error.pointer);
}

/** Reads the history rows of one entity of the context's company, oldest first. */
export async function readHistory(ctx: CommandContext, entityType: HistoryEntityType, entityId: string) {
  return ctx.db
    .selectFrom('history')
    .selectAll()
    .where('company_id', '=', ctx.companyId)
    .where('entity_type', '=', entityType)
    .where('entity_id', '=', entityId)
    .orderBy('id')
    .execute();
}
