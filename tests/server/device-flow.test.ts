import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { deviceCodes } from '../../server/db/schema/device-codes.ts';
import {
  CLI_CLIENT_ID,
  DeviceCodeResponseSchema,
  DeviceTokenErrorSchema,
  DeviceTokenResponseSchema,
} from '../../shared/contracts.ts';
import { createTestServer, describeEachDb, jsonRequest, signUp, type TestServer } from './harness.ts';

const GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const POLL_MS = 1100;

async function requestCode(server: TestServer) {
  const response = await server.request(
    '/api/auth/device/code',
    jsonRequest('POST', null, { client_id: CLI_CLIENT_ID }),
  );
  expect(response.status).toBe(200);
  return DeviceCodeResponseSchema.parse(await response.json());
}

function poll(server: TestServer, deviceCode: string, clientId = CLI_CLIENT_ID) {
  return server.request(
    '/api/auth/device/token',
    jsonRequest('POST', null, { grant_type: GRANT, device_code: deviceCode, client_id: clientId }),
  );
}

async function pollError(server: TestServer, deviceCode: string): Promise<string> {
  const response = await poll(server, deviceCode);
  expect(response.status).toBe(400);
  return DeviceTokenErrorSchema.parse(await response.json()).error;
}

function claim(server: TestServer, userCode: string, sessionToken: string) {
  return server.request(
    `/api/auth/device?user_code=${encodeURIComponent(userCode)}`,
    jsonRequest('GET', sessionToken),
  );
}

function approve(server: TestServer, userCode: string, sessionToken: string) {
  return server.request('/api/auth/device/approve', jsonRequest('POST', sessionToken, { userCode }));
}

describeEachDb(
  'device authorization (RFC 8628)',
  ({ server, database, kind }) => {
    it('happy: code → pending → sign-up → claim → approve → token → /v1/me, redeemed once', async () => {
      const code = await requestCode(server());
      expect(code.expires_in).toBeLessThanOrEqual(900);
      expect(code.interval).toBe(1);
      expect(code.verification_uri).toBe('http://licence.test/device');
      expect(code.verification_uri_complete).toContain(code.user_code);

      expect(await pollError(server(), code.device_code)).toBe('authorization_pending');
      // Polling faster than the interval is told to slow down.
      expect(await pollError(server(), code.device_code)).toBe('slow_down');

      const owner = await signUp(server());
      const claimed = await claim(server(), code.user_code, owner.sessionToken);
      expect(claimed.status).toBe(200);
      expect(await claimed.json()).toMatchObject({ status: 'pending', client_id: CLI_CLIENT_ID });
      expect((await approve(server(), code.user_code, owner.sessionToken)).status).toBe(200);

      await sleep(POLL_MS);
      const granted = await poll(server(), code.device_code);
      expect(granted.status).toBe(200);
      const token = DeviceTokenResponseSchema.parse(await granted.json());
      expect(token.token_type).toBe('Bearer');

      const me = await server().request('/v1/me', jsonRequest('GET', token.access_token));
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ user: { email: owner.email }, plan: 'free', auth: 'session' });

      await sleep(POLL_MS);
      expect(await pollError(server(), code.device_code)).toBe('invalid_grant');
    });

    it('security: a second user cannot claim or approve someone else’s code', async () => {
      const code = await requestCode(server());
      const owner = await signUp(server());
      const intruder = await signUp(server());
      expect((await claim(server(), code.user_code, owner.sessionToken)).status).toBe(200);
      const peek = await claim(server(), code.user_code, intruder.sessionToken);
      expect(peek.status).toBe(200);
      expect(await peek.json()).not.toHaveProperty('client_id');
      const stolen = await approve(server(), code.user_code, intruder.sessionToken);
      expect(stolen.status).toBe(403);
      const denied = await server().request(
        '/api/auth/device/deny',
        jsonRequest('POST', intruder.sessionToken, { userCode: code.user_code }),
      );
      expect(denied.status).toBe(403);
      await sleep(POLL_MS);
      expect(await pollError(server(), code.device_code)).toBe('authorization_pending');
    });

    it('security: approving needs a signed-in session and a claimed code', async () => {
      const code = await requestCode(server());
      expect((await approve(server(), code.user_code, 'not-a-session')).status).toBe(401);
      const user = await signUp(server());
      // Not claimed through the verification page yet.
      expect((await approve(server(), code.user_code, user.sessionToken)).status).toBe(400);
    });

    it('error: a denied code answers access_denied', async () => {
      const code = await requestCode(server());
      const user = await signUp(server());
      await claim(server(), code.user_code, user.sessionToken);
      const denied = await server().request(
        '/api/auth/device/deny',
        jsonRequest('POST', user.sessionToken, { userCode: code.user_code }),
      );
      expect(denied.status).toBe(200);
      expect(await pollError(server(), code.device_code)).toBe('access_denied');
    });

    it('error: an expired code answers expired_token', async () => {
      const code = await requestCode(server());
      await database()
        .db.update(deviceCodes)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(deviceCodes.deviceCode, code.device_code));
      expect(await pollError(server(), code.device_code)).toBe('expired_token');
      const user = await signUp(server());
      expect((await claim(server(), code.user_code, user.sessionToken)).status).toBe(400);
    });

    it('error: unknown client and unknown device codes are refused', async () => {
      const wrongClient = await server().request(
        '/api/auth/device/code',
        jsonRequest('POST', null, { client_id: 'someone-else' }),
      );
      expect(wrongClient.status).toBe(400);
      expect(await pollError(server(), 'no-such-device-code')).toBe('invalid_grant');
    });

    it('security: user-code guessing is rate-limited per address (429 + Retry-After)', async () => {
      const strict = await createTestServer(kind, database(), { userCodeRateLimit: { window: 60, max: 3 } });
      // better-auth's memory rate-limit store is per process: each database run uses its own address.
      const ip = kind === 'pglite' ? '203.0.113.7' : '203.0.113.9';
      const guess = (code: string) =>
        strict.request(`/api/auth/device?user_code=${code}`, { method: 'GET', ip });
      const statuses: number[] = [];
      for (const code of ['AAAA1111', 'AAAA2222', 'AAAA3333', 'AAAA4444', 'AAAA5555']) {
        statuses.push((await guess(code)).status);
      }
      expect(statuses.slice(0, 3)).toEqual([400, 400, 400]);
      const limited = await guess('AAAA6666');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
      // Another address is not affected.
      const other = await strict.request('/api/auth/device?user_code=AAAA7777', {
        method: 'GET',
        ip: '203.0.113.8',
      });
      expect(other.status).toBe(400);
    });
  },
  { devicePollInterval: '1s' },
);
