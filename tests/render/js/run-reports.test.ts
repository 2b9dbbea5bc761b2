/**
 * The JS-family suites run for real with their own tools, as their README runs them: with SPECMINT_REPORTS=1
 * they write reports/junit.xml (vitest and Playwright `junit` reporters, jest-junit) and reports/coverage.json;
 * they call the hooks file at the documented points (a hook that throws fails the test it ran for, naming the
 * hook); SPECMINT_EXCLUDE_CHECKS leaves a check out; an unknown check name stops the run, listing the known ones.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CHECK_NAMES } from '../../../cli/engine/plan/types.ts';
import { PETSTORE_PLAN } from '../../fixtures/plans/petstore-plan.ts';
import { type RunningSut, startSut } from '../../sut/petstore-server.ts';
import { REPO, TMP, writeSuite } from './suite-runner.ts';

type Format = 'vitest' | 'jest' | 'playwright';

let sut: RunningSut;

beforeAll(async () => {
  sut = await startSut();
});

afterAll(async () => {
  await sut?.close();
});

/** Runs a suite's own tool from the repository (so it resolves the packages), with its config's reporters. */
function runTool(
  format: Format,
  dir: string,
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const args =
    format === 'vitest'
      ? ['vitest', 'run', '--root', dir]
      : format === 'jest'
        ? ['jest', '--config', join(dir, 'jest.config.js')]
        : [
            'playwright',
            'test',
            '--config',
            join(dir, 'playwright.config.ts'),
            '--workers=1',
            `--output=${join(dir, 'test-results')}`,
          ];
  const [command, ...rest] = args as [string, ...string[]];
  return new Promise((resolve, reject) => {
    const base = { ...process.env };
    delete base.CI;
    delete base.SPECMINT_CHECKS;
    delete base.SPECMINT_EXCLUDE_CHECKS;
    delete base.SPECMINT_REPORTS;
    const child = spawn(join(REPO, 'node_modules/.bin', command), rest, {
      cwd: REPO,
      env: { ...base, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 200_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const HOOKS_TS = `import { appendFileSync } from 'node:fs';
import type { Incoming, Outgoing } from './specmint.runtime.ts';

const log = (line: string): void => appendFileSync(process.env.HOOK_LOG ?? 'hooks.log', \`\${line}\\n\`);

export function beforeRun(): void {
  log('beforeRun');
  process.env.HOOK_TOKEN = 'from-before-run';
}

export function beforeRequest(request: Outgoing): void {
  request.headers['X-Hook'] = process.env.HOOK_TOKEN ?? 'unset';
  if (request.method === 'GET' && new URL(request.url).pathname === '/health') throw new Error('no health today');
}

export async function afterResponse(request: Outgoing, response: Incoming): Promise<void> {
  log(\`afterResponse \${request.headers['X-Hook']} \${response.status}\`);
}

export function afterFailure(testId: string, error: Error): void {
  log(\`afterFailure \${testId} \${error.name}\`);
}

export function afterRun(): void {
  log('afterRun');
}
`;

const HOOKS_JS = `const { appendFileSync } = require('node:fs');

const log = (line) => appendFileSync(process.env.HOOK_LOG ?? 'hooks.log', \`\${line}\\n\`);

module.exports = {
  beforeRun() {
    log('beforeRun');
    process.env.HOOK_TOKEN = 'from-before-run';
  },
  beforeRequest(request) {
    request.headers['X-Hook'] = process.env.HOOK_TOKEN ?? 'unset';
    if (request.method === 'GET' && new URL(request.url).pathname === '/health') throw new Error('no health today');
  },
  async afterResponse(request, response) {
    log(\`afterResponse \${request.headers['X-Hook']} \${response.status}\`);
  },
  afterFailure(testId, error) {
    log(\`afterFailure \${testId} \${error.name}\`);
  },
  afterRun() {
    log('afterRun');
  },
};
`;

const HEALTH_CASES = PETSTORE_PLAN.cases
  .filter((c) => c.steps.some((step) => step.method === 'GET' && step.path.join('') === '/health'))
  .map((c) => c.id);

describe.concurrent.each(['vitest', 'jest', 'playwright'] as const)('a %s suite run for real', (format) => {
  test('writes reports/junit.xml and reports/coverage.json, calls the hooks, and leaves out an excluded check', async () => {
    const { dir } = writeSuite({ format, plan: PETSTORE_PLAN, name: `reports-${format}` });
    const hooks = format === 'jest' ? 'hooks.js' : 'hooks.ts';
    writeFileSync(join(dir, hooks), format === 'jest' ? HOOKS_JS : HOOKS_TS);
    const hookLog = join(TMP, `hooks-${format}.log`);
    rmSync(hookLog, { force: true });
    const run = await runTool(format, dir, {
      BASE_URL: sut.url,
      BEARER_AUTH: 'test-token',
      API_KEY_AUTH: 'test-api-key',
      SPECMINT_REPORTS: '1',
      SPECMINT_EXCLUDE_CHECKS: 'idempotence',
      HOOK_LOG: hookLog,
    });
    const context = run.output.slice(-4000);
    // The health check's tests fail, naming the hook; the others pass.
    expect(run.code, context).not.toBe(0);
    expect(run.output).toContain('✗ hook: beforeRequest() of the hooks file threw Error: no health today');

    const log = readFileSync(hookLog, 'utf8').trim().split('\n');
    expect(log[0]).toBe('beforeRun');
    expect(log.at(-1)).toBe('afterRun');
    const responses = log.filter((line) => line.startsWith('afterResponse'));
    expect(responses.length).toBeGreaterThan(5);
    // beforeRun's environment reaches the tests; beforeRequest's header is on the request.
    for (const line of responses) expect(line).toMatch(/^afterResponse from-before-run \d{3}$/);
    const failed = log.filter((line) => line.startsWith('afterFailure')).sort();
    expect(failed).toEqual(HEALTH_CASES.map((id) => `afterFailure ${id} CheckFailure`).sort());

    const junit = readFileSync(join(dir, 'reports/junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites/);
    for (const id of HEALTH_CASES) expect(junit).toContain(`[${id}]`);
    const coverage = JSON.parse(readFileSync(join(dir, 'reports/coverage.json'), 'utf8'));
    expect(coverage).toMatchObject({ specmint: 1, format, api: PETSTORE_PLAN.api });
    expect(Object.keys(coverage)).toEqual([
      'specmint',
      'format',
      'api',
      'operations',
      'checks',
      'failures',
      'warnings',
    ]);
    expect(coverage.operations.map((op: { id: string }) => op.id)).toEqual(
      PETSTORE_PLAN.operations.map((op) => op.id),
    );
    const listPets = coverage.operations.find((op: { id: string }) => op.id === 'listPets');
    expect(listPets.requests).toBeGreaterThan(0);
    expect(listPets.seen['200']).toBeGreaterThan(0);
    const checks = coverage.checks.map((check: { name: string }) => check.name);
    expect(checks).not.toContain('idempotence');
    expect(checks).not.toContain('negative_format_rejection');
    expect(checks).toContain('response_schema_conformance');
    expect(coverage.failures).toEqual([
      {
        operation: 'getHealth',
        check: 'hook',
        message: 'beforeRequest() of the hooks file threw Error: no health today',
        tests: HEALTH_CASES.length,
      },
    ]);
    expect(run.output).toContain('==================== SpecMint summary ====================');
    expect(run.output).toMatch(
      /not run \(SPECMINT_CHECKS \/ SPECMINT_EXCLUDE_CHECKS\): negative_format_rejection, idempotence/,
    );
  }, 240_000);

  test('stops at an unknown check name, listing the known ones, and writes no reports without CI', async () => {
    const { dir } = writeSuite({ format, plan: PETSTORE_PLAN, name: `checks-${format}` });
    const run = await runTool(format, dir, { BASE_URL: sut.url, SPECMINT_CHECKS: 'schema_conformance' });
    expect(run.code).not.toBe(0);
    expect(run.output).toContain(
      `SPECMINT_CHECKS names unknown check schema_conformance; known checks: ${CHECK_NAMES.join(', ')} (or all)`,
    );
    expect(existsSync(join(dir, 'reports'))).toBe(false);
  }, 240_000);
});
