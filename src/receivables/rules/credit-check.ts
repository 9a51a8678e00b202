export interface CreditCheckInput {
  /** Credit limit in minor units of the customer's currency. Null means no limit, and 0 means cash in advance. */
  creditLimitMinor: bigint | null;
  /** Open invoices minus open credit notes and unapplied payments, negative when the customer has a credit balance. */
  openReceivablesMinor: bigint;
  shippedNotInvoicedMinor: bigint;
  confirmedNotShippedMinor: bigint;
  /** Value of the order or order change being checked, not yet part of confirmedNotShippedMinor. */
  thisOrderMinor: bigint;
}

export interface CreditCheckFacts {
  creditLimitMinor: bigint | null;
  exposureMinor: bigint;
  openReceivablesMinor: bigint;
  shippedNotInvoicedMinor: bigint;
  confirmedNotShippedMinor: bigint;
  thisOrderMinor: bigint;
  /** Amount by which the exposure exceeds the limit, or 0 when within the limit or without one. */
  overLimitMinor: bigint;
}

export interface CreditCheckResult {
  withinLimit: boolean;
  exposureMinor: bigint;
  facts: CreditCheckFacts;
}

/**
 * Checks a customer's exposure against the credit limit. Exposure is what the
 * customer owes or will owe once this order ships and is invoiced: open
 * receivables + shipped not invoiced + confirmed not shipped + this order.
 * The order is over the limit when the exposure exceeds it. With a limit of 0
 * (cash in advance) any positive order is over, unless a credit balance such
 * as a prepayment in the open receivables covers it.
 */
export function checkCredit(input: CreditCheckInput): CreditCheckResult {
  const { creditLimitMinor, openReceivablesMinor, shippedNotInvoicedMinor, confirmedNotShippedMinor, thisOrderMinor } =
    input;
  requireNotNegative('creditLimitMinor', creditLimitMinor);
  requireNotNegative('shippedNotInvoicedMinor', shippedNotInvoicedMinor);
  requireNotNegative('confirmedNotShippedMinor', confirmedNotShippedMinor);
  requireNotNegative('thisOrderMinor', thisOrderMinor);

  const exposureMinor = openReceivablesMinor + shippedNotInvoicedMinor + confirmedNotShippedMinor + thisOrderMinor;
  const overLimitMinor =
    creditLimitMinor !== null && exposureMinor > creditLimitMinor ? exposureMinor - creditLimitMinor : 0n;

  return {
    withinLimit: overLimitMinor === 0n,
    exposureMinor,
    facts: {
      creditLimitMinor,
      exposureMinor,
      openReceivablesMinor,
      shippedNotInvoicedMinor,
      confirmedNotShippedMinor,
      thisOrderMinor,
      overLimitMinor,
    },
  };
}

function requireNotNegative(field: string, value: bigint | null): void {
  if (value !== null && value < 0n) {
    throw new RangeError(`Invalid ${field}: ${value} (expected 0 or more minor units)`);
  }
}
