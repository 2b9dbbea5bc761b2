import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../server/db/client.ts';
import { isDatabaseUnavailable } from '../../server/db/unavailable.ts';
import {
  createTestDatabase,
  createTestServer,
  createUserWithToken,
  generationBody,
  jsonRequest,
  postGeneration,
  type TestServer,
} from './harness.ts';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function expectUnavailable(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('SERVICE_UNAVAILABLE');
  expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|ECONNREFUSED|stack/);
}

describe('database down', () => {
  describe('PostgreSQL unreachable', () => {
    let server: TestServer;
    beforeAll(async () => {
      const handle = openPostgres(`postgres://postgres@127.0.0.1:${await closedPort()}/none`, {
        connectTimeoutSeconds: 1,
      });
      server = await createTestServer('postgres', handle);
    });

    it('/readyz fails with 503 while /healthz stays up', async () => {
      expect((await server.request('/healthz')).status).toBe(200);
      await expectUnavailable(await server.request('/readyz'));
    });

    it('API calls answer 503 with Retry-After, never a stack trace', async () => {
      await expectUnavailable(await postGeneration(server, `smk_${'a'.repeat(43)}`, generationBody()));
      await expectUnavailable(await server.request('/v1/me', jsonRequest('GET', 'some-session-token')));
      await expectUnavailable(
        await server.request(
          '/api/auth/sign-in/email',
          jsonRequest('POST', null, { email: 'a@example.test', password: 'whatever123' }),
        ),
      );
    });
  });

  describe('embedded database closed', () => {
    let server: TestServer;
    let token: string;
    let dispose: () => Promise<void>;
    beforeAll(async () => {
      const database = await createTestDatabase('pglite');
      dispose = database.dispose;
      server = await createTestServer('pglite', database.handle, { ciTokenCacheTtlMs: 0 });
      token = (await createUserWithToken(server, 'free')).token;
      await database.handle.close();
    });
    afterAll(async () => dispose());

    it('answers 503 instead of failing oddly', async () => {
      await expectUnavailable(await server.request('/readyz'));
      await expectUnavailable(await postGeneration(server, token, generationBody()));
    });
  });
});

describe('isDatabaseUnavailable', () => {
  it('detects an unreachable database through wrapped errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('PGlite is closed'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([refused]))).toBe(true);
  });
});
