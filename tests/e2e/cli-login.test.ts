/**
 * `specmint login` on the built binary against the real licence server, over a whole device-code
 * lifetime (issue #19, items 1 and 6). The server runs with the test-only knobs
 * SPECMINT_TEST_DEVICE_CODE_TTL / SPECMINT_TEST_DEVICE_POLL_INTERVAL (60 s, 1 s) so a lifetime fits in a
 * test: three terminals behind one address poll every second for the whole minute — 180 polls, past
 * the 120 that used to get a 429 — two are approved a few seconds before the code expires and log in,
 * the third expires with exit 4. Then `login` while logged in warns (as whom) and `--force` switches.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideDevice, signUp } from './helpers/browser-session.ts';
import { buildOnce } from './helpers/build-once.ts';
import {
  type LicenceServer,
  type ProcessResult,
  startLicenceServer,
  waitForExit,
} from './helpers/licence-server.ts';
import { type CliOptions, runCli, spawnCli } from './helpers/run-cli.ts';

const CODE_TTL_SECONDS = 60;
const POLL_INTERVAL_SECONDS = 1;
/** Approve this long before the code expires: the login has polled for (almost) its whole lifetime. */
const APPROVE_BEFORE_EXPIRY_MS = 8000;
const PASSWORD = 'correct-horse-battery';
let work: string;
let server: LicenceServer;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-cli-login-'));
  server = await startLicenceServer({
    dataDir: join(work, 'server-data'),
    env: {
      SPECMINT_TEST_DEVICE_CODE_TTL: String(CODE_TTL_SECONDS),
      SPECMINT_TEST_DEVICE_POLL_INTERVAL: String(POLL_INTERVAL_SECONDS),
    },
  });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function cli(name: string): CliOptions {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return { cwd: dir, env: { SPECMINT_API_URL: server.url, SPECMINT_CONFIG_DIR: join(dir, '.config') } };
}

/** A running `specmint login --no-browser --debug`, its user code and when it was shown. */
interface PendingLogin {
  child: ChildProcess;
  userCode: string;
  shownAt: number;
  done: Promise<ProcessResult>;
}

async function startLogin(options: CliOptions, extraArgs: string[] = []): Promise<PendingLogin> {
  const child = spawnCli(['login', '--no-browser', '--debug', ...extraArgs], options);
  const done = waitForExit(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  for (let waited = 0; !/enter the code:\s+\S+/.test(stderr); waited += 50) {
    if (waited > 60_000 || child.exitCode !== null) throw new Error(`no user code printed:\n${stderr}`);
    await sleep(50);
  }
  return {
    child,
    userCode: /enter the code:\s+(\S+)/.exec(stderr)?.[1] ?? '',
    shownAt: Date.now(),
    done,
  };
}

describe('device login over a whole code lifetime', () => {
  it('polls at the interval from three terminals for the whole lifetime unthrottled, then logs in', async () => {
    const terminals = ['first', 'second', 'third'].map((name) => cli(name));
    const logins = await Promise.all(terminals.map((options) => startLogin(options)));
    // Printed as the approval page shows it (gh-style), not as one run of characters.
    for (const login of logins) expect(login.userCode).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);

    const browser = await signUp({
      url: server.url,
      origin: server.baseUrl,
      email: 'patient@example.com',
      password: PASSWORD,
    });
    const lastShown = Math.max(...logins.map((login) => login.shownAt));
    await sleep(lastShown + CODE_TTL_SECONDS * 1000 - APPROVE_BEFORE_EXPIRY_MS - Date.now());
    const [first, second, third] = logins as [PendingLogin, PendingLogin, PendingLogin];
    for (const login of [first, second]) {
      expect(login.child.exitCode, 'still polling').toBeNull();
      await decideDevice(browser, login.userCode, 'approve');
    }

    for (const login of [first, second]) {
      const result = await login.done;
      expect(result.stderr).not.toMatch(/429|Too many|slow down/i);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('as patient@example.com (free plan)');
    }
    const expired = await third.done;
    expect(expired.code, expired.stderr).toBe(4);
    expect(expired.stderr).not.toMatch(/429|Too many|slow down/i);
    expect(expired.stderr).toContain(
      `The login code ${third.userCode} expired: it was not approved within 1 minute.`,
    );
    expect(expired.stderr).toContain('Run `specmint login` again');
    expect(existsSync(join(terminals[2]?.cwd ?? '', '.config', 'credentials.json'))).toBe(false);
  }, 180_000);
});

describe('login while logged in', () => {
  it('says as whom and changes nothing; --force switches account and ends the old session', async () => {
    const options = cli('switch');
    const credentials = join(options.cwd, '.config', 'credentials.json');
    const storedToken = () =>
      (JSON.parse(readFileSync(credentials, 'utf8')) as Record<string, { token: string; email?: string }>)[
        server.url
      ];
    const alice = await signUp({
      url: server.url,
      origin: server.baseUrl,
      email: 'alice@example.com',
      password: PASSWORD,
    });
    const first = await startLogin(options);
    await decideDevice(alice, first.userCode, 'approve');
    expect((await first.done).code).toBe(0);
    const aliceToken = storedToken()?.token;

    const again = await runCli(['login', '--no-browser'], options);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain(
      `warning: Already logged in to ${server.url} as alice@example.com (free plan).`,
    );
    expect(again.stderr).toContain('specmint login --force');
    expect(again.stderr).not.toContain('enter the code');
    expect(storedToken()?.token).toBe(aliceToken);

    const bob = await signUp({
      url: server.url,
      origin: server.baseUrl,
      email: 'bob@example.com',
      password: PASSWORD,
    });
    const forced = await startLogin(options, ['--force']);
    await decideDevice(bob, forced.userCode, 'approve');
    const switched = await forced.done;
    expect(switched.code, switched.stderr).toBe(0);
    expect(switched.stdout).toContain('as bob@example.com');
    expect(storedToken()?.email).toBe('bob@example.com');
    const old = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${aliceToken}` } });
    expect(old.status).toBe(401);
  }, 120_000);
});
