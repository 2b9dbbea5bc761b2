/**
 * Renders a plan as a k6 suite, writes it to a scratch folder and runs it as its README says
 * (`mkdir -p reports && k6 run load-test.js`, here under the Node shims), reading the reports it wrote.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { k6Renderer } from '../../../cli/engine/render/k6/index.ts';
import { type JunitCase, parseNewmanJunit } from '../postman/run-newman.ts';
import { TMP_ROOT, writeFiles } from '../pytest/write-files.ts';
import { type K6ShimRun, runK6Shim } from './run-k6-shim.ts';

/** A shimmed run and the reports it left. */
export interface K6SuiteRun extends K6ShimRun {
  dir: string;
  junit?: JunitCase[];
  coverage?: Record<string, unknown>;
}

/** Options of {@link runK6Suite}. */
export interface RunK6SuiteOptions {
  plan: TestPlan;
  /** Scratch folder name. */
  slug: string;
  env: Record<string, string>;
  /** Changes the written suite before it runs (a hooks.js of the test's own). */
  prepare?: (dir: string) => void;
}

/** Renders, writes and runs; rejects when the run itself fails (a script error, an unknown check name). */
export async function runK6Suite(options: RunK6SuiteOptions): Promise<K6SuiteRun> {
  const files = k6Renderer.render(options.plan, { generatorVersion: '9.9.9' }).files;
  const dir = writeFiles(join(TMP_ROOT, `k6-${options.slug}`), files);
  options.prepare?.(dir);
  mkdirSync(join(dir, 'reports'), { recursive: true });
  const run = await runK6Shim({
    script: join(dir, 'load-test.js'),
    workDir: join(dir, '.run'),
    cwd: dir,
    env: options.env,
  });
  const read = (file: string) =>
    existsSync(join(dir, 'reports', file)) ? readFileSync(join(dir, 'reports', file), 'utf8') : undefined;
  const junit = read('junit.xml');
  const coverage = read('coverage.json');
  return {
    ...run,
    dir,
    ...(junit !== undefined ? { junit: parseNewmanJunit(junit) } : {}),
    ...(coverage !== undefined ? { coverage: JSON.parse(coverage) as Record<string, unknown> } : {}),
  };
}
