/**
 * GitHub Actions workflows: every file under .github/workflows is validated against the workflow schema
 * with @action-validator/core (schemastore's schema compiled to WASM, plus `needs` resolution), then the
 * workflows are checked structurally: triggers, services, permissions, the deploy's smoke test and
 * rollback, its time budget, the release's provenance, and the action's test (`uses: ./` against the
 * embedded licence server).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A GitHub Actions expression, `${{ body }}` (built so it is not mistaken for a template placeholder). */
const expr = (body: string): string => ['$', '{{ ', body, ' }}'].join('');
const WORKFLOWS = `${ROOT}.github/workflows/`;
// The package is CommonJS (wasm-bindgen's nodejs target).
const { validateWorkflow } = createRequire(import.meta.url)('@action-validator/core') as {
  validateWorkflow(source: string): { errors: unknown[] };
};

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  'timeout-minutes'?: number;
}

interface Job {
  'runs-on': string;
  if?: string;
  needs?: string | string[];
  container?: { image: string };
  services?: Record<string, { image: string; env?: Record<string, string> }>;
  env?: Record<string, string>;
  steps: Step[];
  permissions?: Record<string, string>;
  'timeout-minutes'?: number;
}

interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': boolean | string };
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

function load(file: string): { source: string; workflow: Workflow } {
  const source = readFileSync(`${WORKFLOWS}${file}`, 'utf8');
  return { source, workflow: parse(source) as Workflow };
}

function steps(workflow: Workflow): Step[] {
  return Object.values(workflow.jobs).flatMap((job) => job.steps);
}

function runs(workflow: Workflow): string {
  return steps(workflow)
    .map((step) => step.run ?? '')
    .join('\n');
}

/** The Debian packages .ci/run installs (its `for pkg in …` list). */
function ciRunPackages(): string[] {
  const script = readFileSync(`${ROOT}.ci/run`, 'utf8');
  const list = /for pkg in ([^;]+);/.exec(script)?.[1] ?? '';
  return list.trim().split(/\s+/);
}

describe('workflow files', () => {
  const files = readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file));

  it('are the CI, deploy and release workflows, and the test of the GitHub Action', () => {
    expect(files.sort()).toEqual(['action.yml', 'ci.yml', 'deploy.yml', 'release.yml']);
  });

  it.each(files)('%s is a valid workflow (schema, job references)', (file) => {
    const { errors } = validateWorkflow(load(file).source);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });

  it.each(files)('%s pins every action to a ref and limits token permissions', (file) => {
    const { workflow } = load(file);
    // `./` is this repository's own action, at the commit being tested.
    for (const step of steps(workflow).filter((s) => s.uses && s.uses !== './'))
      expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[\w.-]+$/);
    expect(workflow.permissions?.contents).toBe('read');
    for (const job of Object.values(workflow.jobs)) expect(job['timeout-minutes']).toBeGreaterThan(0);
  });

  it('the validator rejects a typo (so this test can fail)', () => {
    const broken = load('ci.yml').source.replace('runs-on:', 'runs_on:');
    expect(validateWorkflow(broken).errors.length).toBeGreaterThan(0);
  });
});

describe('ci.yml', () => {
  const { workflow } = load('ci.yml');
  const job = Object.values(workflow.jobs)[0]!;

  it('runs on pull requests and pushes to main', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect((workflow.on.push as { branches: string[] }).branches).toEqual(['main']);
  });

  it('runs `npm ci` then `npm test`, like .ci/run', () => {
    const commands = job.steps.map((step) => step.run?.trim()).filter(Boolean);
    const ci = commands.indexOf('npm ci');
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(commands.indexOf('npm test')).toBeGreaterThan(ci);
    for (const pkg of ciRunPackages()) expect(runs(workflow), `apt package ${pkg}`).toContain(pkg);
  });

  it('gives the server tests a PostgreSQL service through DATABASE_URL', () => {
    const [name, service] = Object.entries(job.services ?? {})[0] ?? [];
    expect(service?.image).toMatch(/^postgres:\d+/);
    const url = new URL(job.env?.DATABASE_URL ?? '');
    expect(url.protocol).toBe('postgres:');
    // In a container job, services are reached by their name.
    expect(url.hostname).toBe(job.container ? name : '127.0.0.1');
    expect(url.pathname).toBe(`/${service?.env?.POSTGRES_DB}`);
    expect(job.env?.CI).toBe('true');
  });
});

describe('deploy.yml', () => {
  const { workflow } = load('deploy.yml');
  const ciName = load('ci.yml').workflow.name;
  const job = Object.values(workflow.jobs)[0]!;
  const byId = (id: string) => job.steps.find((step) => step.id === id);

  it('runs after CI succeeds on main, one deploy at a time', () => {
    const trigger = workflow.on.workflow_run as { workflows: string[]; types: string[]; branches: string[] };
    expect(trigger.workflows).toEqual([ciName]);
    expect(trigger.types).toEqual(['completed']);
    expect(trigger.branches).toEqual(['main']);
    expect(job.if).toContain("github.event.workflow_run.conclusion == 'success'");
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false);
    const checkout = job.steps.find((step) => step.uses?.startsWith('actions/checkout@'));
    expect(String(checkout?.with?.ref)).toContain('github.event.workflow_run.head_sha');
  });

  it('records the serving image, deploys with flyctl, then smoke-tests the live app', () => {
    const order = ['previous', 'deploy', 'smoke'].map((id) => job.steps.indexOf(byId(id)!));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(byId('previous')?.run).toContain('flyctl releases');
    expect(byId('deploy')?.run).toMatch(/flyctl deploy\b/);
    expect(byId('smoke')?.run).toContain('scripts/smoke.ts');
    expect(byId('smoke')?.env?.SPECMINT_SMOKE_TOKEN).toBe(expr('secrets.SPECMINT_SMOKE_TOKEN'));
    expect(byId('smoke')?.env?.SPECMINT_SMOKE_URL).toBeDefined();
  });

  it('rolls back to the previous image when the deploy or the smoke test fails', () => {
    const rollback = job.steps.find((step) => step.run?.includes('--image "$PREVIOUS_IMAGE"'));
    expect(rollback?.if).toContain('failure()');
    expect(rollback?.if).toContain("steps.smoke.outcome == 'failure'");
    expect(rollback?.env?.PREVIOUS_IMAGE).toBe(expr('steps.previous.outputs.image'));
    expect(job.steps.indexOf(rollback!)).toBeGreaterThan(job.steps.indexOf(byId('smoke')!));
  });

  it('keeps deploy + smoke test under 5 minutes', () => {
    const budget = ['deploy', 'smoke'].map((id) => byId(id)?.['timeout-minutes'] ?? Number.POSITIVE_INFINITY);
    expect(budget.reduce((sum, minutes) => sum + minutes, 0)).toBeLessThan(5);
  });
});

describe('release.yml', () => {
  const { workflow } = load('release.yml');

  it('publishes to npm with provenance on v* tags', () => {
    expect((workflow.on.push as { tags: string[] }).tags).toEqual(['v*']);
    expect(workflow.permissions?.['id-token']).toBe('write');
    const publish = steps(workflow).find((step) => /\bnpm publish\b/.test(step.run ?? ''));
    expect(publish?.run).toContain('--provenance');
    expect(publish?.env?.NODE_AUTH_TOKEN).toBe(expr('secrets.NPM_TOKEN'));
    const setup = steps(workflow).find((step) => step.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with?.['registry-url']).toBe('https://registry.npmjs.org');
  });

  it('refuses a tag that differs from package.json and checks the package before publishing', () => {
    const commands = runs(workflow);
    expect(commands).toContain('GITHUB_REF_NAME');
    expect(commands).toContain('tests/ship/pack.test.ts');
  });
});

describe('action.yml (the workflow that tests the GitHub Action)', () => {
  const { workflow } = load('action.yml');
  const job = Object.values(workflow.jobs)[0]!;
  const own = job.steps.filter((step) => step.uses === './');
  const index = (predicate: (step: Step) => boolean) => job.steps.findIndex(predicate);

  it('runs on pull requests and pushes to main', () => {
    expect(workflow.on).toHaveProperty('pull_request');
    expect((workflow.on.push as { branches: string[] }).branches).toEqual(['main']);
  });

  it('starts the embedded licence server, then makes a user and a masked CI token with specmint-server admin', () => {
    const start = index((step) => /specmint-server start\b/.test(step.run ?? ''));
    const account = index((step) => step.id === 'account');
    expect(start).toBeGreaterThan(index((step) => /npm run build/.test(step.run ?? '')));
    expect(account).toBeGreaterThan(start);
    const run = job.steps[account]!.run ?? '';
    expect(run).toContain('specmint-server admin create-user');
    expect(run).toContain('specmint-server admin create-token');
    expect(run).toContain('::add-mask::$token');
    expect(job.env?.DATABASE_URL, 'the embedded PGlite server, not PostgreSQL').toBeUndefined();
  });

  it('uses ./ to generate with that token, then to check (up to date, then stale with exit 3)', () => {
    expect(own.length).toBeGreaterThanOrEqual(3);
    const generate = own.find((step) => step.with?.check === undefined);
    expect(generate?.with?.token).toBe(expr('steps.account.outputs.token'));
    expect(generate?.with?.version).toBe(expr('github.workspace'));
    const checks = own.filter((step) => step.with?.check === 'true');
    expect(checks.map((step) => step.with?.token)).toEqual([undefined, undefined]);
    const drift = job.steps.find((step) => step.id === 'drift') as Step & { 'continue-on-error'?: boolean };
    expect(drift['continue-on-error']).toBe(true);
    const verdict = job.steps[index((step) => step.id === 'drift') + 1]!;
    expect(verdict.env?.EXIT_CODE).toBe(expr('steps.drift.outputs.exit-code'));
    expect(verdict.run).toContain('test "$EXIT_CODE" = 3');
  });

  it("uploads the generated suite's JUnit report", () => {
    const upload = job.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.with?.path).toMatch(/reports\/junit\.xml$/);
  });
});
