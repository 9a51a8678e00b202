import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse } from 'csv-parse/sync';

import { ProblemList, ReplayInputError } from './input-error.js';

/** One data row with its values by header name. */
export interface CsvRow {
  /** 1-based line number where the record starts, the header being row 1. */
  row: number;
  values: Readonly<Record<string, string>>;
}

export interface CsvTable {
  /** Path as the caller passed it, for error messages. */
  path: string;
  /** File name without folders, for rejected rows and notes. */
  fileName: string;
  rows: CsvRow[];
  /** Rows whose unquoted comma in a text column was joined back (see `commaColumns`). */
  repairedRowCount: number;
}

export interface CsvReadOptions {
  requiredColumns: readonly string[];
  /**
   * Text columns whose values may contain an unquoted comma followed by a
   * space, as in `Rua do Paço, 67`. A row with exactly one field too many is
   * repaired when exactly one of these columns is followed by a field that
   * starts with a space. The two fields are then joined with a comma.
   */
  commaColumns?: readonly string[];
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Reads a comma-separated file with a header row. Throws `ReplayInputError`
 * naming the file, row and value when the file is missing, a required column
 * is missing or a row has the wrong number of fields and cannot be repaired.
 */
export async function readCsvTable(path: string, options: CsvReadOptions): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : `file cannot be read: ${(error as Error).message}`;
    throw new ReplayInputError([{ file: path, row: null, column: null, value: null, message: reason }]);
  }

  const records = parseRecords(path, text);
  const problems = new ProblemList();
  const [headerRecord, ...dataRecords] = records;
  if (headerRecord === undefined) {
    throw new ReplayInputError([{ file: path, row: 1, column: null, value: null, message: 'file is empty; expected a header row' }]);
  }

  const header = headerRecord.record.map((name) => name.trim());
  for (const column of options.requiredColumns) {
    if (!header.includes(column)) {
      problems.add({ file: path, row: 1, column, value: null, message: `required column "${column}" is missing from the header` });
    }
  }
  problems.throwIfAny();

  const commaIndexes = (options.commaColumns ?? []).map((column) => header.indexOf(column)).filter((index) => index >= 0);
  const rows: CsvRow[] = [];
  let repairedRowCount = 0;

  for (const { record, info } of dataRecords) {
    const row = startLine(record, info.lines);
    let fields = record;
    if (fields.length === header.length + 1) {
      const repaired = joinUnquotedComma(fields, commaIndexes);
      if (repaired !== null) {
        fields = repaired;
        repairedRowCount += 1;
      }
    }
    if (fields.length !== header.length) {
      problems.add({
        file: path,
        row,
        column: null,
        value: record.join(','),
        message: `row has ${record.length} fields but the header has ${header.length}; quote any value that contains a comma`,
      });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((name, index) => {
      values[name] = fields[index] ?? '';
    });
    rows.push({ row, values });
  }

  problems.throwIfAny();
  return { path, fileName: basename(path), rows, repairedRowCount };
}

function parseRecords(path: string, text: string): ParsedRecord[] {
  try {
    return parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedRecord[];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new ReplayInputError([
      { file: path, row: typeof lines === 'number' ? lines : null, column: null, value: null, message: `invalid CSV: ${(error as Error).message}` },
    ]);
  }
}

/** csv-parse reports the line a record ends on; quoted line breaks move the start back. */
function startLine(record: readonly string[], endLine: number): number {
  let breaks = 0;
  for (const field of record) {
    for (const character of field) if (character === '\n') breaks += 1;
  }
  return endLine - breaks;
}

function joinUnquotedComma(fields: readonly string[], commaIndexes: readonly number[]): string[] | null {
  const candidates = commaIndexes.filter((index) => (fields[index + 1] ?? '').startsWith(' '));
  const [index] = candidates;
  if (candidates.length !== 1 || index === undefined) return null;
  const joined = `${fields[index]},${fields[index + 1]}`;
  return [...fields.slice(0, index), joined, ...fields.slice(index + 2)];
}
