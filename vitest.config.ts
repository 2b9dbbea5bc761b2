import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The run-for-real files (tests/run/<format>.run-for-real.test.ts) are a few lines each but run every generated
 * suite with its own tool, minutes per file (playwright ~5 min, postman ~4.5 min on a two-core VM). Without the
 * timings of an earlier run, which a fresh clone in CI never has, vitest starts the largest files first and so
 * these last, and the whole run waits on them at its end. They go first; the rest keep vitest's order (with
 * timings: failed first, then the longest).
 */
class RunForRealFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (file: TestSpecification) =>
      /^tests\/run\/.*\.run-for-real\.test\.ts$/.test(relative(file.project.config.root, file.moduleId));
    return [...sorted.filter(first), ...sorted.filter((file) => !first(file))];
  }
}

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
    sequence: { sequencer: RunForRealFirst },
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
