import type { CsvTable } from './csv-file.js';
import type { RejectedRow, SourceFileSummary } from './model.js';

interface FileAccount {
  fileName: string;
  rowNumbers: number[];
  used: Set<number>;
  rejected: Map<number, RejectedRow>;
}

/**
 * Records, for every data row of every file, whether the replay uses it or
 * rejects it, so that no row is dropped without a trace.
 */
export class RowAccounting {
  private readonly files: FileAccount[] = [];
  private readonly byName = new Map<string, FileAccount>();

  register(table: CsvTable): void {
    const account: FileAccount = { fileName: table.fileName, rowNumbers: table.rows.map((row) => row.row), used: new Set(), rejected: new Map() };
    this.files.push(account);
    this.byName.set(table.fileName, account);
  }

  use(table: CsvTable, row: number): void {
    this.account(table).used.add(row);
  }

  reject(table: CsvTable, row: number, code: string, reason: string): void {
    this.account(table).rejected.set(row, { file: table.fileName, row, code, reason });
  }

  isRejected(table: CsvTable, row: number): boolean {
    return this.account(table).rejected.has(row);
  }

  /** Moves a row from used to rejected, for a row whose parent was rejected after the row was accepted. */
  withdraw(table: CsvTable, row: number, code: string, reason: string): void {
    this.account(table).used.delete(row);
    this.reject(table, row, code, reason);
  }

  /**
   * Returns one summary per file. Throws when a row is neither used nor
   * rejected, or both, because that is a bug in the reader.
   */
  summaries(): SourceFileSummary[] {
    return this.files.map((account) => {
      for (const row of account.rowNumbers) {
        const used = account.used.has(row);
        const rejected = account.rejected.has(row);
        if (used === rejected) {
          throw new Error(`${account.fileName} row ${row} is ${used ? 'both used and rejected' : 'neither used nor rejected'}; every row must be accounted for once`);
        }
      }
      return { file: account.fileName, rowsRead: account.rowNumbers.length, rowsUsed: account.used.size, rowsRejected: account.rejected.size };
    });
  }

  rejectedRows(): RejectedRow[] {
    return this.files.flatMap((account) => [...account.rejected.values()]).sort((a, b) => a.file.localeCompare(b.file) || a.row - b.row);
  }

  private account(table: CsvTable): FileAccount {
    const account = this.byName.get(table.fileName);
    if (account === undefined) throw new Error(`${table.fileName} was not registered before its rows were counted`);
    return account;
  }
}
