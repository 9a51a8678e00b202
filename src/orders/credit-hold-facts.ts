import { formatMinorUnits } from '../money/index.js';
import type { CreditCheckFacts } from '../receivables/rules/credit-check.js';

/**
 * Formats the facts of a `credit_limit` hold for a credit manager, with every
 * amount a decimal string in the customer's currency, like the rest of the API.
 */
export function creditHoldFacts(facts: CreditCheckFacts, currency: string): Record<string, unknown> {
  const format = (minor: bigint) => formatMinorUnits(minor, currency);
  return {
    currency,
    creditLimit: facts.creditLimitMinor === null ? null : format(facts.creditLimitMinor),
    exposure: format(facts.exposureMinor),
    overLimit: format(facts.overLimitMinor),
    openReceivables: format(facts.openReceivablesMinor),
    shippedNotInvoiced: format(facts.shippedNotInvoicedMinor),
    confirmedNotShipped: format(facts.confirmedNotShippedMinor),
    thisOrder: format(facts.thisOrderMinor),
  };
}
