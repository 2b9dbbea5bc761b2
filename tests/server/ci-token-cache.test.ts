/**
 * The CI-token principal cache (server/tokens/ci-token-authenticator.ts) on the hot path of
 * `POST /v1/generations`: invalidated at once by changes made through this process, bounded by its TTL
 * for changes made elsewhere, and carrying the plan's lapse instant so no per-request read is needed.
 */
import { eq } from 'drizzle-orm';
import { expect, it, vi } from 'vitest';
import { adminSetPlan } from '../../server/admin/admin-actions.ts';
import { apiTokens } from '../../server/db/schema/api-tokens.ts';
import { subscriptions } from '../../server/db/schema/subscriptions.ts';
import {
  createTestServer,
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
} from './harness.ts';

const HOUR_MS = 3_600_000;

describeEachDb('CI-token principal cache', ({ kind, server, database }) => {
  it('a plan change made here applies to a cached token at once', async () => {
    const { token, email } = await createUserWithToken(server(), 'free');
    const me = async () =>
      ((await (await server().request('/v1/me', jsonRequest('GET', token))).json()) as { plan: string }).plan;
    expect(await me()).toBe('free'); // cached now
    await adminSetPlan(server().deps, { email, plan: 'pro' });
    expect(await me()).toBe('pro');
  });

  it('a revocation made elsewhere (no invalidation reaches this process) stops the token within the TTL', async () => {
    const short = await createTestServer(kind, database(), { ciTokenCacheTtlMs: 300 });
    const { token, userId } = await createUserWithToken(short, 'free');
    // The cache keeps time by the app's clock: frozen here, moved on by hand, so a slow machine changes nothing.
    const start = Date.now();
    short.setNow(new Date(start));
    expect((await short.request('/v1/me', jsonRequest('GET', token))).status).toBe(200);
    // Another instance revokes it: the row is gone, this process is not told.
    await database().db.delete(apiTokens).where(eq(apiTokens.userId, userId));
    short.setNow(new Date(start + 299));
    expect((await short.request('/v1/me', jsonRequest('GET', token))).status).toBe(200);
    short.setNow(new Date(start + 301));
    expect((await short.request('/v1/me', jsonRequest('GET', token))).status).toBe(401);
  });

  it('a cached paid principal lapses to Free exactly at plan_lapses_at, with the clock alone', async () => {
    const { token, userId } = await createUserWithToken(server(), 'pro');
    const now = Date.now();
    // What the billing webhook does: store the lapse, then tell the cache.
    await database()
      .db.update(subscriptions)
      .set({ planLapsesAt: new Date(now + HOUR_MS) })
      .where(eq(subscriptions.userId, userId));
    server().deps.ciTokens.forgetUser(userId);
    try {
      server().setNow(new Date(now + HOUR_MS - 1000));
      const before = await postGeneration(server(), token, generationBody());
      expect(((await before.json()) as { usage: { plan: string } }).usage.plan).toBe('pro');
      server().setNow(new Date(now + HOUR_MS));
      const after = await postGeneration(server(), token, generationBody());
      expect(((await after.json()) as { usage: { plan: string; limit: number } }).usage).toMatchObject({
        plan: 'free',
        limit: 5,
      });
    } finally {
      server().setNow(null);
    }
  });

  it('the CI-token path never asks better-auth for a session', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    const getSession = vi.spyOn(server().deps.auth.api, 'getSession');
    try {
      expect((await postGeneration(server(), token, generationBody())).status).toBe(201);
      expect((await server().request('/v1/me', jsonRequest('GET', token))).status).toBe(200);
      expect(getSession).not.toHaveBeenCalled();
    } finally {
      getSession.mockRestore();
    }
  });
});
