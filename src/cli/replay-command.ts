import type { Command } from 'commander';

import { readNorthwind } from '../replay/northwind-reader.js';
import { readOnlineRetail } from '../replay/online-retail-reader.js';
import type { ReplayDataset } from '../replay/model.js';
import { formatReplayReport } from '../replay/format-report.js';
import { runReplay } from '../replay/run-replay.js';
import { withDatabase } from './database-session.js';

const READERS: Record<string, { read: (path: string) => Promise<ReplayDataset>; company: string }> = {
  northwind: { read: readNorthwind, company: 'NORTHWIND' },
  'online-retail': { read: readOnlineRetail, company: 'ONLINE-RETAIL' },
};

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('run a real order data set through the whole order-to-cash cycle at its own dates')
    .argument('<dataset>', `data set layout: ${Object.keys(READERS).join(' or ')}`)
    .argument('<path>', 'folder with the Northwind CSV files, or the Online Retail CSV file')
    .option('--json', 'print one JSON object on stdout instead of the readable report')
    .option('--company <code>', 'company code to book the replay into (default: NORTHWIND or ONLINE-RETAIL)')
    .option('--seed <seed>', 'seed of the customers\' payment behaviour', 'o2c-replay')
    .option('--data <dir>', 'embedded PostgreSQL data folder (default ./data or O2C_DATA_DIR); ignored when DATABASE_URL is set')
    .action(async (datasetName: string, path: string, options: { json?: boolean; company?: string; seed: string; data?: string }) => {
      const reader = READERS[datasetName];
      if (!reader) {
        throw new Error(`Unknown data set "${datasetName}"; use one of: ${Object.keys(READERS).join(', ')}.`);
      }

      const dataset = await reader.read(path);
      const report = await withDatabase({ data: options.data }, (database, logger) =>
        runReplay(database.db, logger, dataset, { companyCode: options.company ?? reader.company, seed: options.seed }),
      );

      process.stdout.write(options.json ? JSON.stringify(report) + '\n' : formatReplayReport(report));
      if (report.invariantViolations > 0) process.exitCode = 1;
    });
}
