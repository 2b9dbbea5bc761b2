/**
 * Rate limits shared by instances (two apps on one database here; two processes in
 * multi-instance.e2e.test.ts): per address, per presented credential, per account — and a valid
 * credential is never locked out by someone else's bad ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestServer,
  createUserWithToken,
  DB_KINDS,
  jsonRequest,
  signUp,
  type TestDatabase,
  type TestServer,
} from './harness.ts';

function signIn(server: TestServer, email: string, password: string, ip: string) {
  return server.request('/api/auth/sign-in/email', { ...jsonRequest('POST', null, { email, password }), ip });
}

const BAD_CI_TOKEN = `smk_${'A'.repeat(43)}`;

for (const kind of DB_KINDS) {
  describe(`shared rate limits [${kind}]`, () => {
    let database: TestDatabase;
    let a: TestServer;
    let b: TestServer;
    beforeAll(async () => {
      database = await createTestDatabase(kind);
      const options = {
        authFailuresPerMinute: 5,
        authFailuresPerCredentialPerMinute: 4,
        signInRateLimit: { window: 60, max: 6 },
        signInAccountRateLimit: { window: 60, max: 4 },
      };
      a = await createTestServer(kind, database.handle, options);
      b = await createTestServer(kind, database.handle, options);
    });
    afterAll(async () => {
      await database.dispose();
    });

    it('bad tokens from one address get 429, yet a valid token from the same address goes through', async () => {
      const { token } = await createUserWithToken(a, 'free');
      const ip = '198.51.100.1';
      const statuses: number[] = [];
      for (let index = 0; index < 8; index++) {
        const bad = `smk_${String(index).padStart(43, 'x')}`;
        statuses.push(
          (await (index % 2 ? a : b).request('/v1/me', { ...jsonRequest('GET', bad), ip })).status,
        );
      }
      // Five failures per address and minute, counted across both instances.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
      expect((await a.request('/v1/me', { ...jsonRequest('GET', token), ip })).status).toBe(200);
      expect((await b.request('/v1/me', { ...jsonRequest('GET', token), ip })).status).toBe(200);
    });

    it('one bad credential retried from many addresses is throttled by itself', async () => {
      const statuses: number[] = [];
      for (let index = 0; index < 6; index++) {
        const server = index % 2 ? a : b;
        const response = await server.request('/v1/me', {
          ...jsonRequest('GET', BAD_CI_TOKEN),
          ip: `203.0.113.${index}`,
        });
        statuses.push(response.status);
        if (response.status === 429) expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    });

    it('password guesses on one account from many addresses stop at the per-account limit', async () => {
      const { email } = await signUp(a, { password: 'the right password', ip: '192.0.2.200' });
      // The owner signing in does not use up the allowance.
      for (let index = 0; index < 6; index++) {
        const ok = await signIn(index % 2 ? a : b, email, 'the right password', `192.0.2.${100 + index}`);
        expect(ok.status).toBe(200);
      }
      const guesses = await Promise.all(
        Array.from({ length: 10 }, (_, index) =>
          signIn(index % 2 ? a : b, email.toUpperCase(), `guess-${index}-pass`, `192.0.2.${index + 1}`),
        ),
      );
      const statuses = guesses.map((response) => response.status).sort();
      expect(statuses.filter((status) => status === 401)).toHaveLength(4);
      expect(statuses.filter((status) => status === 429)).toHaveLength(6);
      const limited = guesses.find((response) => response.status === 429)!;
      expect(await limited.json()).toMatchObject({
        error: { code: 'RATE_LIMITED', message: expect.stringContaining('for this account') },
      });
      // Locked for the window, even with the right password: that is what stops a guesser.
      expect((await signIn(a, email, 'the right password', '192.0.2.99')).status).toBe(429);
    });

    it('better-auth’s per-address limit is shared by both instances', async () => {
      const ip = '198.51.100.77';
      const statuses: number[] = [];
      for (let index = 0; index < 9; index++) {
        const email = `nobody-${index}@example.test`;
        statuses.push((await signIn(index % 2 ? a : b, email, 'not a password', ip)).status);
      }
      expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429]);
    });
  });
}
