/**
 * The holes of issue #17, each refused: an open redirect after normalising the next path, malformed text
 * (a lone surrogate, %00) that used to answer 500, Stripe signatures from the future, unread oversized
 * bodies, HSTS over plain http, and instances that would make up their own secrets on a shared database.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../server/env.ts';
import { createSilentLogger } from '../../server/logger.ts';
import { resolveSecrets } from '../../server/secrets.ts';
import {
  BASE_URL,
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
  signUp,
} from './harness.ts';

const WEBHOOK_SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const signer = new Stripe('sk_test_signer_only');

function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((value) => value.includes('session_token='));
  if (!cookie) throw new Error('no session cookie');
  return cookie.split(';')[0]!;
}

describeEachDb(
  'holes of issue #17',
  ({ server, database }) => {
    const signedInCookie = async () => {
      const { email } = await signUp(server(), { password: 'correct horse battery' });
      const signedIn = await server().request('/api/auth/sign-in/email', {
        ...jsonRequest('POST', null, { email, password: 'correct horse battery' }),
        headers: { 'content-type': 'application/json', origin: BASE_URL },
      });
      return sessionCookie(signedIn);
    };

    it('security: ?next is checked after normalising, on /sign-in and /sign-up alike', async () => {
      const cookie = await signedInCookie();
      const tricks = ['/.//evil.test', '/a/..//evil.test', '/%2e//evil.test', '/%2E%2e//evil.test/x'];
      for (const page of ['/sign-in', '/sign-up']) {
        for (const next of tricks) {
          const response = await server().request(`${page}?next=${encodeURIComponent(next)}`, {
            headers: { cookie },
          });
          expect(response.status, `${page}?next=${next}`).toBe(303);
          expect(response.headers.get('location'), `${page}?next=${next}`).toBe('/dashboard');
        }
      }
      const fine = await server().request(`/sign-in?next=${encodeURIComponent('/settings?tab=tokens')}`, {
        headers: { cookie },
      });
      expect(fine.headers.get('location')).toBe('/settings?tab=tokens');
    });

    it('error: a lone surrogate in specTitle or cliVersion is 400, never 500', async () => {
      const { token } = await createUserWithToken(server(), 'free');
      for (const field of ['specTitle', 'cliVersion']) {
        const body = JSON.stringify({
          specHash: 'a'.repeat(64),
          specTitle: 'Petstore',
          operationCount: 1,
          formats: ['pytest'],
          ai: null,
          cliVersion: '0.1.0',
        }).replace(`"${field}":"`, `"${field}":"a\\ud800b`);
        const response = await server().request(
          '/v1/generations',
          jsonRequest('POST', token, body, {
            'idempotency-key': `surrogate-${field}-${randomBytes(4).toString('hex')}`,
          }),
        );
        expect(response.status, field).toBe(400);
        expect(await response.json()).toMatchObject({
          error: { code: 'VALIDATION_FAILED', message: expect.stringContaining(field) },
        });
      }
    });

    it('error: %00 in a query string is 400 on the API and on pages, never 500', async () => {
      const { token } = await createUserWithToken(server(), 'free');
      const api = await server().request('/v1/generations?q=%00', jsonRequest('GET', token));
      expect(api.status).toBe(400);
      expect(await api.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
      const page = await server().request('/dashboard?q=a%00b', {
        headers: { cookie: await signedInCookie() },
      });
      expect(page.status).toBe(400);
      // Other odd text in a search is fine.
      expect((await server().request('/v1/generations?q=%25%5C_', jsonRequest('GET', token))).status).toBe(
        200,
      );
    });

    it('security: a webhook signed in the future (beyond Stripe’s 300 s tolerance) is refused', async () => {
      const event = {
        id: `evt_${randomBytes(8).toString('hex')}`,
        object: 'event',
        type: 'customer.created',
        created: Math.floor(Date.now() / 1000),
        data: { object: { id: 'cus_x', object: 'customer' } },
      };
      const payload = JSON.stringify(event);
      const deliver = (offsetSeconds: number) =>
        server().request('/webhooks/stripe', {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'stripe-signature': signer.webhooks.generateTestHeaderString({
              payload,
              secret: WEBHOOK_SECRET,
              timestamp: Math.floor(Date.now() / 1000) + offsetSeconds,
            }),
          },
          body: payload,
        });
      const future = await deliver(600);
      expect(future.status).toBe(400);
      expect(await future.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
      expect((await deliver(-600)).status).toBe(400);
      const now = await deliver(10);
      expect(now.status).toBe(200);
      expect(await now.json()).toMatchObject({ received: true, outcome: 'not-handled' });
    });

    it('security: a 10 MB body is 413 on every route, also where the route ignores its body', async () => {
      const { token } = await createUserWithToken(server(), 'free');
      const big = 'x'.repeat(10 * 1024 * 1024);
      for (const path of ['/v1/billing/portal', '/v1/generations', '/api/auth/sign-out', '/healthz']) {
        const response = await server().request(path, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'content-length': String(big.length),
          },
          body: big,
        });
        expect(response.status, path).toBe(413);
        expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      }
    });

    it('error: a cached token whose account was deleted elsewhere (no notification) gets 401, never 500', async () => {
      const { token, userId } = await createUserWithToken(server(), 'free');
      expect((await server().request('/v1/me', jsonRequest('GET', token))).status).toBe(200); // cached
      // Deleted by hand, as if by an instance whose notification never arrived.
      await database().query('delete from users where id = $1', [userId]);
      const generated = await postGeneration(server(), token, generationBody());
      expect(generated.status).toBe(401);
      expect(await generated.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
      // The failure dropped the cached principal: the next request is refused at authentication.
      expect((await server().request('/v1/me', jsonRequest('GET', token))).status).toBe(401);
    });

    it('security: HSTS only on https answers', async () => {
      const plain = await server().request('/v1/me');
      expect(plain.headers.get('strict-transport-security')).toBeNull();
      const secure = await server().app.request('https://licence.test/v1/me');
      expect(secure.status).toBe(401);
      expect(secure.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    });
  },
  {
    stripe: {
      secretKey: 'sk_test_holes',
      webhookSecret: WEBHOOK_SECRET,
      pricePro: 'price_pro',
      priceEnterprise: 'price_enterprise',
      // Nothing listens here: these tests never reach Stripe's API.
      apiBase: 'http://127.0.0.1:9',
    },
  },
);

describe('secrets on a shared database', () => {
  it('with DATABASE_URL a serving instance never makes up its own secrets', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'specmint-secrets-shared-'));
    try {
      const env = parseEnv({ SPECMINT_DATA_DIR: dataDir, DATABASE_URL: 'postgres://db.internal/specmint' });
      let problems: string[] = [];
      try {
        resolveSecrets(env, createSilentLogger());
      } catch (error) {
        expect(error).toBeInstanceOf(EnvError);
        problems = (error as EnvError).problems;
      }
      expect(problems).toEqual([
        expect.stringMatching(/^BETTER_AUTH_SECRET is required when DATABASE_URL is set .*openssl rand/),
        expect.stringMatching(/^SPECMINT_SIGNING_KEY is required when DATABASE_URL is set .*openssl genpkey/),
      ]);
      // A one-off admin command may run with throw-away secrets, and writes none.
      const command = resolveSecrets(env, createSilentLogger(), { command: true });
      expect(command.signingKeys).toHaveLength(1);
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
