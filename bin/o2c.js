#!/usr/bin/env node
// Entry point of the `o2c` command. It runs the compiled program in dist/,
// which `npm ci` builds through the "prepare" script.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const main = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(`o2c: ${main} is missing; run "npm run build" (npm ci runs it for you).\n`);
  process.exit(1);
}
await import(main);
