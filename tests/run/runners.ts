/**
 * How the tests run each kind of generated suite for real (one runner per `RunnerKind` that a format's
 * `format.ts` may declare; the map is exhaustive, so a new kind without a runner does not compile). Every
 * runner writes the rendered files to a scratch folder, runs them with the tool a user would, against the
 * given environment, and reads the tool's own report.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunnerKind } from '../../cli/engine/render/format-module.ts';
import type { RenderedFile } from '../../cli/engine/render/types.ts';
import { runSuite } from '../render/js/suite-runner.ts';
import { runK6Shim } from '../render/k6/run-k6-shim.ts';
import { runSuiteScript } from '../render/postman/run-newman.ts';
import { findPythons, pythonSkipReason } from '../render/pytest/python-env.ts';
import { runPytest } from '../render/pytest/run-pytest.ts';
import { writeFiles } from '../render/pytest/write-files.ts';

/** Scratch folder of the run-for-real tests (inside the repo so suites resolve its node_modules). */
export const RUN_ROOT = join(import.meta.dirname, '../.tmp/run');

/** What one run of a suite gave. */
export interface RunReport {
  /** Tests (or, for newman and k6, requests) that ran. */
  executed: number;
  failed: number;
  /** One line per failure: the test and the first line of its message. */
  failures: string[];
  /** The same failures with their whole message where the tool reports one (index for index). */
  details?: string[];
  /** The tool's output (tail), for assertion messages. */
  output: string;
}

/** One run: the rendered files of a format, the API to run them against, and how. */
export interface RunInput {
  files: RenderedFile[];
  /** `BASE_URL` and credential variables, as the generated README names them. */
  env: Record<string, string>;
  /** A name unique among concurrent runs (scratch folder, report files). */
  runId: string;
  /** Stop at the first failure (enough to show a fault is noticed). */
  bail: boolean;
}

/** A way of running one kind of suite. */
export interface SuiteRunner {
  /** Why this runner cannot run here, or `undefined`; under `CI` a missing tool throws instead. */
  skipReason(): string | undefined;
  /** Whether `executed` counts test cases, so it can be compared with the rendered cases. */
  countsCases: boolean;
  run(input: RunInput): Promise<RunReport>;
}

function jsRunner(format: 'vitest' | 'jest' | 'playwright'): SuiteRunner {
  return {
    skipReason: () => undefined,
    countsCases: true,
    async run(input) {
      const dir = writeFiles(join(RUN_ROOT, `${format}-${input.runId}`), input.files);
      const report = await runSuite({ format, dir, env: input.env, runId: input.runId, bail: input.bail });
      return {
        executed: report.passed + report.failed,
        failed: report.failed,
        failures: report.failures,
        details: report.details,
        output: report.output.slice(-3000),
      };
    },
  };
}

const pythons = findPythons();

/** Every runner kind's runner. */
export const RUNNERS: Record<RunnerKind, SuiteRunner> = {
  vitest: jsRunner('vitest'),
  jest: jsRunner('jest'),
  playwright: jsRunner('playwright'),
  pytest: {
    skipReason: () => pythonSkipReason(pythons),
    countsCases: true,
    async run(input) {
      const dir = writeFiles(join(RUN_ROOT, `pytest-${input.runId}`), input.files);
      const report = await runPytest({
        python: pythons[0]?.command ?? 'python3',
        dir,
        env: input.env,
        extraArgs: input.bail ? ['--maxfail=1'] : [],
      });
      return {
        executed: report.tests,
        failed: report.failed,
        failures: report.failures,
        output: report.output.slice(-3000),
      };
    },
  },
  newman: {
    skipReason: () => undefined,
    countsCases: false,
    async run(input) {
      // As the generated README runs it: `node specmint-run.mjs`, which runs newman and writes the reports.
      const dir = writeFiles(join(RUN_ROOT, `postman-${input.runId}`), input.files);
      const run = await runSuiteScript({
        dir,
        env: { ...input.env, SPECMINT_REPORTS: '1' },
        args: input.bail ? ['--bail', 'failure'] : [],
      });
      if (!run.junit || !run.coverage) {
        throw new Error(`specmint-run.mjs wrote no reports (exit ${run.code}):\n${run.output.slice(-3000)}`);
      }
      const operations = run.coverage.operations as Array<{ requests: number }>;
      const failed = run.junit.filter((test) => test.failure !== undefined);
      return {
        executed: operations.reduce((sum, op) => sum + op.requests, 0),
        // A run that failed outside the checks (a script error) fails too.
        failed: failed.length > 0 || run.code === 0 ? failed.length : 1,
        failures: failed.map((test) => `${test.suite}: ${test.name} — ${test.failure!.split('\n')[0]}`),
        details: failed.map((test) => `${test.suite}: ${test.name} — ${test.failure!.slice(0, 4000)}`),
        output: run.output.slice(-3000),
      };
    },
  },
  k6: {
    // k6 itself cannot be installed here: its script runs under Node shims of k6's modules, from the suite's
    // folder after `mkdir -p reports`, as its README runs it.
    skipReason: () => undefined,
    countsCases: false,
    async run(input) {
      const dir = writeFiles(join(RUN_ROOT, `k6-${input.runId}`), input.files);
      mkdirSync(join(dir, 'reports'), { recursive: true });
      const outcome = await runK6Shim({
        script: join(dir, 'load-test.js'),
        workDir: join(dir, '.run'),
        cwd: dir,
        env: { ...input.env, SPECMINT_REPORTS: '1' },
      });
      const failing = Object.entries(outcome.results).filter(([, result]) => result.fails > 0);
      return {
        executed: outcome.sent.length,
        failed: failing.length,
        failures: failing.map(([name, result]) => `${name}: ${result.fails} failed`),
        output: `${outcome.stdout}\n${outcome.stderr}`.slice(-3000),
      };
    },
  },
};
