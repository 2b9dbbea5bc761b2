import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['cli/**/*.test.ts', 'server/**/*.test.ts', 'shared/**/*.test.ts', 'tests/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'tests/golden/**', 'tests/.tmp/**', '**/dist/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most test files wait on child processes, servers and databases rather than compute: one worker more than
    // the cores keeps them busy (vitest's default, one less, runs files one by one on a two-core CI machine).
    maxWorkers: availableParallelism() + 1,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
