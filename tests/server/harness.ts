/**
 * Shared harness of the licence-server tests: every suite runs on embedded PGlite and, when
 * DATABASE_URL is set, on real PostgreSQL too (a fresh database per suite, dropped afterwards).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createEmailVerificationToken } from 'better-auth/api';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { adminCreateToken, adminCreateUser } from '../../server/admin/admin-actions.ts';
import { createApp } from '../../server/app.ts';
import type { AppDeps } from '../../server/app-deps.ts';
import { type CreateAppDepsOptions, createAppDeps } from '../../server/create-app-deps.ts';
import { type DatabaseHandle, openPglite, openPostgres } from '../../server/db/client.ts';
import { runMigrations } from '../../server/db/migrate.ts';
import type { App } from '../../server/http/principal.ts';
import { createSilentLogger } from '../../server/logger.ts';
import { generateSigningKeyPem } from '../../server/secrets.ts';
import type { PlanId } from '../../shared/plans.ts';

/** Database kinds the suites run on. */
export type DbKind = 'pglite' | 'postgres';

/** Kinds available here: PGlite always, PostgreSQL when DATABASE_URL is set. */
export const DB_KINDS: DbKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/** The public URL tests pretend the server has. */
export const BASE_URL = 'http://licence.test';
/** Header tests use to choose the client IP of a request. */
export const TEST_IP_HEADER = 'x-test-client-ip';

/** A disposable database. */
export interface TestDatabase {
  handle: DatabaseHandle;
  /** Drops it (PostgreSQL) / closes it (PGlite). */
  dispose(): Promise<void>;
}

/** A fresh, migrated database of `kind`. */
export async function createTestDatabase(kind: DbKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const handle = await openPglite();
    await runMigrations(handle);
    return { handle, dispose: () => handle.close() };
  }
  const adminUrl = process.env.DATABASE_URL!;
  const name = `specmint_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = openPostgres(url.toString(), { max: 20 });
  await runMigrations(handle);
  return {
    handle,
    dispose: async () => {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A running app on a test database, with a controllable clock. */
export interface TestServer {
  kind: DbKind;
  app: App;
  deps: AppDeps;
  /** Sets the server clock (null = real time). */
  setNow(date: Date | null): void;
  /** Sends a request to the app. */
  request(path: string, init?: RequestInit & { ip?: string }): Promise<Response>;
}

/** Options of {@link createTestServer}. */
export type TestServerOptions = Partial<Omit<CreateAppDepsOptions, 'database' | 'secrets'>> & {
  signingKeys?: string[];
};

let serverCount = 0;

/** Builds the app on `handle` with generous auth rate limits (tests that check limits lower them). */
export async function createTestServer(
  kind: DbKind,
  handle: DatabaseHandle,
  options: TestServerOptions = {},
): Promise<TestServer> {
  let now: Date | null = null;
  // better-auth keeps its in-memory rate-limit counters in one module-level map shared by every app in the
  // process, so each test server gets its own client address: tests must not drain each other's limits.
  serverCount += 1;
  const defaultIp = `127.${(serverCount >> 8) & 255}.${serverCount & 255}.1`;
  const deps = await createAppDeps({
    database: handle,
    secrets: {
      authSecret: randomBytes(32).toString('base64url'),
      signingKeys: options.signingKeys ?? [generateSigningKeyPem()],
    },
    baseUrl: BASE_URL,
    logger: createSilentLogger(),
    clock: () => now ?? new Date(),
    clientIp: (c) => c.req.header(TEST_IP_HEADER) ?? defaultIp,
    signInRateLimit: { window: 60, max: 1000 },
    userCodeRateLimit: { window: 60, max: 1000 },
    apiRateLimitPerMinute: 100_000,
    authFailuresPerMinute: 1000,
    ...options,
  });
  const app = createApp(deps);
  return {
    kind,
    app,
    deps,
    setNow: (date) => {
      now = date;
    },
    request: (path, init = {}) => {
      const { ip, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (ip) headers.set(TEST_IP_HEADER, ip);
      return Promise.resolve(app.request(`${BASE_URL}${path}`, { ...rest, headers }));
    },
  };
}

/** Context handed to suites by {@link describeEachDb}. */
export interface DbSuite {
  kind: DbKind;
  /** The suite's server (available inside tests and hooks). */
  server(): TestServer;
  /** The suite's database. */
  database(): DatabaseHandle;
}

/**
 * Runs `body` once per available database kind, each on its own fresh database and server.
 * The shared test suite every storage backend must pass (Hono's `runTest` pattern).
 */
export function describeEachDb(
  name: string,
  body: (suite: DbSuite) => void,
  options: TestServerOptions = {},
) {
  for (const kind of DB_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let database: TestDatabase | undefined;
      let server: TestServer | undefined;
      beforeAll(async () => {
        database = await createTestDatabase(kind);
        server = await createTestServer(kind, database.handle, options);
      });
      afterAll(async () => {
        await database?.dispose();
      });
      body({
        kind,
        server: () => server!,
        database: () => database!.handle,
      });
    });
  }
}

/** A unique email. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomUUID().slice(0, 8)}@example.test`;
}

/** Creates a user on `plan` and a CI token for them (through the admin actions). */
export async function createUserWithToken(
  server: TestServer,
  plan: PlanId = 'free',
): Promise<{ email: string; userId: string; token: string }> {
  const email = uniqueEmail(plan);
  const user = await adminCreateUser(server.deps, { email, password: 'correct horse battery', plan });
  const created = await adminCreateToken(server.deps, { email, name: 'ci' });
  return { email, userId: user.userId, token: created.token };
}

/**
 * Verifies `email` the way its verification link does: `GET /api/auth/verify-email` with a token signed by
 * the server's secret (the mail itself is exercised by tests/web/email-flows.test.ts over real SMTP).
 */
export async function verifyEmail(server: TestServer, email: string, userId: string): Promise<void> {
  const secret = server.deps.auth.options.secret ?? '';
  const token = await createEmailVerificationToken(secret, email, undefined, 3600, { userId });
  const response = await server.request(`/api/auth/verify-email?token=${encodeURIComponent(token)}`);
  if (response.status !== 200)
    throw new Error(`verify-email failed: ${response.status} ${await response.text()}`);
}

/**
 * Signs up over HTTP and returns the session (bearer) token. The address is then verified, as a user
 * following the link would (the Free plan generates only for a verified address); `verified: false`
 * leaves it unverified.
 */
export async function signUp(
  server: TestServer,
  options: { email?: string; password?: string; ip?: string; verified?: boolean } = {},
): Promise<{ email: string; sessionToken: string; userId: string }> {
  const email = options.email ?? uniqueEmail();
  const response = await server.request('/api/auth/sign-up/email', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: BASE_URL },
    body: JSON.stringify({ email, password: options.password ?? 'correct horse battery', name: 'Test User' }),
    ...(options.ip ? { ip: options.ip } : {}),
  });
  if (response.status !== 200) throw new Error(`sign-up failed: ${response.status} ${await response.text()}`);
  const sessionToken = response.headers.get('set-auth-token');
  const body = (await response.json()) as { user: { id: string } };
  if (!sessionToken) throw new Error('sign-up returned no set-auth-token');
  if (options.verified !== false) await verifyEmail(server, email, body.user.id);
  return { email, sessionToken, userId: body.user.id };
}

/** Builds a JSON request with a bearer token. */
export function jsonRequest(
  method: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  };
}

/** A valid generation request body for `specHash` (defaults to a random hash). */
export function generationBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    specHash: randomBytes(32).toString('hex'),
    specTitle: 'Petstore',
    operationCount: 12,
    formats: ['pytest'],
    ai: null,
    cliVersion: '0.1.0',
    ...overrides,
  };
}

/** POST /v1/generations with a fresh (or given) idempotency key. */
export function postGeneration(
  server: TestServer,
  token: string,
  body: Record<string, unknown>,
  idempotencyKey: string = randomUUID(),
): Promise<Response> {
  return server.request(
    '/v1/generations',
    jsonRequest('POST', token, body, { 'idempotency-key': idempotencyKey }),
  );
}
