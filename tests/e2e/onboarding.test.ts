/**
 * Onboarding on the built binaries (issue #19, item 9): `specmint-server start` says "Ready on …" in a
 * terminal (and only there) and stops on Ctrl-C; a fresh embedded data dir starts from the cached
 * template the first one left; "cannot reach" says how to start a local server; and
 * `npm run quickstart -- --serve` keeps its server up until Ctrl-C so `specmint login` works against it.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDevice } from './helpers/browser-session.ts';
import { buildOnce } from './helpers/build-once.ts';
import { cleanEnv, REPO_ROOT, startLicenceServer, waitForExit } from './helpers/licence-server.ts';
import { hasScript, spawnInPty } from './helpers/pty.ts';
import { runCli, spawnCli } from './helpers/run-cli.ts';

const SERVER = join(REPO_ROOT, 'bin', 'specmint-server');
const noPty = !hasScript() && !process.env.CI;
let work: string;
/** A template cache of this test's own, so the first start here really is the machine's first. */
let cache: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-onboarding-'));
  cache = join(work, 'cache');
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

function closedPort(): Promise<number> {
  const probe = createServer();
  return new Promise((resolve) => {
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The `startupMs` of a server's `listening` log line. */
function startupOf(log: string): Record<string, number> {
  const line = log.split('\n').find((entry) => entry.includes('specmint-server listening'));
  if (!line) throw new Error(`no listening line in:\n${log}`);
  return (JSON.parse(line) as { startupMs: Record<string, number> }).startupMs;
}

describe.skipIf(noPty)('specmint-server start', () => {
  it('in a terminal: one "Ready on" line beside the JSON logs, and Ctrl-C stops it', async () => {
    const session = spawnInPty([process.execPath, SERVER, 'start', '--port', '0'], {
      cwd: work,
      env: { SPECMINT_DATA_DIR: join(work, 'first'), XDG_CACHE_HOME: cache },
    });
    await session.waitFor(
      /Ready on http:\/\/localhost:\d+ — run `SPECMINT_API_URL=http:\/\/127\.0\.0\.1:\d+ specmint login`/,
      {
        timeoutMs: 180_000,
      },
    );
    const screen = session.screen();
    expect(screen.match(/Ready on/g)).toHaveLength(1);
    // The human line comes after the JSON one that says the same.
    expect(screen.indexOf('"msg":"specmint-server listening"')).toBeGreaterThan(-1);
    expect(screen.indexOf('Ready on')).toBeGreaterThan(screen.indexOf('"msg":"specmint-server listening"'));
    // The machine's first fresh data dir: initdb ran, and a copy was kept for the next ones.
    expect(startupOf(screen).template).toBeGreaterThanOrEqual(0);
    expect(readdirSync(join(cache, 'specmint', 'pglite'))).toHaveLength(1);
    session.type('\x03');
    const result = await session.done;
    expect(result.code).toBe(0);
    expect(session.screen()).toContain('"msg":"stopped"');
  }, 240_000);

  it('not in a terminal: JSON logs only; a fresh data dir starts from the kept copy and is its own', async () => {
    const server = await startLicenceServer({
      dataDir: join(work, 'second'),
      env: { XDG_CACHE_HOME: cache },
    });
    try {
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      await server.createUser({ email: 'second@example.com', password: 'correct-horse-battery' });
    } finally {
      await server.stop();
    }
    const child = spawn(process.execPath, [SERVER, 'start', '--port', '0'], {
      env: cleanEnv({ SPECMINT_DATA_DIR: join(work, 'third'), XDG_CACHE_HOME: cache }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const exited = waitForExit(child);
    let log = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
    });
    for (let waited = 0; !log.includes('specmint-server listening'); waited += 100) {
      if (waited > 180_000 || child.exitCode !== null) throw new Error(`did not start:\n${log}`);
      await sleep(100);
    }
    child.kill('SIGTERM');
    const result = await exited;
    expect(result.code).toBe(0);
    expect(log).not.toContain('Ready on');
    // Seeded from the template: no initdb, no new copy.
    expect(startupOf(log).template).toBeUndefined();
    // The second server's account is not in the template, so not in the third data dir either.
    const third = await startLicenceServer({ dataDir: join(work, 'third'), env: { XDG_CACHE_HOME: cache } });
    try {
      await third.createUser({ email: 'second@example.com', password: 'correct-horse-battery' });
    } finally {
      await third.stop();
    }
  }, 300_000);
});

describe('cannot reach a local licence server', () => {
  it('says how to start one', async () => {
    const port = await closedPort();
    const result = await runCli(['whoami'], {
      cwd: work,
      env: {
        SPECMINT_API_URL: `http://127.0.0.1:${port}`,
        SPECMINT_TOKEN: `smk_${'a'.repeat(43)}`,
        SPECMINT_CONFIG_DIR: join(work, 'cli-config'),
      },
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain(`No licence server is running at http://127.0.0.1:${port}`);
    expect(result.stderr).toContain(`npx specmint-server start --port ${port}`);
    expect(result.stderr).toContain('npm run quickstart -- --serve');
  });
});

describe('npm run quickstart -- --serve', () => {
  it('generates, then keeps the licence server up for `specmint login` until Ctrl-C', async () => {
    const dir = join(work, 'quickstart');
    const quickstart = spawn(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'scripts/quickstart.ts'), '--serve', '--port', '0', '--dir', dir],
      { cwd: REPO_ROOT, env: cleanEnv({ XDG_CACHE_HOME: cache }), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const exited = waitForExit(quickstart);
    let out = '';
    quickstart.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    // The login lines end with where the password is kept: wait for all of them, not the first.
    for (let waited = 0; !/until you press Ctrl-C[\s\S]*\(password in /.test(out); waited += 200) {
      if (waited > 300_000 || quickstart.exitCode !== null)
        throw new Error(`quickstart did not get there:\n${out}`);
      await sleep(200);
    }
    expect(out).toMatch(/Done: \d+ files in /);
    const url = /Licence server listening on (http:\/\/127\.0\.0\.1:\d+)\./.exec(out)?.[1] ?? '';
    expect(out).toContain(`SPECMINT_API_URL=${url} npx specmint login`);

    // Log in as the quickstart account, as the printed instructions say.
    const password = readFileSync(join(dir, 'password'), 'utf8').trim();
    const baseUrl = url.replace('127.0.0.1', 'localhost');
    const signIn = await fetch(`${url}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: baseUrl },
      body: JSON.stringify({ email: 'quickstart@specmint.local', password }),
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .map((entry) => entry.split(';')[0])
      .join('; ');
    const login = spawnCli(['login', '--no-browser'], {
      cwd: dir,
      env: { SPECMINT_API_URL: url, SPECMINT_CONFIG_DIR: join(dir, 'login-config') },
    });
    const loggedIn = waitForExit(login);
    let stderr = '';
    login.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    for (let waited = 0; !/enter the code:\s+\S+/.test(stderr); waited += 100) {
      if (waited > 60_000) throw new Error(`no code:\n${stderr}`);
      await sleep(100);
    }
    const userCode = /enter the code:\s+(\S+)/.exec(stderr)?.[1] ?? '';
    await decideDevice({ cookie, token: '', origin: baseUrl, url }, userCode, 'approve');
    const result = await loggedIn;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('as quickstart@specmint.local');

    quickstart.kill('SIGINT');
    const stopped = await exited;
    expect(stopped.code, stopped.stderr).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(existsSync(join(dir, 'suites'))).toBe(true);
  }, 420_000);
});
