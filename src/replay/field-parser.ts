import { Dec, parseDecimal } from '../money/index.js';

const MAX_DECIMAL_PLACES = 6;
const MAX_MAGNITUDE = new Dec('1000000000000');
import type { CsvRow, CsvTable } from './csv-file.js';
import type { ProblemList } from './input-error.js';

/**
 * Reads typed values from the rows of one table, recording each value that
 * does not parse as a problem with file, row, column and value. A parse
 * failure returns undefined, so the caller can skip the row and keep reading.
 * The caller throws the problems together once every file has been read.
 */
export class FieldParser {
  constructor(
    private readonly table: CsvTable,
    private readonly problems: ProblemList,
    /** Values that stand for "no value", such as 'NULL' in Northwind or 'NA' in Online Retail. */
    private readonly nullTokens: readonly string[],
  ) {}

  /** Returns the trimmed text, or null for an empty field or a null token. */
  optionalText(row: CsvRow, column: string): string | null {
    const raw = row.values[column] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || this.nullTokens.includes(trimmed)) return null;
    return trimmed;
  }

  /** Returns the trimmed text, recording a problem when it is empty or a null token. */
  requiredText(row: CsvRow, column: string): string | undefined {
    const text = this.optionalText(row, column);
    if (text === null) {
      this.report(row, column, `missing value for ${column}`);
      return undefined;
    }
    return text;
  }

  /** Returns the text when it matches `pattern`, recording a problem otherwise. */
  matching(row: CsvRow, column: string, pattern: RegExp, expected: string): string | undefined {
    const text = this.requiredText(row, column);
    if (text === undefined) return undefined;
    if (!pattern.test(text)) {
      this.report(row, column, `invalid ${column}: expected ${expected}`);
      return undefined;
    }
    return text;
  }

  /** Parses an exact decimal such as "14.00" or "-3", recording a problem when it is not one. */
  decimal(row: CsvRow, column: string): Dec | undefined {
    const text = this.requiredText(row, column);
    if (text === undefined) return undefined;
    return this.parse(row, column, text);
  }

  /** Like `decimal`, but an empty field or null token gives null. */
  optionalDecimal(row: CsvRow, column: string): Dec | null | undefined {
    const text = this.optionalText(row, column);
    if (text === null) return null;
    return this.parse(row, column, text);
  }

  /** Parses with `parser`, recording a problem when it returns null. */
  parsed<T>(row: CsvRow, column: string, parser: (text: string) => T | null, expected: string): T | undefined {
    const text = this.requiredText(row, column);
    if (text === undefined) return undefined;
    const value = parser(text);
    if (value === null) {
      this.report(row, column, `invalid ${column}: expected ${expected}`);
      return undefined;
    }
    return value;
  }

  /** Like `parsed`, but an empty field or null token gives null. */
  optionalParsed<T>(row: CsvRow, column: string, parser: (text: string) => T | null, expected: string): T | null | undefined {
    const text = this.optionalText(row, column);
    if (text === null) return null;
    const value = parser(text);
    if (value === null) {
      this.report(row, column, `invalid ${column}: expected ${expected}`);
      return undefined;
    }
    return value;
  }

  private parse(row: CsvRow, column: string, text: string): Dec | undefined {
    let value: Dec;
    try {
      value = parseDecimal(text, column);
    } catch {
      this.report(row, column, `invalid number for ${column}: expected digits with an optional "." fraction, such as 12.50`);
      return undefined;
    }

    // Quantities and prices are stored as numeric(18, 6); a value outside it
    // would stop the replay half-way instead of here, before anything is written.
    if (value.decimalPlaces() > MAX_DECIMAL_PLACES || value.abs().gte(MAX_MAGNITUDE)) {
      this.report(row, column, `${column} is out of range: at most 12 digits before and 6 after the decimal point`);
      return undefined;
    }
    return value;
  }

  private report(row: CsvRow, column: string, message: string): void {
    this.problems.add({ file: this.table.path, row: row.row, column, value: row.values[column] ?? '', message });
  }
}
