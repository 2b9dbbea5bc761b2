/**
 * The built `specmint` binary without a licence server: help, usage errors (2), bad input (1), not
 * logged in (4), server unreachable (5), interrupted (130), broken install (70), dry runs, `init`,
 * `formats`, NO_COLOR.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';
import { buildOnce } from './helpers/build-once.ts';
import { REPO_ROOT, waitForExit } from './helpers/licence-server.ts';
import { parseJsonOutput, runCli, spawnCli } from './helpers/run-cli.ts';

const PETSTORE = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
/** The escape that starts an ANSI colour sequence. */
const ANSI = `${String.fromCharCode(27)}[`;
let work: string;
let env: Record<string, string>;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-cli-offline-'));
  env = { SPECMINT_CONFIG_DIR: join(work, 'config'), SPECMINT_API_URL: 'http://127.0.0.1:9' };
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('help and version', () => {
  it('prints the version and exits 0', async () => {
    const result = await runCli(['--version'], { cwd: work });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('teaches every command with examples', async () => {
    const top = await runCli(['--help'], { cwd: work });
    expect(top.code).toBe(0);
    for (const command of [
      'generate',
      'login',
      'logout',
      'whoami',
      'formats',
      'init',
      'tokens',
      'upgrade',
      'billing',
    ]) {
      expect(top.stdout).toContain(command);
    }
    expect(top.stdout).toContain('Exit codes');
    const generate = await runCli(['generate', '--help'], { cwd: work });
    expect(generate.code).toBe(0);
    expect(generate.stdout).toContain('Examples:');
    expect(generate.stdout).toContain('--dry-run');
    expect(generate.stdout).toContain('SPECMINT_TOKEN');
  });
});

describe('usage errors exit 2', () => {
  it('rejects an unknown flag', async () => {
    const result = await runCli(['generate', PETSTORE, '--bogus'], { cwd: work, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--bogus'");
  });

  it('lists every bad flag value at once, with --json on stdout', async () => {
    const result = await runCli(['generate', PETSTORE, '--format', 'vitst,nope', '--seed', 'x', '--json'], {
      cwd: work,
      env,
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('did you mean "vitest"');
    expect(result.stderr).toContain('--seed');
    const json = parseJsonOutput(result);
    expect(json).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('names the flag to pass when a value is missing and there is no TTY', async () => {
    const result = await runCli(['generate', PETSTORE], { cwd: work, env });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--format');
    const noSpec = await runCli(['generate', '--format', 'json'], { cwd: work, env });
    expect(noSpec.code).toBe(2);
    expect(noSpec.stderr).toContain('first argument');
  });
});

describe('upgrade', () => {
  it('needs a known plan, named on the command line when there is no TTY', async () => {
    const missing = await runCli(['upgrade'], { cwd: work, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('specmint upgrade pro');
    const unknown = await runCli(['upgrade', 'gold'], { cwd: work, env });
    expect(unknown.code).toBe(2);
  });
});

describe('bad input exits 1', () => {
  it('reports a missing spec file without calling the server', async () => {
    const result = await runCli(['generate', 'nope.yaml', '--format', 'json', '--json'], { cwd: work, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('nope.yaml: file not found');
    expect(parseJsonOutput(result)).toMatchObject({ ok: false, error: { code: 'SPEC_NOT_FOUND' } });
  });

  it('reports a broken spec with its location', async () => {
    const broken = join(work, 'broken.yaml');
    writeFileSync(broken, 'openapi: 3.0.3\ninfo: [not, an, object]\npaths: {}\n');
    const result = await runCli(['generate', broken, '--format', 'json'], { cwd: work, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('broken.yaml');
  });

  it('reports every problem of specmint.config.json at once', async () => {
    const dir = join(work, 'bad-config');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'specmint.config.json'),
      JSON.stringify({ formats: ['pytset'], seed: -1, colour: true }),
    );
    const result = await runCli(['generate', PETSTORE], { cwd: dir, env });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3 problems');
    expect(result.stderr).toContain('did you mean "pytest"');
    expect(result.stderr).toContain('/seed');
    expect(result.stderr).toContain('unknown setting "colour"');
  });
});

describe('entitlement failures', () => {
  it('exits 4 when not logged in, after validating the spec', async () => {
    const result = await runCli(['generate', PETSTORE, '--format', 'json', '--json'], { cwd: work, env });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('specmint login');
    expect(parseJsonOutput(result)).toMatchObject({ ok: false, error: { code: 'NOT_LOGGED_IN' } });
  });

  it('exits 5 naming the URL when the licence server is down', async () => {
    const port = await freePort();
    const result = await runCli(['generate', PETSTORE, '--format', 'json'], {
      cwd: work,
      env: { ...env, SPECMINT_API_URL: `http://127.0.0.1:${port}`, SPECMINT_TOKEN: 'smk_not_checked' },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`http://127.0.0.1:${port}/v1/generations`);
    expect(result.stderr).toContain('connection refused');
  });
});

describe('interruption', () => {
  let hanging: Server;
  let received: Promise<void>;

  beforeAll(async () => {
    let signal: () => void = () => {};
    received = new Promise((resolve) => {
      signal = resolve;
    });
    // Accepts the entitlement request and never answers: the CLI is mid-request when interrupted.
    hanging = createServer(() => signal());
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => {
    hanging.closeAllConnections();
    hanging.close();
  });

  it('exits 130 on SIGINT', async () => {
    const { port } = hanging.address() as AddressInfo;
    const child = spawnCli(['generate', PETSTORE, '--format', 'json', '--json'], {
      cwd: work,
      env: { ...env, SPECMINT_API_URL: `http://127.0.0.1:${port}`, SPECMINT_TOKEN: 'smk_not_checked' },
    });
    const done = waitForExit(child);
    await received;
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted');
    expect(parseJsonOutput(result)).toMatchObject({ ok: false, error: { code: 'INTERRUPTED' } });
  });
});

describe('broken install', () => {
  it('exits 70 when the CLI bundle is missing', async () => {
    const install = join(work, 'install');
    mkdirSync(join(install, 'bin'), { recursive: true });
    copyFileSync(join(REPO_ROOT, 'bin/specmint'), join(install, 'bin/specmint'));
    const result = await waitForExit(
      (await import('node:child_process')).spawn(
        process.execPath,
        [join(install, 'bin/specmint'), '--help'],
        {
          cwd: work,
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      ),
    );
    expect(result.code).toBe(70);
    expect(result.stderr).toContain('npm run build');
  });
});

describe('offline commands', () => {
  it('--dry-run plans without writing or calling the server', async () => {
    const dir = join(work, 'dry');
    mkdirSync(dir);
    const result = await runCli(['generate', PETSTORE, '--format', 'json,vitest', '--dry-run', '--json'], {
      cwd: dir,
      env,
    });
    expect(result.code).toBe(0);
    const json = parseJsonOutput(result);
    expect(json).toMatchObject({ ok: true, mode: 'dry-run', usage: null, formats: ['json', 'vitest'] });
    expect(json.files).toEqual(expect.arrayContaining(['json/test-plan.json']));
    expect(json.operations).toBeGreaterThan(0);
    expect(json.tests).toBeGreaterThan(0);
    expect(() => readFileSync(join(dir, 'specmint-tests/.specmint.json'))).toThrow();
  });

  it('--dry-run with --ai says the AI cases are left out, needs no key and calls nobody', async () => {
    const dir = join(work, 'dry-ai');
    mkdirSync(dir);
    const result = await runCli(
      ['generate', PETSTORE, '--format', 'vitest', '--ai', 'openai', '--dry-run', '--json'],
      { cwd: dir, env },
    );
    expect(result.code).toBe(0);
    const json = parseJsonOutput(result) as { warnings: string[] };
    expect(json).toMatchObject({ ok: true, mode: 'dry-run', usage: null });
    expect(json.warnings.join('\n')).toContain('--dry-run leaves AI cases out');
  });

  it('--path-param gives parent resources that exist: success expected, lifecycle flows planned', async () => {
    const spec = join(REPO_ROOT, 'tests/fixtures/specs/nested/repo-issues.yaml');
    const plain = await runCli(['generate', spec, '--dry-run', '--json', '--yes', '-f', 'json'], {
      cwd: work,
      env,
    });
    expect(plain.code, plain.stderr).toBe(0);
    expect(parseJsonOutput(plain).testsByCategory).not.toHaveProperty('stateful');
    const given = await runCli(
      [
        'generate',
        spec,
        '--dry-run',
        '--json',
        '--yes',
        '-f',
        'json',
        '--path-param',
        'owner=octocat',
        '--path-param',
        'repo=hello-world',
      ],
      { cwd: work, env },
    );
    expect(given.code, given.stderr).toBe(0);
    expect(parseJsonOutput(given).testsByCategory).toMatchObject({ stateful: 1 });
    expect(parseJsonOutput(given).warnings).toEqual([]);
    const typo = await runCli(
      ['generate', spec, '--dry-run', '--json', '--yes', '-f', 'json', '--path-param', 'ownr=octocat'],
      { cwd: work, env },
    );
    expect(typo.code, typo.stderr).toBe(0);
    // The typo is named, and so are the parameters still without a value (only those nothing creates:
    // {issue_number} follows once {owner} and {repo} are given).
    expect(parseJsonOutput(typo).warnings).toEqual([
      '--path-param ownr: no path of the spec has a {ownr} parameter, so it is not used.',
      ...['owner', 'repo'].map(
        (name) =>
          `{${name}} names a resource that no operation of the spec creates, so the cases under it send a made-up value and accept the declared 4xx. Give a real one to test them fully: --path-param ${name}=<value>`,
      ),
    ]);
    const bad = await runCli(
      ['generate', spec, '--dry-run', '--yes', '-f', 'json', '--path-param', 'owner'],
      {
        cwd: work,
        env,
      },
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--path-param: expected name=value');
  });

  it('reads a spec from stdin', async () => {
    const result = await runCli(['generate', '-', '--format', 'json', '--dry-run', '--json'], {
      cwd: work,
      env,
      input: readFileSync(PETSTORE, 'utf8'),
    });
    expect(result.code).toBe(0);
    expect(parseJsonOutput(result)).toMatchObject({ ok: true, mode: 'dry-run' });
  });

  it('--check exits 3 when nothing was generated yet', async () => {
    const dir = join(work, 'check-empty');
    mkdirSync(dir);
    const result = await runCli(['generate', PETSTORE, '--format', 'json', '--check', '--json'], {
      cwd: dir,
      env,
    });
    expect(result.code).toBe(3);
    const json = parseJsonOutput(result) as { error: { code: string; details: { missing: string[] } } };
    expect(json.error.code).toBe('STALE');
    expect(json.error.details.missing).toContain('json/test-plan.json');
  });

  it('init writes a config that generate then uses', async () => {
    const dir = join(work, 'init');
    mkdirSync(dir);
    copyFileSync(PETSTORE, join(dir, 'openapi.yaml'));
    const missing = await runCli(['init'], { cwd: dir, env });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--format');
    const result = await runCli(['init', '--format', 'json'], { cwd: dir, env });
    expect(result.code).toBe(0);
    const config = JSON.parse(readFileSync(join(dir, 'specmint.config.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(config).toMatchObject({
      spec: 'openapi.yaml',
      formats: ['json'],
      out: './specmint-tests',
      seed: 1,
    });
    expect(String(config.$schema)).toMatch(/specmint\.config\.schema\.json$/);
    const again = await runCli(['init', '--format', 'json'], { cwd: dir, env });
    expect(again.code).toBe(1);
    const dry = await runCli(['generate', '--dry-run', '--json'], { cwd: dir, env });
    expect(dry.code).toBe(0);
    expect(parseJsonOutput(dry)).toMatchObject({ ok: true, formats: ['json'] });
  });

  it('formats lists every format and the plans that include it', async () => {
    const result = await runCli(['formats', '--json'], { cwd: work, env });
    expect(result.code).toBe(0);
    const json = parseJsonOutput(result) as {
      plan: unknown;
      formats: Array<{ format: string; plans: string[] }>;
    };
    expect(json.plan).toBeNull();
    expect(json.formats.map((f) => f.format)).toEqual([
      'pytest',
      'vitest',
      'jest',
      'postman',
      'k6',
      'playwright',
      'sql',
      'json',
    ]);
    expect(json.formats.find((f) => f.format === 'k6')?.plans).toEqual(['pro', 'enterprise']);
  });

  it('respects NO_COLOR even when colour is forced', async () => {
    const args = ['generate', 'nope.yaml', '--format', 'json'];
    const coloured = await runCli(args, { cwd: work, env: { ...env, FORCE_COLOR: '1' } });
    expect(coloured.stderr).toContain(ANSI);
    const plain = await runCli(args, { cwd: work, env: { ...env, FORCE_COLOR: '1', NO_COLOR: '1' } });
    expect(plain.code).toBe(1);
    expect(plain.stderr).not.toContain(ANSI);
  });
});
