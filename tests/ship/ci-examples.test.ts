/**
 * docs/ci-examples.md: the GitHub Actions example is a valid workflow that uses the SpecMint action with inputs
 * it has, both examples hand the suite's JUnit report to the CI service, the GitLab CI example is well-formed,
 * and the `specmint generate` commands it shows do what the page says when run with this checkout's CLI
 * against a licence server on loopback: generating with SPECMINT_TOKEN works (and an unchanged spec is not
 * charged again), and `--check` needs no token, passes on fresh files and exits 3 after the spec changes.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  createTestDatabase,
  createTestServer,
  createUserWithToken,
  type TestDatabase,
} from '../server/harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A GitHub Actions expression, `${{ body }}` (built so it is not mistaken for a template placeholder). */
const expr = (body: string): string => ['$', '{{ ', body, ' }}'].join('');
const DOC = readFileSync(join(ROOT, 'docs/ci-examples.md'), 'utf8');
const CLI_SOURCE = join(ROOT, 'cli/main.ts');
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow(source: string): { errors: unknown[] };
};

/** The first ```yaml block after `heading`. */
function yamlAfter(heading: string): string {
  const start = DOC.indexOf(heading);
  const block = /```yaml\n([\s\S]*?)```/.exec(DOC.slice(start));
  if (start < 0 || !block) throw new Error(`no yaml block after ${heading}`);
  return block[1]!;
}

/** Arguments after `generate` of every `npx specmint… generate` command in the page's code blocks. */
function generateCommands(): string[][] {
  const code = [...DOC.matchAll(/```\w*\n([\s\S]*?)```/g)].map((block) => block[1]!).join('\n');
  const text = code.replace(/\\\n\s*/g, ' ');
  return [...text.matchAll(/npx (?:--yes )?"?specmint(?:@[^\s"]+)?"? generate ([^\n>`]+)/g)].map((match) =>
    match[1]!.trim().split(/\s+/),
  );
}

interface WorkflowStep {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string })
  .version;
const ACTION_INPUTS = Object.keys(
  (parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> }).inputs,
);

interface GitLabJob {
  stage: string;
  script: string[];
  needs?: string[];
  rules?: unknown[];
}

describe('docs/ci-examples.md', () => {
  it('shows a valid GitHub Actions workflow: the action for the drift check and a token-authenticated generation', () => {
    const source = yamlAfter('## GitHub Actions');
    const { errors } = validateWorkflow(source);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
    const workflow = parse(source) as {
      jobs: Record<string, { env?: Record<string, string>; steps: WorkflowStep[] }>;
    };
    const action = (job: string) =>
      workflow.jobs[job]!.steps.filter((step) => step.uses?.startsWith('specmint/specmint@'));
    const [drift] = action('drift');
    expect(drift?.with?.check).toBe(true);
    expect(drift?.with?.token, '--check needs no token').toBeUndefined();
    expect(workflow.jobs.drift!.env?.SPECMINT_TOKEN).toBeUndefined();
    const [generate] = action('api-tests');
    expect(generate?.with?.token).toBe(expr('secrets.SPECMINT_TOKEN'));
    for (const step of [...action('drift'), ...action('api-tests')]) {
      // The action's tag is the CLI version it installs.
      expect(step.uses).toBe(`specmint/specmint@v${PACKAGE_VERSION}`);
      for (const input of Object.keys(step.with ?? {})) expect(ACTION_INPUTS, input).toContain(input);
    }
  });

  it("README's CI steps are valid in a job, use the action with inputs it has, and keep the JUnit report", () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### In CI'));
    const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const indented = block.replace(/^(?=.)/gm, '      ');
    const source = `name: API tests\non: push\npermissions:\n  contents: read\njobs:\n  api:\n    runs-on: ubuntu-latest\n    steps:\n${indented}`;
    const { errors } = validateWorkflow(source);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
    const steps = parse(block) as WorkflowStep[];
    const uses = steps.filter((step) => step.uses?.startsWith('specmint/specmint@'));
    expect(uses.map((step) => step.with?.check)).toEqual([true, undefined]);
    for (const step of uses) {
      expect(step.uses).toBe(`specmint/specmint@v${PACKAGE_VERSION}`);
      for (const input of Object.keys(step.with ?? {})) expect(ACTION_INPUTS, input).toContain(input);
    }
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toBe('build/api-tests/pytest/reports/junit.xml');
  });

  it('wires the JUnit report into GitHub Actions and GitLab CI', () => {
    const github = parse(yamlAfter('## GitHub Actions')) as {
      jobs: Record<string, { steps: WorkflowStep[] }>;
    };
    const steps = github.jobs['api-tests']!.steps;
    const report = steps.find((step) => step.uses?.startsWith('mikepenz/action-junit-report@'));
    expect(report?.with?.report_paths).toBe('build/api-tests/pytest/reports/junit.xml');
    const upload = steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(String(upload?.with?.path)).toContain('build/api-tests/pytest/reports');
    const gitlab = parse(yamlAfter('## GitLab CI')) as Record<
      string,
      { artifacts?: { reports?: { junit?: string } } }
    >;
    expect(gitlab['specmint:api-tests']?.artifacts?.reports?.junit).toBe(
      'build/api-tests/pytest/reports/junit.xml',
    );
  });

  it('shows a well-formed GitLab CI pipeline', () => {
    const pipeline = parse(yamlAfter('## GitLab CI')) as Record<string, unknown> & { stages: string[] };
    const jobs = Object.entries(pipeline).filter(([name]) => name.startsWith('specmint:')) as Array<
      [string, GitLabJob]
    >;
    expect(jobs.length).toBe(2);
    for (const [name, job] of jobs) {
      expect(pipeline.stages, name).toContain(job.stage);
      expect(Array.isArray(job.script) && job.script.every((line) => typeof line === 'string'), name).toBe(
        true,
      );
      for (const needed of job.needs ?? []) expect(jobs.map(([jobName]) => jobName)).toContain(needed);
    }
    expect(jobs.some(([, job]) => job.script.some((line) => line.includes('--check')))).toBe(true);
  });

  it('documents the exit codes the CLI uses', async () => {
    const { EXIT } = await import('../../cli/errors.ts');
    const prose = DOC.replace(/\s+/g, ' ');
    expect(prose).toContain(`\`${EXIT.STALE}\` \`--check\` found stale files`);
    expect(prose).toContain(`\`${EXIT.NOT_ENTITLED}\` not logged in`);
    expect(prose).toContain(`\`${EXIT.UNREACHABLE}\` licence`);
  });

  describe.skipIf(!existsSync(CLI_SOURCE))('its commands, run with this checkout', () => {
    let database: TestDatabase;
    let server: ReturnType<typeof createAdaptorServer>;
    let apiUrl = '';
    let token = '';
    let dir = '';

    const cli = (args: string[], env: Record<string, string>) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', CLI_SOURCE, ...args], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          CI: 'true',
          SPECMINT_CONFIG_DIR: join(dir, '.config'),
          ...env,
        },
        timeout: 120_000,
      }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code?: number; stdout?: string; stderr?: string }) => ({
          code: error.code ?? -1,
          stdout: error.stdout ?? '',
          stderr: error.stderr ?? '',
        }),
      );

    beforeAll(async () => {
      database = await createTestDatabase('pglite');
      const app = await createTestServer('pglite', database.handle);
      token = (await createUserWithToken(app, 'free')).token;
      server = createAdaptorServer({ fetch: (request) => app.app.fetch(request) });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await mkdir(join(ROOT, 'tests/.tmp/ship'), { recursive: true });
      dir = await mkdtemp(join(ROOT, 'tests/.tmp/ship/ci-doc-'));
      // JSON is YAML: the page's `openapi.yaml`.
      await copyFile(join(ROOT, 'tests/fixtures/specs/features/petstore.json'), join(dir, 'openapi.yaml'));
    });

    afterAll(async () => {
      await new Promise((resolve) => server?.close(resolve));
      await database?.dispose();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('generate with SPECMINT_TOKEN, then `--check` without a token: 0 when fresh, 3 after a spec change', async () => {
      const commands = generateCommands();
      const check = commands.find((args) => args.includes('--check'));
      const withJson = commands.find((args) => args.includes('--json') && args.includes('--format'));
      expect(check).toEqual(['openapi.yaml', '--out', 'tests/api', '--check']);
      expect(withJson).toBeDefined();
      const auth = { SPECMINT_TOKEN: token, SPECMINT_API_URL: apiUrl };

      // The committed suites: generated once (as a developer would, then committed).
      const first = await cli(['generate', 'openapi.yaml', '--format', 'pytest', '--out', 'tests/api'], auth);
      expect(first.code, first.stderr).toBe(0);

      // The page's "Generate suites" step, verbatim, on the same spec: not charged again.
      const generated = await cli(['generate', ...withJson!], auth);
      expect(generated.code, generated.stderr).toBe(0);
      expect(JSON.parse(generated.stdout)).toMatchObject({ ok: true, usage: { charged: false } });

      // The drift check: no token, and a licence server that is not even reachable.
      const offline = { SPECMINT_API_URL: 'http://127.0.0.1:9' };
      const fresh = await cli(['generate', ...check!], offline);
      expect(fresh.code, fresh.stderr).toBe(0);

      const spec = await readFile(join(dir, 'openapi.yaml'), 'utf8');
      await writeFile(join(dir, 'openapi.yaml'), spec.replaceAll('"/pets"', '"/animals"'));
      const stale = await cli(['generate', ...check!], offline);
      expect(stale.code, stale.stderr).toBe(3);
      expect(stale.stderr).toMatch(/changed\s+pytest\//);
    }, 300_000);
  });
});
