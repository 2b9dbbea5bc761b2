/**
 * Helpers for the run-for-real tests: write a rendered suite under tests/.tmp (inside the repo, so
 * vitest/jest/ajv resolve from its node_modules), run it with its own runner as a child process, and read
 * the runner's JSON report.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { TestPlan } from '../../../cli/engine/plan/types.ts';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { getRenderer } from '../../../cli/engine/render/registry.ts';
import type { RenderResult } from '../../../cli/engine/render/types.ts';

/** The repository root. */
export const REPO = resolve(import.meta.dirname, '../../..');
/** Where this area's temp files go (git-ignored). */
export const TMP = join(REPO, 'tests/.tmp/js-render');

/** Renders `plan` as `format` into `tests/.tmp/js-render/<name>` (emptied first). */
export function writeSuite(input: {
  format: 'vitest' | 'jest' | 'playwright';
  plan: TestPlan;
  name: string;
  header?: string;
}): { dir: string; result: RenderResult } {
  const dir = join(TMP, input.name);
  rmSync(dir, { recursive: true, force: true });
  const result = getRenderer(input.format).render(input.plan, {
    generatorVersion: '0.0.0-test',
    ...(input.header === undefined ? {} : { header: input.header }),
  });
  for (const file of result.files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, joinText(file.contents));
  }
  return { dir, result };
}

/** Outcome of one runner process. */
export interface SuiteReport {
  passed: number;
  failed: number;
  /** Full names of the failed tests, with the first line of their error. */
  failures: string[];
  /** The same failures with their whole error message (stack frames left out), index for index. */
  details: string[];
  /** Runner output, for assertion messages. */
  output: string;
}

interface ProcessResult {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], env: Record<string, string>, timeoutMs: number) {
  return new Promise<ProcessResult>((resolvePromise, reject) => {
    const child = spawn(join(REPO, 'node_modules/.bin', command), args, {
      cwd: REPO,
      env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, output });
    });
  });
}

interface JestLikeReport {
  testResults: Array<{
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; failureMessages: string[] }>;
  }>;
}

/** An error message without its stack frames (`    at …` lines), at most 4000 characters. */
function withoutStack(message: string): string {
  return message
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .trimEnd()
    .slice(0, 4000);
}

function fromJestLike(report: JestLikeReport, output: string): SuiteReport {
  const all = report.testResults.flatMap((file) => file.assertionResults);
  const failed = all.filter((t) => t.status === 'failed');
  const failures = failed.map((t) => `${t.fullName}: ${(t.failureMessages[0] ?? '').split('\n')[0]}`);
  // A file that fails to load has no assertion results but a message.
  const broken = report.testResults.filter((f) => f.assertionResults.length === 0 && f.message);
  return {
    passed: all.filter((t) => t.status === 'passed').length,
    failed: failures.length + broken.length,
    failures: [...failures, ...broken.map((f) => (f.message ?? '').split('\n')[0] ?? '')],
    details: [
      ...failed.map((t) => `${t.fullName}: ${withoutStack(t.failureMessages[0] ?? '')}`),
      ...broken.map((f) => withoutStack(f.message ?? '')),
    ],
    output,
  };
}

interface PlaywrightSuite {
  title: string;
  suites?: PlaywrightSuite[];
  specs?: Array<{
    title: string;
    ok: boolean;
    tests: Array<{ results: Array<{ error?: { message?: string } }> }>;
  }>;
}

function fromPlaywright(
  report: { suites: PlaywrightSuite[]; errors?: unknown[] },
  output: string,
): SuiteReport {
  const specs: Array<{ title: string; ok: boolean; error: string; detail: string }> = [];
  const visit = (suite: PlaywrightSuite, prefix: string): void => {
    for (const spec of suite.specs ?? []) {
      const error = spec.tests[0]?.results[0]?.error?.message ?? '';
      specs.push({
        title: `${prefix} › ${spec.title}`,
        ok: spec.ok,
        error: error.split('\n')[0] ?? '',
        detail: withoutStack(error),
      });
    }
    for (const child of suite.suites ?? []) visit(child, `${prefix} › ${child.title}`);
  };
  for (const suite of report.suites) visit(suite, suite.title);
  const failures = specs.filter((s) => !s.ok).map((s) => `${s.title}: ${s.error}`);
  const loadErrors = (report.errors ?? []).map((e) => JSON.stringify(e).slice(0, 300));
  return {
    passed: specs.filter((s) => s.ok).length,
    failed: failures.length + loadErrors.length,
    failures: [...failures, ...loadErrors],
    details: [...specs.filter((s) => !s.ok).map((s) => `${s.title}: ${s.detail}`), ...loadErrors],
    output,
  };
}

/** Runs a generated suite in `dir` with its runner against `env` (BASE_URL and credentials). */
export async function runSuite(input: {
  format: 'vitest' | 'jest' | 'playwright';
  dir: string;
  env: Record<string, string>;
  /** Distinguishes concurrent runs of the same suite (report and output files). */
  runId: string;
  /** Stop at the first failed test (enough to show a fault is noticed). @default false */
  bail?: boolean;
}): Promise<SuiteReport> {
  const { format, dir, env, runId } = input;
  const bail = input.bail === true;
  const reportFile = join(TMP, 'reports', `${format}-${runId}.json`);
  mkdirSync(dirname(reportFile), { recursive: true });
  rmSync(reportFile, { force: true });
  // Generous: the run-for-real suite runs several of these side by side on a small machine.
  const timeout = 280_000;
  let result: ProcessResult;
  if (format === 'vitest') {
    const args = ['run', '--root', dir, '--reporter=json', `--outputFile=${reportFile}`, '--maxWorkers=1'];
    if (bail) args.push('--bail=1');
    result = await run('vitest', args, env, timeout);
  } else if (format === 'jest') {
    const args = [
      '--config',
      join(dir, 'jest.config.js'),
      '--json',
      `--outputFile=${reportFile}`,
      '--runInBand',
    ];
    if (bail) args.push('--bail=1');
    result = await run('jest', args, env, timeout);
  } else {
    const args = ['test', '--config', join(dir, 'playwright.config.ts'), '--reporter=json', '--workers=1'];
    if (bail) args.push('--max-failures=1');
    const output = join(TMP, 'reports', `pw-output-${runId}`);
    result = await run(
      'playwright',
      [...args, `--output=${output}`],
      { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: reportFile },
      timeout,
    );
  }
  let text: string;
  try {
    text = readFileSync(reportFile, 'utf8');
  } catch {
    throw new Error(`${format} wrote no report (exit ${result.code}):\n${result.output.slice(-3000)}`);
  }
  return format === 'playwright'
    ? fromPlaywright(JSON.parse(text), result.output)
    : fromJestLike(JSON.parse(text), result.output);
}

/** Runs `task` over `items` with at most `limit` running at once; results in input order. */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
