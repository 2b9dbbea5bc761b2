import { expect, it } from 'vitest';
import {
  BASE_URL,
  createTestServer,
  createUserWithToken,
  describeEachDb,
  jsonRequest,
  signUp,
  uniqueEmail,
} from './harness.ts';

function signIn(
  server: ReturnType<Parameters<Parameters<typeof describeEachDb>[1]>[0]['server']>,
  email: string,
  password: string,
  ip?: string,
) {
  return server.request('/api/auth/sign-in/email', {
    ...jsonRequest('POST', null, { email, password }),
    ...(ip ? { ip } : {}),
  });
}

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((value) => value.includes('session_token='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

describeEachDb('accounts (/api/auth)', ({ server, database, kind }) => {
  it('happy: sign-up, sign-in (bearer and cookie), sign-out ends the session', async () => {
    const { email } = await signUp(server(), { password: 'a long password' });
    const response = await signIn(server(), email, 'a long password');
    expect(response.status).toBe(200);
    const bearer = response.headers.get('set-auth-token')!;
    const cookie = sessionCookie(response);

    expect((await server().request('/v1/me', jsonRequest('GET', bearer))).status).toBe(200);
    const viaCookie = await server().request('/v1/me', { headers: { cookie } });
    expect(viaCookie.status).toBe(200);
    expect(await viaCookie.json()).toMatchObject({ user: { email }, auth: 'session' });

    const out = await server().request('/api/auth/sign-out', {
      method: 'POST',
      headers: { cookie, origin: BASE_URL, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(out.status).toBe(200);
    expect((await server().request('/v1/me', { headers: { cookie } })).status).toBe(401);
    expect((await server().request('/v1/me', jsonRequest('GET', bearer))).status).toBe(401);
  });

  it('error: a wrong password or unknown email is refused without saying which', async () => {
    const { email } = await signUp(server());
    const wrong = await signIn(server(), email, 'not the password');
    const unknown = await signIn(server(), uniqueEmail('ghost'), 'whatever123');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.json()).toEqual(await unknown.json());
  });

  it('error: duplicate sign-up and weak passwords are 4xx', async () => {
    const { email } = await signUp(server());
    const again = await server().request(
      '/api/auth/sign-up/email',
      jsonRequest('POST', null, { email, password: 'another password', name: 'x' }),
    );
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    const weak = await server().request(
      '/api/auth/sign-up/email',
      jsonRequest('POST', null, { email: uniqueEmail(), password: 'short', name: 'x' }),
    );
    expect(weak.status).toBe(400);
  });

  it('security: sign-in is rate-limited per address (429 + Retry-After)', async () => {
    const strict = await createTestServer(kind, database(), { signInRateLimit: { window: 60, max: 3 } });
    const ip = kind === 'pglite' ? '198.51.100.1' : '198.51.100.2';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push((await signIn(strict, 'nobody@example.test', 'wrong-password', ip)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    const limited = await signIn(strict, 'nobody@example.test', 'wrong-password', ip);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });

  it('security: cookie-authenticated writes from another origin are refused (CSRF)', async () => {
    const { email } = await signUp(server());
    const cookie = sessionCookie(await signIn(server(), email, 'correct horse battery'));
    const request = (origin?: string) =>
      server().request('/v1/tokens', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', ...(origin ? { origin } : {}) },
        body: JSON.stringify({ name: 'browser' }),
      });
    const evil = await request('https://evil.example');
    expect(evil.status).toBe(403);
    expect(await evil.json()).toMatchObject({ error: { code: 'CSRF_FAILED' } });
    expect((await request()).status).toBe(403);
    expect((await request(BASE_URL)).status).toBe(201);
  });

  it('security: repeated bad credentials from one address get 429 before any lookup', async () => {
    const strict = await createTestServer(kind, database(), { authFailuresPerMinute: 3 });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      const response = await strict.request('/v1/me', {
        ...jsonRequest('GET', `smk_${'x'.repeat(43)}`),
        ip: '192.0.2.50',
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
  });

  it('security: each account is limited on /v1 (429 + Retry-After)', async () => {
    const strict = await createTestServer(kind, database(), { apiRateLimitPerMinute: 3 });
    const { token } = await createUserWithToken(strict, 'enterprise');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      statuses.push((await strict.request('/v1/me', jsonRequest('GET', token))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await strict.request('/v1/me', jsonRequest('GET', token));
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
  });
});
