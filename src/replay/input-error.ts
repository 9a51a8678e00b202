/**
 * A problem that makes a source file unusable as a whole: a missing file or
 * column, or a value that cannot be parsed. Rows that parse but make no
 * business sense become `RejectedRow`s instead, and the replay goes on.
 */
export interface InputProblem {
  /** Path of the file as the caller passed it. */
  file: string;
  /** 1-based line number with the header as row 1; null when the problem concerns the whole file. */
  row: number | null;
  column: string | null;
  value: string | null;
  message: string;
}

const MAX_LISTED_PROBLEMS = 20;

/** Thrown with every problem found, so one run shows the user all that needs fixing. */
export class ReplayInputError extends Error {
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    super(formatProblems(problems));
    this.name = 'ReplayInputError';
    this.problems = problems;
  }
}

function formatProblem(problem: InputProblem): string {
  const where = [problem.file];
  if (problem.row !== null) where.push(`row ${problem.row}`);
  if (problem.column !== null) where.push(`column ${problem.column}`);
  const value = problem.value === null ? '' : ` (value "${problem.value}")`;
  return `${where.join(', ')}: ${problem.message}${value}`;
}

function formatProblems(problems: readonly InputProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `  ${formatProblem(problem)}`);
  const more = problems.length > MAX_LISTED_PROBLEMS ? [`  … and ${problems.length - MAX_LISTED_PROBLEMS} more`] : [];
  const noun = problems.length === 1 ? 'problem' : 'problems';
  return [`Invalid replay input, ${problems.length} ${noun}; fix the file and run the replay again:`, ...listed, ...more].join('\n');
}

/** Collects problems while a file is read, then throws them together. */
export class ProblemList {
  private readonly problems: InputProblem[] = [];

  add(problem: InputProblem): void {
    this.problems.push(problem);
  }

  get count(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new ReplayInputError(this.problems);
  }
}
