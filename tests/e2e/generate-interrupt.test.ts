/**
 * A run that writes nothing costs nothing and leaves nothing behind: Ctrl-C (SIGINT) while GitHub's REST
 * description is planned or rendered stops `specmint generate` with "Interrupted." and exit 130, the output
 * folder exactly as it was, no staging folder left, and no generation charged; an output folder SpecMint
 * did not write is refused (exit 1) before a licence is asked for, and a first run interrupted leaves no folder.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './helpers/build-once.ts';
import { type LicenceServer, REPO_ROOT, startLicenceServer, waitForExit } from './helpers/licence-server.ts';
import { type CliOptions, parseJsonOutput, runCli, spawnCli } from './helpers/run-cli.ts';

const GITHUB = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
const PETSTORE = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
const PASSWORD = 'correct-horse-battery';
let work: string;
let server: LicenceServer;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-interrupt-'));
  server = await startLicenceServer({ dataDir: join(work, 'server-data') });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

async function freeUser(email: string): Promise<CliOptions> {
  await server.createUser({ email, password: PASSWORD, plan: 'free' });
  const token = await server.createToken(email);
  const dir = join(work, email.split('@')[0] ?? 'user');
  mkdirSync(dir, { recursive: true });
  return {
    cwd: dir,
    env: { SPECMINT_API_URL: server.url, SPECMINT_CONFIG_DIR: join(dir, '.config'), SPECMINT_TOKEN: token },
  };
}

async function used(options: CliOptions): Promise<number> {
  const whoami = parseJsonOutput(await runCli(['whoami', '--json'], options)) as { usage: { used: number } };
  return whoami.usage.used;
}

/** Every file under `dir` with its contents (relative path → text). */
function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/** Runs generate on GitHub's description and sends SIGINT once the step named `step` has started. */
async function interruptAt(options: CliOptions, step: RegExp, extra: string[] = [], outDir = 'out') {
  const child = spawnCli(
    ['generate', GITHUB, '--format', 'vitest,pytest,json', '--out', outDir, '--debug', '--json', ...extra],
    options,
  );
  let stderr = '';
  let sentAt = 0;
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (sentAt === 0 && step.test(stderr)) {
      sentAt = Date.now();
      child.kill('SIGINT');
    }
  });
  const result = await waitForExit(child);
  return { result, stderr, reactionMs: sentAt === 0 ? undefined : Date.now() - sentAt };
}

describe('Ctrl-C on a large spec', () => {
  it.each([
    ['planning', /debug: step: Planning test cases/, []],
    ['writing', /debug: step: Writing/, []],
    // 6,493 cases: the formats are rendered on two threads (cli/engine/render/render-helper.ts).
    ['writing on two threads (--depth quick)', /debug: step: Writing/, ['--depth', 'quick']],
  ])(
    'while %s: "Interrupted.", exit 130, output as it was, nothing charged',
    async (_name, step, extra) => {
      const options = await freeUser(`interrupt-${_name.replace(/[^a-z]+/gi, '-')}@example.com`);
      const out = join(options.cwd, 'out');
      // An earlier generation in the folder, which must survive untouched.
      const first = await runCli(['generate', PETSTORE, '--format', 'vitest,json', '--out', 'out'], options);
      expect(first.code, first.stderr).toBe(0);
      const before = snapshot(out);
      const usedBefore = await used(options);
      expect(usedBefore).toBe(1);

      const { result, stderr, reactionMs } = await interruptAt(options, step, extra);
      expect(reactionMs, `the step never started:\n${stderr}`).toBeDefined();
      expect(result.code, stderr).toBe(130);
      expect(stderr).toContain('Interrupted.');
      expect(parseJsonOutput(result)).toMatchObject({ ok: false, error: { code: 'INTERRUPTED' } });
      expect(snapshot(out)).toEqual(before);
      expect(readdirSync(out).filter((name) => name.startsWith('.specmint-'))).toEqual([]);
      expect(await used(options), stderr).toBe(usedBefore);
    },
    240_000,
  );
});

describe('Ctrl-C on a first run', () => {
  it('leaves no output folder behind', async () => {
    const options = await freeUser('interrupt-first@example.com');
    const { result, stderr } = await interruptAt(
      options,
      /debug: step: Writing/,
      ['--depth', 'quick'],
      'new/out',
    );
    expect(result.code, stderr).toBe(130);
    expect(existsSync(join(options.cwd, 'new')), stderr).toBe(false);
  }, 240_000);
});

describe('an output folder SpecMint did not write', () => {
  it('is refused with exit 1 before any licence is asked for, so nothing is charged', async () => {
    const options = await freeUser('not-ours@example.com');
    const out = join(options.cwd, 'theirs');
    cpSync(join(REPO_ROOT, 'tests/fixtures/specs/sut'), out, { recursive: true });
    const before = snapshot(out);
    const result = await runCli(['generate', PETSTORE, '--format', 'pytest', '--out', 'theirs'], options);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/was not written by SpecMint/);
    expect(result.stderr).not.toMatch(/Licensed/);
    expect(snapshot(out)).toEqual(before);
    expect(await used(options)).toBe(0);
  }, 120_000);
});
