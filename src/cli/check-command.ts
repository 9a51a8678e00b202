import type { Command } from 'commander';

import { checkInvariants } from '../checker/invariants.js';
import { jsonReplacer } from '../platform/history.js';
import { withDatabase } from './database-session.js';

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('check the database invariants (stock, invoicing, receivables, numbering); exits with 1 on a violation')
    .option('--json', 'print the result as one JSON object')
    .option('--data <dir>', 'embedded PostgreSQL data folder (default ./data or O2C_DATA_DIR); ignored when DATABASE_URL is set')
    .action(async (options: { json?: boolean; data?: string }) => {
      const result = await withDatabase({ data: options.data }, (database) => checkInvariants(database.db));

      if (options.json) {
        process.stdout.write(JSON.stringify({ checked: result.checked, violations: result.violations }, jsonReplacer) + '\n');
      } else {
        for (const violation of result.violations) {
          process.stdout.write(`VIOLATION ${violation.invariant}: ${violation.description}\n  ${JSON.stringify(violation.row, jsonReplacer)}\n`);
        }
        process.stdout.write(`${result.checked.length} invariants checked, ${result.violations.length} violations\n`);
      }
      if (result.violations.length > 0) process.exitCode = 1;
    });
}
