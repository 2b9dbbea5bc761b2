/**
 * Error reports (SENTRY_DSN) with the real `@sentry/node` SDK, received by a local endpoint that speaks
 * Sentry's envelope protocol: an unexpected error is reported with its request id and route, and no
 * token, password, cookie or e-mail address leaves the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../server/logger.ts';
import { type ErrorReporter, startErrorReports } from '../../server/observability/error-reports.ts';
import { scrubText } from '../../server/observability/scrub.ts';
import {
  createTestDatabase,
  createTestServer,
  createUserWithToken,
  generationBody,
  postGeneration,
  type TestDatabase,
} from './harness.ts';
import { type SentryEndpoint, startSentryEndpoint } from './sentry-envelope-server.ts';

describe('error reports (Sentry envelope protocol)', () => {
  let endpoint: SentryEndpoint;
  let reporter: ErrorReporter;
  let database: TestDatabase;
  beforeAll(async () => {
    endpoint = await startSentryEndpoint();
    reporter = await startErrorReports({
      dsn: endpoint.dsn(42),
      environment: 'test',
      release: 'specmint-server@test',
      logger: createSilentLogger(),
    });
    database = await createTestDatabase('pglite');
  });
  afterAll(async () => {
    await database?.dispose();
    await endpoint?.close();
  });

  it('scrubs e-mail addresses, tokens and inline secrets from text', () => {
    expect(
      scrubText('user a.b+c@example.test used smk_abcdefghijkl and Bearer eyJhbGc.x.y with password=hunter2'),
    ).toBe('user [email] used smk_[redacted] and Bearer [redacted] with password=[redacted]');
  });

  it('an unexpected error is reported with its request id, and without secrets', async () => {
    const server = await createTestServer('pglite', database.handle, { errorReporter: reporter });
    const { token, email } = await createUserWithToken(server, 'free');
    // A fault in the ledger whose message quotes what must never be sent.
    server.deps.generations = {
      ...server.deps.generations,
      issue: async () => {
        throw new Error(`ledger exploded for ${email} holding ${token}, password=hunter2`);
      },
    };
    const response = await postGeneration(server, token, generationBody(), 'idem-key-reported-1');
    expect(response.status).toBe(500);
    const { error } = (await response.json()) as { error: { requestId: string } };
    expect(await reporter.flush(5000)).toBe(true);

    const envelope = await endpoint.waitFor(
      'event',
      (event) => (event.tags as Record<string, string> | undefined)?.request_id === error.requestId,
    );
    expect(envelope.path).toMatch(/^\/api\/42\/envelope\//);
    const event = envelope.items.find((item) => item.header.type === 'event')!.payload as {
      tags: Record<string, string>;
      exception: { values: { type: string; value: string }[] };
      environment: string;
      release: string;
    };
    expect(event.tags).toMatchObject({ request_id: error.requestId, route: '/v1/generations' });
    expect(event.environment).toBe('test');
    expect(event.release).toBe('specmint-server@test');
    expect(event.exception.values.at(-1)).toMatchObject({
      type: 'Error',
      value: 'ledger exploded for [email] holding smk_[redacted], password=[redacted]',
    });
    for (const secret of [email, token, 'hunter2', token.slice(4)])
      expect(envelope.raw).not.toContain(secret);
  });

  it('known failures (4xx, 503) are not reported', async () => {
    const before = endpoint.envelopes.length;
    const server = await createTestServer('pglite', database.handle, { errorReporter: reporter });
    const response = await server.request('/v1/me', { headers: { authorization: 'Bearer nope' } });
    expect(response.status).toBe(401);
    await reporter.flush(2000);
    expect(endpoint.envelopes.length).toBe(before);
  });
});
