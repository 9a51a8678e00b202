import { Command } from 'commander';

import { registerCheckCommand } from './check-command.js';
import { registerReplayCommand } from './replay-command.js';
import { registerServeCommand } from './serve-command.js';

const program = new Command();
program
  .name('o2c')
  .description('Order to cash: sales orders, stock, shipments, invoices and payments on PostgreSQL')
  .showHelpAfterError();

registerServeCommand(program);
registerReplayCommand(program);
registerCheckCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`o2c: ${error instanceof Error ? error.message : String(error)}\n`);
  if (process.env['O2C_DEBUG']) process.stderr.write(`${error instanceof Error ? error.stack : ''}\n`);
  process.exitCode = 1;
});
