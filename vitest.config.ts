import os from 'node:os';

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Starts a throwaway embedded PostgreSQL unless DATABASE_URL is set.
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Test files mostly wait on PostgreSQL, so at least two run side by side even on one or two cores.
    maxWorkers: Math.max(2, os.availableParallelism()),
  },
});
