/**
 * docs/ci-examples.md: the GitHub Actions example is a valid workflow, the GitLab CI example is well-formed,
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

interface GitLabJob {
  stage: string;
  script: string[];
  needs?: string[];
  rules?: unknown[];
}

describe('docs/ci-examples.md', () => {
  it('shows a valid GitHub Actions workflow with a drift check and a token-authenticated generation', () => {
    const source = yamlAfter('## GitHub Actions');
    const { errors } = validateWorkflow(source);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
    const workflow = parse(source) as {
      jobs: Record<string, { env?: Record<string, string>; steps: Array<{ run?: string }> }>;
    };
    const runs = (job: string) => workflow.jobs[job]!.steps.map((step) => step.run ?? '').join('\n');
    expect(runs('drift')).toContain('--check');
    expect(workflow.jobs.drift!.env?.SPECMINT_TOKEN, '--check needs no token').toBeUndefined();
    expect(workflow.jobs['api-tests']!.env?.SPECMINT_TOKEN).toBe(expr('secrets.SPECMINT_TOKEN'));
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
