/**
 * Two licence-server PROCESSES on one PostgreSQL database (issue #17): quota, password guesses, token
 * revocation, account deletion and sign-out behave as on one instance. Needs DATABASE_URL (a database
 * of its own is created and dropped); skipped with the reason otherwise, but never under CI (.ci/run
 * sets DATABASE_URL). A Redis variant of the shared limits runs when Redis answers on 6379.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEmailVerificationToken } from 'better-auth/api';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPem } from '../../server/secrets.ts';
import { cleanEnv } from '../e2e/helpers/licence-server.ts';
import { generationBody } from './harness.ts';
import { REDIS_TEST_URL, redisForTests } from './redis-available.ts';
import { bundleServer, runServerCommand, type ServerProcess, startServerProcess } from './server-process.ts';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL && process.env.CI) throw new Error('the multi-instance test needs DATABASE_URL under CI');
const PASSWORD = 'correct horse battery';

/** A fresh database and two instances on it (A and B). */
interface Pair {
  a: ServerProcess;
  b: ServerProcess;
  /** BETTER_AUTH_SECRET of both: it signs e-mail verification links. */
  secret: string;
  dispose(): Promise<void>;
}

async function startPair(extraEnv: Record<string, string> = {}): Promise<Pair> {
  const main = await bundleServer('multi-instance');
  const name = `specmint_multi_${randomBytes(4).toString('hex')}`;
  const root = postgres(DATABASE_URL!, { max: 1, onnotice: () => {} });
  await root.unsafe(`create database ${name}`);
  const url = new URL(DATABASE_URL!);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'specmint-multi-'));
  const secret = randomBytes(32).toString('base64url');
  const env = cleanEnv({
    DATABASE_URL: url.toString(),
    SPECMINT_DATA_DIR: dataDir,
    NODE_ENV: 'development',
    // The same secrets on every instance: sessions and usage tokens verify on each.
    BETTER_AUTH_SECRET: secret,
    SPECMINT_SIGNING_KEY: generateSigningKeyPem(),
    // Loopback is a private network: the tests choose each request's client address.
    SPECMINT_TRUST_PROXY: '1',
    SPECMINT_LOG_LEVEL: 'info',
    // Nothing from the caller's environment decides where limits live or what is reported.
    REDIS_URL: undefined,
    METRICS_TOKEN: undefined,
    METRICS_PORT: undefined,
    SENTRY_DSN: undefined,
    ...extraEnv,
  });
  await runServerCommand(main, ['migrate'], env); // once, as a deploy's release command does
  const [a, b] = await Promise.all([startServerProcess(main, env), startServerProcess(main, env)]);
  return {
    a,
    b,
    secret,
    dispose: async () => {
      await Promise.all([a.stop(), b.stop()]);
      await root.unsafe(`drop database if exists ${name} with (force)`);
      await root.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function call(server: ServerProcess, path: string, init: RequestInit & { ip?: string } = {}) {
  const { ip, ...rest } = init;
  const headers = new Headers(rest.headers);
  if (ip) headers.set('x-forwarded-for', ip);
  return fetch(`${server.url}${path}`, { ...rest, headers, redirect: 'manual' });
}

function bearer(token: string, extra: Record<string, string> = {}) {
  return { authorization: `Bearer ${token}`, ...extra };
}

function generate(server: ServerProcess, token: string, body = generationBody()) {
  return call(server, '/v1/generations', {
    method: 'POST',
    headers: bearer(token, { 'content-type': 'application/json', 'idempotency-key': randomUUID() }),
    body: JSON.stringify(body),
  });
}

function signIn(server: ServerProcess, email: string, password: string, ip: string) {
  return call(server, '/api/auth/sign-in/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.baseUrl },
    body: JSON.stringify({ email, password }),
    ip,
  });
}

let addresses = 0;
/** A client address of its own for each sign-up (better-auth limits sign-ups per address). */
function nextAddress(): string {
  addresses += 1;
  return `203.0.${113 + (addresses >> 8)}.${addresses & 255}`;
}

/** Signs up on A (the way a user does) and creates a CI token with that session. */
async function newUser(pair: Pair): Promise<{ email: string; token: string; session: string }> {
  const email = `multi-${randomUUID().slice(0, 8)}@example.test`;
  const signedUp = await call(pair.a, '/api/auth/sign-up/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: pair.a.baseUrl },
    body: JSON.stringify({ email, password: PASSWORD, name: 'Multi' }),
    ip: nextAddress(),
  });
  expect(signedUp.status).toBe(200);
  const session = signedUp.headers.get('set-auth-token')!;
  // Follow the verification link (the Free plan generates only for a verified address), on the other instance.
  const userId = ((await signedUp.json()) as { user: { id: string } }).user.id;
  const link = await createEmailVerificationToken(pair.secret, email, undefined, 3600, { userId });
  const verified = await call(pair.b, `/api/auth/verify-email?token=${encodeURIComponent(link)}`, {});
  expect(verified.status).toBe(200);
  const created = await call(pair.a, '/v1/tokens', {
    method: 'POST',
    headers: bearer(session, { 'content-type': 'application/json', origin: pair.a.baseUrl }),
    body: JSON.stringify({ name: 'ci' }),
  });
  expect(created.status).toBe(201);
  return { email, session, token: ((await created.json()) as { token: string }).token };
}

/** 30 wrong passwords at once for a new account from one address; how many were not refused with 429. */
async function guessesLetThrough(pair: Pair, servers: ServerProcess[]): Promise<number> {
  const { email } = await newUser(pair);
  // A fresh /64 of the documentation range each time: Redis keeps the counters of earlier runs of this file
  // for their window, and one of 250 IPv4 addresses drawn again (three runs in an hour did) starts spent.
  const group = () => Math.floor(Math.random() * 0xffff).toString(16);
  const ip = `2001:db8:${group()}:${group()}::1`;
  const answers = await Promise.all(
    Array.from({ length: 30 }, (_, index) =>
      signIn(servers[index % servers.length]!, email, `guess-${index}-x`, ip),
    ),
  );
  const statuses = answers.map((answer) => answer.status);
  expect(
    statuses.every((status) => status === 401 || status === 429),
    statuses.join(','),
  ).toBe(true);
  return statuses.filter((status) => status === 401).length;
}

describe.skipIf(!DATABASE_URL)('two instances on one PostgreSQL database', () => {
  let pair: Pair;
  beforeAll(async () => {
    pair = await startPair();
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  it('40 parallel requests on the last 2 units of quota, split across both, grant exactly 2', async () => {
    const { token } = await newUser(pair);
    for (let index = 0; index < 3; index++) expect((await generate(pair.a, token)).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) => generate(index % 2 ? pair.a : pair.b, token)),
    );
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    expect(statuses.filter((status) => status === 402)).toHaveLength(38);
  });

  it('30 password guesses split across both stop at the same total as on one instance', async () => {
    const one = await guessesLetThrough(pair, [pair.a]);
    const both = await guessesLetThrough(pair, [pair.a, pair.b]);
    expect(one).toBe(10);
    expect(both).toBe(one);
  });

  it('a token revoked on one instance is refused by the other within a second', async () => {
    const { token, session } = await newUser(pair);
    expect((await call(pair.b, '/v1/me', { headers: bearer(token) })).status).toBe(200); // B caches it
    // Tokens are revoked with a session (device login), here on A.
    const listed = (await (await call(pair.a, '/v1/tokens', { headers: bearer(session) })).json()) as {
      items: { id: string }[];
    };
    const revoke = await call(pair.a, `/v1/tokens/${listed.items[0]!.id}`, {
      method: 'DELETE',
      headers: bearer(session, { origin: pair.a.baseUrl }),
    });
    expect(revoke.status).toBe(204);
    const revokedAt = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - revokedAt < 3000) {
      status = (await call(pair.b, '/v1/me', { headers: bearer(token) })).status;
      if (status === 200) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
    expect((await generate(pair.b, token)).status).toBe(401);
  });

  it('an account deleted on one instance gets 401, never 500, on the other; sign-out reaches both', async () => {
    const { email, token } = await newUser(pair);
    const session = await signIn(pair.a, email, PASSWORD, '192.0.2.50');
    expect(session.status).toBe(200);
    const sessionToken = session.headers.get('set-auth-token')!;
    const cookie = session.headers
      .getSetCookie()
      .map((value) => value.split(';')[0]!)
      .join('; ');
    // Warm on B: the CI token (cached) and the device-login session.
    expect((await generate(pair.b, token)).status).toBe(201);
    expect((await call(pair.b, '/v1/me', { headers: bearer(sessionToken) })).status).toBe(200);

    // Sign-out of another session on A reaches B at once.
    const other = await signIn(pair.a, email, PASSWORD, '192.0.2.51');
    const otherToken = other.headers.get('set-auth-token')!;
    expect((await call(pair.b, '/v1/me', { headers: bearer(otherToken) })).status).toBe(200);
    const out = await call(pair.a, '/api/auth/sign-out', {
      method: 'POST',
      headers: bearer(otherToken, { 'content-type': 'application/json', origin: pair.a.baseUrl }),
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect((await call(pair.b, '/v1/me', { headers: bearer(otherToken) })).status).toBe(401);

    // Delete the account on A, through the settings page as a user does.
    const csrfCookie = `specmint_csrf=${randomBytes(16).toString('hex')}`;
    const page = await call(pair.a, '/settings', { headers: { cookie: `${cookie}; ${csrfCookie}` } });
    expect(page.status).toBe(200);
    const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)?.[1];
    expect(csrf).toBeTruthy();
    const deleted = await call(pair.a, '/settings/delete', {
      method: 'POST',
      headers: {
        cookie: `${cookie}; ${csrfCookie}`,
        origin: pair.a.baseUrl,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf!, confirmEmail: email, password: PASSWORD }).toString(),
    });
    expect(deleted.status).toBe(200);

    const after = await Promise.all([
      generate(pair.b, token),
      generate(pair.b, token),
      call(pair.b, '/v1/me', { headers: bearer(token) }),
      call(pair.b, '/v1/me', { headers: bearer(sessionToken) }),
      generate(pair.b, sessionToken),
      call(pair.b, '/v1/tokens', {
        method: 'POST',
        headers: bearer(token, { 'content-type': 'application/json' }),
        body: JSON.stringify({ name: 'again' }),
      }),
    ]);
    expect(after.map((response) => response.status)).toEqual([401, 401, 401, 401, 401, 401]);
  });

  it('/metrics on the main port needs the token; a token-less instance answers 404', async () => {
    expect((await call(pair.a, '/metrics', { headers: bearer('x'.repeat(20)) })).status).toBe(404);
  });
});

describe.skipIf(!DATABASE_URL)('two instances sharing their limits in Redis', () => {
  let pair: Pair | undefined;
  let reason = '';
  beforeAll(async () => {
    if (!(await redisForTests())) {
      reason = `Redis does not answer at ${REDIS_TEST_URL}`;
      return;
    }
    pair = await startPair({
      REDIS_URL: REDIS_TEST_URL,
      SPECMINT_API_RATE_LIMIT: '15',
      METRICS_TOKEN: 'metrics-token-0123456789abcdef',
      METRICS_PORT: '0',
    });
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  it('password guesses and the per-account request rate are counted once for both', async ({ skip }) => {
    if (!pair) skip(reason);
    expect(pair!.a.log()).toContain('"rateLimits":"redis"');
    const one = await guessesLetThrough(pair!, [pair!.a]);
    const both = await guessesLetThrough(pair!, [pair!.a, pair!.b]);
    expect([one, both]).toEqual([10, 10]);
    const { token } = await newUser(pair!);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        call(index % 2 ? pair!.a : pair!.b, '/v1/me', { headers: bearer(token) }),
      ),
    );
    // 15 per minute for the account; creating its token (POST /v1/tokens) was the first.
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(14);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(26);
  });

  it('METRICS_PORT serves /metrics apart; the main port needs the token', async ({ skip }) => {
    if (!pair) skip(reason);
    const metricsUrl = pair!.a.log().match(/"msg":"metrics listening","url":"([^"]+)"/)?.[1];
    expect(metricsUrl).toBeTruthy();
    const token = bearer('metrics-token-0123456789abcdef');
    const apart = await fetch(metricsUrl!, { headers: token });
    expect(apart.status).toBe(200);
    expect(await apart.text()).toContain('specmint_rate_limit_hits_total{limiter="account-requests"}');
    expect((await call(pair!.a, '/metrics')).status).toBe(401);
    expect((await call(pair!.a, '/metrics', { headers: token })).status).toBe(200);
  });
});

describe.skipIf(DATABASE_URL)('two instances on one PostgreSQL database', () => {
  it.skip('needs DATABASE_URL (a PostgreSQL server; .ci/run sets it)', () => {});
});
