import { z } from 'zod';

import { formatMinorUnits } from '../../money/index.js';
import { runCommand, type CommandContext, type Tx } from '../../platform/command.js';
import { appendHistory, type HistoryEntry } from '../../platform/history.js';
import { releaseCreditHolds } from '../../orders/release-credit-holds.js';
import { rejectAndRollBack, type Result } from '../../platform/rejection.js';
import { DECIMAL_STRING, validateInput } from '../../platform/validation.js';
import { creditLimitToMinorUnits } from '../credit-limit.js';
import { getCustomer, type CustomerView } from '../queries/get-customer.js';

export const updateCustomerCreditSchema = z
  .object({
    customerCode: z.string().min(1, 'must not be empty'),
    /** Credit limit in major units of the customer's currency. Null removes the limit, and absent leaves it unchanged. */
    creditLimit: z.string().regex(DECIMAL_STRING, 'must be a decimal string of 0 or more, such as "5000.00"').nullable().optional(),
    /** True blocks the customer and false unblocks. Absent leaves the block unchanged. */
    blocked: z.boolean().optional(),
    reason: z.string().trim().min(1, 'must say why the credit limit or block changes, because the customer history shows it'),
  })
  .refine((request) => request.creditLimit !== undefined || request.blocked !== undefined, {
    message: 'must contain creditLimit, blocked or both',
  });

export type UpdateCustomerCreditInput = z.input<typeof updateCustomerCreditSchema>;

export type CustomerCreditEvent = 'credit_limit_changed' | 'blocked' | 'unblocked';

export interface UpdateCustomerCreditOutcome {
  customer: CustomerView;
  /** The limit before the change in minor units, or null when there was none. */
  previousCreditLimitMinor: bigint | null;
  previouslyBlocked: boolean;
  /** History events written. Empty when the request matched the current values. */
  events: CustomerCreditEvent[];
  /** Order numbers confirmed because their credit or block hold no longer applies. */
  releasedOrders: string[];
}

/**
 * Sets a customer's credit limit, blocks or unblocks the customer, and writes
 * one history row per change with the reason. The customer's orders on
 * credit or block hold are checked again in the same transaction, so a
 * higher limit or a lifted block confirms the orders it now allows.
 */
export async function updateCustomerCredit(
  ctx: CommandContext,
  input: UpdateCustomerCreditInput,
): Promise<Result<UpdateCustomerCreditOutcome>> {
  const validated = validateInput(updateCustomerCreditSchema, input);
  if (!validated.ok) return validated;
  const request = validated.value;

  return runCommand(ctx, 'update-customer-credit', async (trx) => {
    // The row lock orders this change against order intake, which locks the
    // customer for its credit check.
    const customer = await lockCustomer(trx, ctx.companyId, request.customerCode);

    const at = ctx.clock.now();
    const entries: (HistoryEntry & { event: CustomerCreditEvent })[] = [];
    const historyBase = {
      companyId: ctx.companyId,
      entityType: 'customer' as const,
      entityId: customer.id,
      orderId: null,
      actor: ctx.actor,
      reason: request.reason,
      occurredAt: at,
    };

    let creditLimitMinor = customer.credit_limit_minor;
    if (request.creditLimit !== undefined) {
      creditLimitMinor = request.creditLimit === null ? null : toMinorOrRollBack(request.creditLimit, customer.currency);
    }
    if (creditLimitMinor !== customer.credit_limit_minor) {
      entries.push({
        ...historyBase,
        event: 'credit_limit_changed',
        details: {
          currency: customer.currency,
          from: formatLimit(customer.credit_limit_minor, customer.currency),
          to: formatLimit(creditLimitMinor, customer.currency),
        },
      });
    }

    const blocked = request.blocked ?? customer.blocked;
    if (blocked !== customer.blocked) {
      entries.push({
        ...historyBase,
        event: blocked ? 'blocked' : 'unblocked',
        fromStatus: customer.blocked ? 'blocked' : 'active',
        toStatus: blocked ? 'blocked' : 'active',
      });
    }

    let releasedOrders: string[] = [];
    if (entries.length > 0) {
      await trx
        .updateTable('customer')
        .set({ credit_limit_minor: creditLimitMinor, blocked })
        .where('id', '=', customer.id)
        .execute();
      await appendHistory(trx, entries);

      // A higher limit or a lifted block may clear holds placed for them.
      releasedOrders = await releaseCreditHolds(trx, {
        companyId: ctx.companyId,
        customerId: customer.id,
        actor: 'system',
        at,
        reasons: ['credit_limit', 'customer_blocked'],
        why: request.reason,
      });
    }

    return {
      customer: await getCustomer(trx, ctx.companyId, customer.code),
      previousCreditLimitMinor: customer.credit_limit_minor,
      previouslyBlocked: customer.blocked,
      events: entries.map((entry) => entry.event),
      releasedOrders,
    };
  });
}

async function lockCustomer(trx: Tx, companyId: string, customerCode: string) {
  const customer = await trx
    .selectFrom('customer')
    .select(['id', 'code', 'currency', 'credit_limit_minor', 'blocked'])
    .where('company_id', '=', companyId)
    .where('code', '=', customerCode)
    .forUpdate()
    .executeTakeFirst();
  if (!customer) {
    rejectAndRollBack(
      'customer_not_found',
      `Customer ${customerCode} was not found. Create the customer or correct the customer code.`,
      { customerCode },
      '/customerCode',
    );
  }
  return customer;
}

function toMinorOrRollBack(creditLimit: string, currency: string): bigint {
  const converted = creditLimitToMinorUnits(creditLimit, currency);
  if (!converted.ok) {
    const { code, message, facts, pointer } = converted.rejection;
    rejectAndRollBack(code, message, facts, pointer);
  }
  return converted.value;
}

function formatLimit(minor: bigint | null, currency: string): string | null {
  return minor === null ? null : formatMinorUnits(minor, currency);
}
