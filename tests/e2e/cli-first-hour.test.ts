/**
 * A new user's first hour with the built `specmint` against a real licence server (issue #19, items 4,
 * 7 and 8): `init`'s prompts in a terminal (a pty) know the plan and reject a mistyped spec path, and
 * write a `$schema` that resolves from the project; a revoked token is named; `whoami`, `formats`,
 * `tokens list` and the generate summary fit 40 columns; a spec URL that cannot be reached is exit 5.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import { signUp } from './helpers/browser-session.ts';
import { buildOnce } from './helpers/build-once.ts';
import { type LicenceServer, REPO_ROOT, startLicenceServer } from './helpers/licence-server.ts';
import { hasScript, type PtyOptions, spawnInPty } from './helpers/pty.ts';
import { type CliOptions, parseJsonOutput, runCli } from './helpers/run-cli.ts';

const CLI = join(REPO_ROOT, 'bin', 'specmint');
const PETSTORE = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
const PASSWORD = 'correct-horse-battery';
const FREE_FORMATS = ['pytest', 'vitest', 'jest', 'postman', 'json'];
const ALL_FORMATS = ['pytest', 'vitest', 'jest', 'postman', 'k6', 'playwright', 'sql', 'json'];
/** Without `script` there is no pty: skipped with this reason, except under CI where it must run. */
const noPty = !hasScript() && !process.env.CI;
let work: string;
let server: LicenceServer;
let proToken: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-first-hour-'));
  server = await startLicenceServer({ dataDir: join(work, 'server-data') });
  await server.createUser({ email: 'pro@example.com', password: PASSWORD, plan: 'pro' });
  proToken = await server.createToken('pro@example.com');
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A fresh project folder with the pet store as openapi.yaml. */
function project(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(PETSTORE, join(dir, 'openapi.yaml'));
  return dir;
}

function env(dir: string, extra: Record<string, string> = {}): Record<string, string> {
  return { SPECMINT_API_URL: server.url, SPECMINT_CONFIG_DIR: join(dir, '.config'), ...extra };
}

function cli(dir: string, extra: Record<string, string> = {}): CliOptions {
  return { cwd: dir, env: env(dir, extra) };
}

/** Runs the CLI in a 40-column terminal and returns what it printed on stdout. */
async function stdoutAt40(
  args: string[],
  options: PtyOptions,
): Promise<{ code: number | null; lines: string[] }> {
  const session = spawnInPty([process.execPath, CLI, ...args], {
    ...options,
    columns: 40,
    stderrFile: join(options.cwd, 'stderr.txt'),
  });
  const result = await session.done;
  const lines = session
    .screen()
    .split('\n')
    .filter((line) => line.trim() !== '');
  return { code: result.code, lines };
}

function readConfig(dir: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(dir, 'specmint.config.json'), 'utf8')) as Record<string, unknown>;
}

describe.skipIf(noPty)('init in a terminal (needs util-linux `script` for a pty)', () => {
  it('not logged in: assumes Free and says so, refuses a mistyped spec path, formats outside Free cannot be picked', async () => {
    const dir = project('init-free');
    const session = spawnInPty([process.execPath, CLI, 'init'], { cwd: dir, env: env(dir) });
    await session.waitFor(/OpenAPI spec \(path or URL\)/);
    expect(session.screen()).toContain('Not logged in: showing the Free plan’s formats');
    session.type('opnapi.yaml\r');
    await session.waitFor(/No file opnapi\.yaml in this folder\.\s+Did you\s+mean openapi\.yaml\?/);
    session.type(`${'\x7f'.repeat('opnapi.yaml'.length)}openapi.yaml\r`);
    await session.waitFor(/Formats to generate/);
    await session.waitFor(/k6 \(needs Pro\)/);
    expect(session.screen()).toContain('playwright (needs Pro)');
    expect(session.screen()).toContain('sql (needs Pro)');
    // "a" selects every selectable choice: none of the Pro formats may end up chosen.
    const before = session.screen().length;
    session.type('a');
    await session.waitFor(/◉ json/, { from: before });
    session.type('\r');
    await session.waitFor(/Output folder/);
    session.type('\r');
    const result = await session.done;
    expect(result.code, session.screen()).toBe(0);
    const config = readConfig(dir);
    expect(config.formats).toEqual(FREE_FORMATS);
    expect(config.spec).toBe('openapi.yaml');
    // No installed package in the project: the published schema of this version.
    expect(config.$schema).toBe(
      `https://unpkg.com/specmint@${SPECMINT_VERSION}/cli/config/specmint.config.schema.json`,
    );
    expect(session.screen()).toContain('Next: `specmint login`, then `specmint generate`.');
  }, 120_000);

  it('logged in on Pro: every format can be picked, the $schema is the installed package, no "specmint login"', async () => {
    const dir = project('init-pro');
    const installed = join(dir, 'node_modules', 'specmint', 'cli', 'config');
    mkdirSync(installed, { recursive: true });
    copyFileSync(
      join(REPO_ROOT, 'cli/config/specmint.config.schema.json'),
      join(installed, 'specmint.config.schema.json'),
    );
    const session = spawnInPty([process.execPath, CLI, 'init'], {
      cwd: dir,
      env: env(dir, { SPECMINT_TOKEN: proToken }),
    });
    await session.waitFor(/OpenAPI spec \(path or URL\)/);
    session.type('\r');
    await session.waitFor(/Formats to generate/);
    const before = session.screen().length;
    session.type('a');
    await session.waitFor(/◉ json/, { from: before });
    session.type('\r');
    await session.waitFor(/Output folder/);
    session.type('\r');
    const result = await session.done;
    expect(result.code, session.screen()).toBe(0);
    expect(session.screen()).not.toContain('needs Pro');
    expect(session.screen()).not.toContain('Not logged in');
    const config = readConfig(dir);
    expect(config.formats).toEqual(ALL_FORMATS);
    expect(config.$schema).toBe('./node_modules/specmint/cli/config/specmint.config.schema.json');
    expect(session.screen()).toContain('Next: `specmint generate`.');
    expect(session.screen()).not.toContain('specmint login');
  }, 120_000);
});

describe('tokens by name, and a revoked token is named', () => {
  it('creates with --name, refuses two different names, and says which SPECMINT_TOKEN was revoked', async () => {
    const dir = project('revoked');
    const owner = await signUp({
      url: server.url,
      origin: server.baseUrl,
      email: 'owner@example.com',
      password: PASSWORD,
    });
    // A session token works as a bearer token, as after `specmint login`.
    const asOwner = cli(dir, { SPECMINT_TOKEN: owner.token });
    const created = await runCli(['tokens', 'create', '--name', 'ci', '--json'], asOwner);
    expect(created.code, created.stderr).toBe(0);
    const { token, id, name } = parseJsonOutput(created) as { token: string; id: string; name: string };
    expect(name).toBe('ci');
    const both = await runCli(['tokens', 'create', 'one', '--name', 'two'], asOwner);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('Two names given');
    expect((await runCli(['tokens', 'revoke', id], asOwner)).code).toBe(0);

    const named = `SPECMINT_TOKEN (${token.slice(0, 12)}…) was revoked`;
    const whoami = await runCli(['whoami'], cli(dir, { SPECMINT_TOKEN: token }));
    expect(whoami.code).toBe(4);
    expect(whoami.stderr).toContain(named);
    expect(whoami.stderr).toContain('specmint tokens create --name ci');
    expect(whoami.stderr).not.toContain(token);
    const generate = await runCli(
      ['generate', 'openapi.yaml', '--format', 'pytest', '--out', 'out'],
      cli(dir, { SPECMINT_TOKEN: token }),
    );
    expect(generate.code).toBe(4);
    expect(generate.stderr).toContain(named);
  }, 120_000);
});

describe.skipIf(noPty)('40 columns', () => {
  it('whoami prints the plan and usage once, with a readable period end, wrapped by word', async () => {
    const dir = project('whoami');
    const me = parseJsonOutput(
      await runCli(['whoami', '--json'], cli(dir, { SPECMINT_TOKEN: proToken })),
    ) as {
      periodEnd: string;
    };
    const { code, lines } = await stdoutAt40(['whoami'], {
      cwd: dir,
      env: env(dir, { SPECMINT_TOKEN: proToken }),
    });
    expect(code).toBe(0);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(40);
    const text = lines.join(' ').replace(/\s+/g, ' ');
    expect(text.match(/pro plan/gi)).toHaveLength(1);
    expect(text).not.toMatch(/^Plan:/m);
    const end = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(me.periodEnd));
    expect(text).toContain(
      `Usage: pro plan, 0 of 100 specs used this period (100 left); resets on ${end} (in `,
    );
  }, 60_000);

  it('formats and tokens list fit, and so does the generate summary', async () => {
    const dir = project('narrow');
    const asPro = { cwd: dir, env: env(dir, { SPECMINT_TOKEN: proToken }) };
    const formats = await stdoutAt40(['formats'], asPro);
    expect(formats.code).toBe(0);
    for (const line of formats.lines) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(formats.lines.join('\n')).toContain('  k6  included');

    const tokens = await stdoutAt40(['tokens', 'list'], asPro);
    expect(tokens.code).toBe(0);
    // Too narrow for the table: one block per token, its id on a line of its own.
    for (const line of tokens.lines) expect(line.length, line).toBeLessThanOrEqual(40);
    expect(tokens.lines).toContain(`  prefix: ${proToken.slice(0, 12)}`);

    const generate = await stdoutAt40(
      ['generate', 'openapi.yaml', '--format', 'pytest,json', '--out', 'out'],
      asPro,
    );
    expect(generate.code, readFileSync(join(dir, 'stderr.txt'), 'utf8')).toBe(0);
    expect(generate.lines.join('\n')).toContain('Usage: pro plan');
    for (const line of generate.lines) {
      // A path longer than the line stays whole; everything else wraps within 40 columns.
      if (line.trim().includes(' ')) expect(line.length, line).toBeLessThanOrEqual(40);
    }
  }, 120_000);
});

describe('a spec URL that cannot be fetched', () => {
  it('is exit 5 when nothing answers (network), exit 1 when the server says 404 (bad input)', async () => {
    const dir = project('spec-url');
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = await runCli(
      ['generate', `http://127.0.0.1:${port}/openapi.yaml`, '--format', 'pytest', '--dry-run'],
      cli(dir),
    );
    expect(unreachable.code, unreachable.stderr).toBe(5);
    expect(unreachable.stderr).toContain('connection refused');
    const missing = await runCli(
      ['generate', `${server.url}/no-such-spec.yaml`, '--format', 'pytest', '--dry-run'],
      cli(dir),
    );
    expect(missing.code, missing.stderr).toBe(1);
    expect(missing.stderr).toContain('HTTP 404');
  }, 60_000);
});
