import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { createUsageTokenSigner } from '../../server/entitlements/usage-token-signer.ts';
import { generateSigningKeyPem } from '../../server/secrets.ts';
import { JwksSchema } from '../../shared/contracts.ts';
import { verifyUsageToken } from '../../shared/usage-token.ts';
import {
  BASE_URL,
  createTestServer,
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
} from './harness.ts';

const oldKey = generateSigningKeyPem();
const newKey = generateSigningKeyPem();

describeEachDb(
  'operations and HTTP hygiene',
  ({ server, database, kind }) => {
    it('happy: /healthz and /readyz', async () => {
      const health = await server().request('/healthz');
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const ready = await server().request('/readyz');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', database: kind });
    });

    it('happy: JWKS publishes every key during rotation; the newest signs, older tokens still verify', async () => {
      const jwks = JwksSchema.parse(await (await server().request('/.well-known/jwks.json')).json());
      expect(jwks.keys).toHaveLength(2);
      const previous = await createUsageTokenSigner([oldKey]);
      const current = await createUsageTokenSigner([newKey]);
      expect(jwks.keys.map((key) => key.kid).sort()).toEqual(
        [previous.currentKid, current.currentKid].sort(),
      );

      const { token } = await createUserWithToken(server(), 'free');
      const body = generationBody();
      const answer = (await (await postGeneration(server(), token, body)).json()) as { usageToken: string };
      const expected = { specHash: body.specHash as string, formats: ['pytest'] };
      expect(await verifyUsageToken(answer.usageToken, { jwks, expected })).toMatchObject({
        ok: true,
        kid: current.currentKid,
      });
      const older = previous.sign(
        { sub: 'u', plan: 'free', gid: 'g', specHash: expected.specHash, formats: ['pytest'], ai: null },
        new Date(),
      );
      expect(await verifyUsageToken(older, { jwks, expected })).toMatchObject({
        ok: true,
        kid: previous.currentKid,
      });
    });

    it('happy: /openapi.json describes every /v1 route the app serves', async () => {
      const document = (await (await server().request('/openapi.json')).json()) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(document.openapi).toBe('3.1.0');
      const served = server()
        .app.routes.filter((route) => route.path.startsWith('/v1/') && route.method !== 'ALL')
        .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
      expect(served.length).toBeGreaterThanOrEqual(7);
      for (const route of served) {
        const [method, path] = route.split(' ') as [string, string];
        expect(document.paths[path]?.[method], `${route} is not in /openapi.json`).toBeDefined();
      }
      const described = Object.entries(document.paths)
        .filter(([path]) => path.startsWith('/v1/'))
        .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
      expect(described.sort()).toEqual([...new Set(served)].sort());
    });

    it('error: unknown routes answer the error envelope with a request id', async () => {
      const response = await server().request('/v1/nope', { headers: { 'x-request-id': 'trace-12345678' } });
      expect(response.status).toBe(401);
      const missing = await server().request('/no/such/route', {
        headers: { 'x-request-id': 'trace-12345678' },
      });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('x-request-id')).toBe('trace-12345678');
      expect(await missing.json()).toEqual({
        error: {
          code: 'NOT_FOUND',
          message: 'No route for GET /no/such/route.',
          requestId: 'trace-12345678',
        },
      });
    });

    it('security: security headers on every answer', async () => {
      const response = await server().request('/healthz');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('x-frame-options')).toBeTruthy();
      expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      // HSTS only over https: over plain http it means nothing, and a local server must not pin it.
      expect(response.headers.get('strict-transport-security')).toBeNull();
      const secure = await server().app.request('https://licence.test/healthz');
      expect(secure.headers.get('strict-transport-security')).toContain('max-age=');
    });

    it('security: CORS only for the server’s own origin', async () => {
      const preflight = (origin: string) =>
        server().request('/v1/me', {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
      expect((await preflight(BASE_URL)).headers.get('access-control-allow-origin')).toBe(BASE_URL);
      expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    });

    it('error: oversized bodies → 413 envelope, never 500', async () => {
      const { token } = await createUserWithToken(server(), 'free');
      const huge = JSON.stringify(generationBody({ specTitle: 'x'.repeat(200_000) }));
      const response = await server().request(
        '/v1/generations',
        jsonRequest('POST', token, huge, { 'idempotency-key': randomUUID() }),
      );
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    });

    it('security: the internal admin API is hidden unless enabled, and needs the secret from loopback', async () => {
      const hidden = await server().request(
        '/internal/admin/plan',
        jsonRequest('POST', 'x', { email: 'a@b.co', plan: 'pro' }),
      );
      expect(hidden.status).toBe(404);
      const withAdmin = await createTestServer(kind, database(), {
        adminSecret: 'local-admin-secret-123',
        signingKeys: [newKey],
      });
      const { email } = await createUserWithToken(withAdmin, 'free');
      const bad = await withAdmin.request(
        '/internal/admin/plan',
        jsonRequest('POST', 'wrong', { email, plan: 'pro' }),
      );
      expect(bad.status).toBe(401);
      const remote = await withAdmin.request('/internal/admin/plan', {
        ...jsonRequest('POST', 'local-admin-secret-123', { email, plan: 'pro' }),
        ip: '203.0.113.1',
      });
      expect(remote.status).toBe(404);
      const ok = await withAdmin.request(
        '/internal/admin/plan',
        jsonRequest('POST', 'local-admin-secret-123', { email, plan: 'pro' }),
      );
      expect(ok.status).toBe(200);
      expect(await ok.json()).toMatchObject({ email, plan: 'pro' });
    });
  },
  { signingKeys: [oldKey, newKey] },
);
