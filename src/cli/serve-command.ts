import { join } from 'node:path';

import type { Command } from 'commander';

import { buildServer } from '../http/server.js';
import { loadConfig } from '../platform/config.js';
import { systemClock } from '../platform/clock.js';
import { setupCompany, findCompany } from '../platform/company/setup-company.js';
import { readNorthwind } from '../replay/northwind-reader.js';
import { runReplay } from '../replay/run-replay.js';
import type { Logger } from '../platform/logger.js';
import type { StartedDatabase } from '../platform/start-database.js';
import { withDatabase } from './database-session.js';

const DEMO_COMPANY = 'NORTHWIND';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the HTTP API on the embedded PostgreSQL (or DATABASE_URL)')
    .option('--data <dir>', 'embedded PostgreSQL data folder (default ./data or O2C_DATA_DIR); ignored when DATABASE_URL is set')
    .option('--port <port>', 'HTTP port (default 3000 or O2C_HTTP_PORT)')
    .option('--host <host>', 'HTTP interface to listen on (default 127.0.0.1 or O2C_HTTP_HOST)')
    .option('--company <code>', 'default company for requests without an O2C-Company header', process.env['O2C_COMPANY'])
    .option('--demo <dataset>', 'on first start, load the Northwind orders as demo data (only "northwind")')
    .option('--corpus <dir>', 'folder of the Northwind CSV files for --demo (default: datasets/ in O2C_CORPUS_DIR, else ../shared/corpus/datasets)', defaultDemoFolder())
    .action(async (options: { data?: string; port?: string; host?: string; company?: string; demo?: string; corpus: string }) => {
      if (options.demo !== undefined && options.demo !== 'northwind') {
        throw new Error(`Unknown demo data set "${options.demo}"; the only one is "northwind".`);
      }
      const config = loadConfig(process.env, { dataDir: options.data });
      const port = options.port === undefined ? config.httpPort : parsePort(options.port);
      const host = options.host ?? config.httpHost;

      await withDatabase({ data: options.data, stopOnSignals: false }, async (database, logger) => {
        let companyCode = options.company ?? (options.demo ? DEMO_COMPANY : 'MAIN');
        if (options.demo) {
          await loadDemoOnce(database, logger, options.corpus);
          companyCode = DEMO_COMPANY;
        }
        if (!(await findCompany(database.db, companyCode))) {
          await setupCompany(database.db, systemClock, { code: companyCode, name: companyCode, currency: 'USD', countryCode: 'US' });
          logger.info({ company: companyCode }, 'created the default company (USD, US); change it with the API or start with --company');
        }

        const server = await buildServer({ db: database.db, logger, clock: systemClock, defaultCompanyCode: companyCode });
        await server.listen({ port, host });
        logger.info({ url: `http://${host}:${port}`, company: companyCode }, 'o2c is listening; stop it with Ctrl+C');

        await new Promise<void>((resolve) => {
          const stop = () => {
            logger.info('stopping: closing the HTTP server and the database');
            void server.close().then(() => resolve());
          };
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      });
    });
}

/**
 * Loads the Northwind demo on the first start. A load that was interrupted
 * earlier is reported, not repeated over its remains. Ctrl+C during the load
 * stops the database cleanly and logs how to start over.
 */
async function loadDemoOnce(database: StartedDatabase, logger: Logger, corpus: string): Promise<void> {
  const company = await findCompany(database.db, DEMO_COMPANY);
  if (company) {
    const run = await database.db.selectFrom('replay_run').select('finished_at').where('company_id', '=', company.id).executeTakeFirst();
    if (run && run.finished_at === null) {
      logger.warn(
        { company: DEMO_COMPANY },
        'the demo load of an earlier start was interrupted, so the demo data is incomplete; stop o2c, delete the data folder and start again to reload it',
      );
    }
    return;
  }

  const interrupted = () => {
    logger.warn('interrupted while loading the demo data; stopping the database. The demo will be incomplete: delete the data folder before the next start to reload it');
    void database.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    logger.info({ corpus }, 'loading the Northwind demo data; this runs once, on first start (about a minute)');
    const report = await runReplay(database.db, logger, await readNorthwind(corpus), { companyCode: DEMO_COMPANY, seed: 'o2c-demo' });
    logger.info({ orders: report.orders.received, invoices: report.invoices.count, violations: report.invariantViolations }, 'demo data loaded');
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

/** The corpus folder holds datasets/, as for the tests and CI; the demo reads the CSV files in it. */
function defaultDemoFolder(): string {
  const corpus = process.env['O2C_CORPUS_DIR'];
  return corpus ? join(corpus, 'datasets') : '../shared/corpus/datasets';
}

function parsePort(text: string): number {
  const port = Number.parseInt(text, 10);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new Error(`Invalid --port "${text}": give a number from 1 to 65535.`);
  }
  return port;
}
