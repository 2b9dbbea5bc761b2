/**
 * What an operator sees: `GET /metrics` (protected by METRICS_TOKEN, 404 without it) with the documented
 * names, and every log line of a request — better-auth's own included — carrying its request id, the
 * access line carrying the client address.
 */
import { expect, it } from 'vitest';
import { createLogger } from '../../server/logger.ts';
import { createMetrics } from '../../server/metrics/metrics.ts';
import {
  createTestServer,
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
  uniqueEmail,
} from './harness.ts';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

describeEachDb('metrics and request logs', ({ kind, database }) => {
  it('security: /metrics is 404 without METRICS_TOKEN, 401 without the right bearer', async () => {
    const closed = await createTestServer(kind, database());
    expect((await closed.request('/metrics', jsonRequest('GET', METRICS_TOKEN))).status).toBe(404);
    const open = await createTestServer(kind, database(), { metricsToken: METRICS_TOKEN });
    expect((await open.request('/metrics')).status).toBe(401);
    const wrong = await open.request('/metrics', jsonRequest('GET', `${METRICS_TOKEN}x`));
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    expect(await wrong.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
  });

  it('happy: the documented metrics, labelled by route pattern, never by raw path', async () => {
    const server = await createTestServer(kind, database(), {
      metricsToken: METRICS_TOKEN,
      metrics: createMetrics({ processMetrics: true }),
      apiRateLimitPerMinute: 3,
    });
    const { token } = await createUserWithToken(server, 'free');
    expect((await postGeneration(server, token, generationBody())).status).toBe(201);
    expect((await postGeneration(server, token, generationBody({ formats: ['k6'] }))).status).toBe(403);
    await server.request('/v1/tokens/0b7a3c1e-0000-4000-8000-000000000001', jsonRequest('DELETE', token));
    expect((await server.request('/v1/me', jsonRequest('GET', token))).status).toBe(429);
    await server.request('/no/such/path/123');
    const response = await server.request('/metrics', jsonRequest('GET', METRICS_TOKEN));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(
      /specmint_http_requests_total\{method="POST",route="\/v1\/generations",status="201"\} 1/,
    );
    expect(text).toMatch(
      /specmint_http_requests_total\{method="DELETE",route="\/v1\/tokens\/:id",status="\d+"\}/,
    );
    expect(text).toMatch(/specmint_http_requests_total\{method="GET",route="unmatched",status="404"\} 1/);
    expect(text).not.toContain('0b7a3c1e');
    expect(text).not.toContain('/no/such/path');
    expect(text).toMatch(
      /specmint_http_request_duration_seconds_bucket\{le="0\.1",method="POST",route="\/v1\/generations"\}/,
    );
    expect(text).toMatch(/specmint_generations_total\{outcome="granted",reason="charged",plan="free"\} 1/);
    expect(text).toMatch(
      /specmint_generations_total\{outcome="refused",reason="feature_not_in_plan",plan="free"\} 1/,
    );
    expect(text).toMatch(/specmint_rate_limit_hits_total\{limiter="account-requests"\} 1/);
    expect(text).toMatch(/specmint_db_query_duration_seconds_count\{operation="transaction"\} [1-9]/);
    expect(text).toContain('specmint_db_pool_max');
    expect(text).toContain('specmint_db_operations_in_flight');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    expect(text).toContain('# TYPE specmint_webhook_events_total counter');
  });

  it('every log line of a request carries its id, better-auth’s own too; the access line the client address', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
    const server = await createTestServer(kind, database(), { logger, clientIp: () => '198.51.100.23' });
    const response = await server.request('/api/auth/sign-in/email', {
      ...jsonRequest('POST', null, { email: uniqueEmail('ghost'), password: 'not the password' }),
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-auth-0001' },
    });
    expect(response.status).toBe(401);
    const mine = lines.filter((line) => line.requestId === 'trace-auth-0001');
    // better-auth logs "User not found" through our logger, inside the request.
    expect(mine.map((line) => line.msg)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^auth: /), 'request']),
    );
    const access = mine.find((line) => line.msg === 'request')!;
    expect(access).toMatchObject({ ip: '198.51.100.23', status: 401, path: '/api/auth/sign-in/email' });
    expect(
      lines.filter((line) => String(line.msg).startsWith('auth: ')).every((line) => line.requestId),
    ).toBe(true);
  });
});
