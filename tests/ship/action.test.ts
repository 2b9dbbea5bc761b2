/**
 * The GitHub Action (action.yml at the repository root): valid for @action-validator/core, inputs reach its
 * scripts only through `env`, and — run step by step as GitHub's runner runs a composite action
 * (action-runner.ts) against the real licence server on embedded PGlite — it generates with a token (charged
 * once, then free), passes its drift check without a token or a reachable server, fails that check with exit 3
 * after the spec changes, and says clearly what is wrong with a bad input.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOutputs, summaryMarkdown } from '../../scripts/action-report.mjs';
import { buildOnce } from '../e2e/helpers/build-once.ts';
import {
  cleanEnv,
  type LicenceServer,
  REPO_ROOT,
  startLicenceServer,
} from '../e2e/helpers/licence-server.ts';
import { type ActionRun, evaluate, loadAction, parseOutputFile, runAction } from './action-runner.ts';

/** A GitHub Actions expression, `${{ body }}` (built so it is not mistaken for a template placeholder). */
const expr = (body: string): string => ['$', '{{ ', body, ' }}'].join('');
const ACTION_FILE = join(REPO_ROOT, 'action.yml');
const ACTION_SOURCE = readFileSync(ACTION_FILE, 'utf8');
const action = loadAction(ACTION_FILE);
const { validateAction } = createRequire(import.meta.url)('@action-validator/core') as {
  validateAction(source: string): { errors: unknown[] };
};

describe('action.yml', () => {
  it('is a valid action (schema)', () => {
    const { errors } = validateAction(ACTION_SOURCE);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });

  it('the validator rejects a typo (so this test can fail)', () => {
    expect(
      validateAction(ACTION_SOURCE.replace('using: composite', 'usin: composite')).errors.length,
    ).toBeGreaterThan(0);
  });

  it('takes spec, formats, out, check, token, api-url, version and working-directory', () => {
    expect(Object.keys(action.inputs)).toEqual(
      expect.arrayContaining([
        'spec',
        'formats',
        'out',
        'check',
        'token',
        'api-url',
        'version',
        'working-directory',
      ]),
    );
    expect(action.inputs.spec?.required).toBe(true);
    expect(action.inputs.check?.default).toBe('false');
    expect(Object.keys(action.outputs)).toEqual(
      expect.arrayContaining(['exit-code', 'files', 'tests', 'charged', 'stale', 'result']),
    );
  });

  it('never pastes an expression into a script (inputs go through env)', () => {
    for (const step of action.runs.steps) {
      expect(step.run ?? '', step.name).not.toContain(expr('').slice(0, 3));
      expect(step.shell, step.name).toBe('bash');
    }
  });
});

describe('the report step (scripts/action-report.mjs)', () => {
  it('lists the files a generation would have overwritten', () => {
    const conflict = {
      ok: false,
      error: {
        code: 'OUTPUT_CONFLICT',
        message: '1 entry in out was not written by SpecMint',
        details: { conflicts: ['pytest/tests/test_orders.py'] },
      },
    };
    expect(summaryMarkdown(conflict, 1)).toContain('- `pytest/tests/test_orders.py`');
    expect(actionOutputs(conflict, 1, '/r.json')).toMatchObject({ 'exit-code': '1', files: '', stale: '' });
  });

  it('counts the stale files of a failed check', () => {
    const stale = {
      ok: false,
      error: {
        code: 'STALE',
        message: 'stale',
        details: { changed: ['a'], missing: ['b', 'c'], extra: [], notManaged: ['d'] },
      },
    };
    expect(actionOutputs(stale, 3, '/r.json').stale).toBe('3');
    expect(summaryMarkdown(stale, 3)).toContain('- missing `c`');
  });
});

describe('the runner stand-in', () => {
  it('evaluates only what it reproduces', () => {
    const context = { inputs: { spec: 'a.yaml' }, steps: { install: { cli: '/x' } } };
    expect(evaluate(`${expr('inputs.spec')} ${expr('steps.install.outputs.cli')}`, context)).toBe(
      'a.yaml /x',
    );
    expect(() => evaluate(expr('github.token'), context)).toThrow(/only evaluates/);
    expect(parseOutputFile('a=1\nb<<EOF\nx\ny\nEOF\nc=d=e\n')).toEqual({ a: '1', b: 'x\ny', c: 'd=e' });
  });
});

describe('the action, run as the runner runs it', () => {
  let work: string;
  let server: LicenceServer;
  let token: string;
  let project: string;

  beforeAll(async () => {
    await buildOnce();
    work = mkdtempSync(join(tmpdir(), 'specmint-action-'));
    server = await startLicenceServer({ dataDir: join(work, 'server-data') });
    await server.createUser({ email: 'action@example.com', password: 'correct-horse-battery', plan: 'pro' });
    token = await server.createToken('action@example.com', 'github-action');
    project = join(work, 'workspace', 'api');
    mkdirSync(project, { recursive: true });
    copyFileSync(join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml'), join(project, 'openapi.yaml'));
    mkdirSync(join(work, 'runner-temp'));
  }, 300_000);

  afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const run = (inputs: Record<string, string>) =>
    runAction({
      actionPath: REPO_ROOT,
      workspace: join(work, 'workspace'),
      with: {
        version: REPO_ROOT,
        'working-directory': 'api',
        spec: 'openapi.yaml',
        out: 'api-tests',
        ...inputs,
      },
      env: cleanEnv({ CI: 'true', HOME: work, SPECMINT_CONFIG_DIR: join(work, '.config') }),
      runnerTemp: join(work, 'runner-temp'),
    });

  function resultOf(runResult: ActionRun): Record<string, unknown> {
    return JSON.parse(readFileSync(runResult.outputs.result!, 'utf8')) as Record<string, unknown>;
  }

  it('generates with a token: outputs from --json, charged once, then free', async () => {
    const first = await run({ formats: 'pytest,vitest', token, 'api-url': server.url });
    expect(first.code, first.steps.map((s) => s.stdout + s.stderr).join('\n')).toBe(0);
    const result = resultOf(first) as { files: string[]; tests: number; outDir: string };
    expect(first.outputs).toMatchObject({
      'exit-code': '0',
      files: String(result.files.length),
      tests: String(result.tests),
      charged: 'true',
      'out-dir': join(project, 'api-tests'),
      stale: '',
    });
    expect(result.tests).toBeGreaterThan(0);
    expect(existsSync(join(project, 'api-tests/pytest/README.md'))).toBe(true);
    expect(first.steps[0]?.stdout).toMatch(/SpecMint \d+\.\d+\.\d+/);
    expect(first.summary).toContain(`${result.tests} tests for`);
    expect(first.summary).toContain('Charged: yes');

    const again = await run({ formats: 'pytest,vitest', token, 'api-url': server.url });
    expect(again.code).toBe(0);
    expect(again.outputs.charged).toBe('false');
  }, 240_000);

  it('check: passes without a token or a reachable server, fails with exit 3 after the spec changes', async () => {
    const offline = { check: 'true', 'api-url': 'http://127.0.0.1:9' };
    const fresh = await run(offline);
    expect(fresh.code, fresh.steps.map((s) => s.stderr).join('\n')).toBe(0);
    expect(fresh.outputs).toMatchObject({ 'exit-code': '0', stale: '0', charged: '' });
    expect(fresh.summary).toContain('Up to date');

    const spec = readFileSync(join(project, 'openapi.yaml'), 'utf8');
    writeFileSync(
      join(project, 'openapi.yaml'),
      spec.replace('title: SpecMint Pet Store', 'title: Renamed Store'),
    );
    try {
      const stale = await run(offline);
      expect(stale.code).toBe(3);
      expect(stale.outputs['exit-code']).toBe('3');
      expect(Number(stale.outputs.stale)).toBeGreaterThan(0);
      expect(stale.steps.at(-1)?.stdout).toContain('::error title=SpecMint (exit 3)::');
      expect(stale.summary).toMatch(/- changed `pytest\//);
    } finally {
      writeFileSync(join(project, 'openapi.yaml'), spec);
    }
  }, 240_000);

  it('names a bad input instead of failing somewhere else', async () => {
    const badCheck = await run({ check: 'yes' });
    expect(badCheck.code).toBe(2);
    expect(badCheck.steps.at(-1)?.stdout).toContain("The check input must be true or false, not 'yes'.");

    const badPath = await run({ version: join(work, 'no-such-install') });
    expect(badPath.code).toBe(1);
    expect(badPath.steps).toHaveLength(1);
    expect(badPath.steps[0]?.stdout).toContain('holds no bin/specmint');
  }, 120_000);
});
