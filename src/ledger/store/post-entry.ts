import type { Tx } from '../../platform/command.js';
import type { LedgerAccount, LedgerEntryTable } from '../../platform/schema.js';

export interface LedgerLineInput {
  account: LedgerAccount;
  /** Set on receivables lines, so the control account can be reconciled per customer. */
  customerId?: string | null;
  debitMinor?: bigint;
  creditMinor?: bigint;
}

export interface LedgerEntryInput {
  companyId: string;
  entryDate: string;
  sourceType: LedgerEntryTable['source_type'];
  sourceId: string;
  currency: string;
  description: string;
  lines: readonly LedgerLineInput[];
}

/**
 * Posts one journal entry. Lines of zero are left out, but the entry itself
 * is always written, so every document has its entry even when it is 0.00
 * (a line given away at 100 % discount). An entry whose debits and credits
 * differ is a bug in the caller and fails before anything is written.
 */
export async function postLedgerEntry(trx: Tx, entry: LedgerEntryInput): Promise<void> {
  const lines = entry.lines.filter((line) => (line.debitMinor ?? 0n) !== 0n || (line.creditMinor ?? 0n) !== 0n);

  const debits = lines.reduce((sum, line) => sum + (line.debitMinor ?? 0n), 0n);
  const credits = lines.reduce((sum, line) => sum + (line.creditMinor ?? 0n), 0n);
  if (debits !== credits) {
    throw new Error(`Unbalanced ledger entry for ${entry.sourceType} ${entry.sourceId}: debits ${debits} != credits ${credits}`);
  }

  const inserted = await trx
    .insertInto('ledger_entry')
    .values({
      company_id: entry.companyId,
      entry_date: entry.entryDate,
      source_type: entry.sourceType,
      source_id: entry.sourceId,
      currency: entry.currency,
      description: entry.description,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (lines.length === 0) return;

  await trx
    .insertInto('ledger_line')
    .values(
      lines.map((line) => ({
        company_id: entry.companyId,
        entry_id: inserted.id,
        account: line.account,
        customer_id: line.customerId ?? null,
        debit_minor: line.debitMinor ?? 0n,
        credit_minor: line.creditMinor ?? 0n,
      })),
    )
    .execute();
}
