import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminSetPlan } from '../../server/admin/admin-actions.ts';
import { resolveBillingConfig } from '../../server/billing/billing-config.ts';
import { createAppDeps } from '../../server/create-app-deps.ts';
import { openPglite } from '../../server/db/client.ts';
import { EnvError } from '../../server/env.ts';
import { createSilentLogger } from '../../server/logger.ts';
import { generateSigningKeyPem } from '../../server/secrets.ts';
import { AdminStatsSchema } from '../../shared/contracts.ts';
import { BASE_URL, DB_KINDS, describeEachDb, jsonRequest, signUp } from '../server/harness.ts';
import {
  type BillingWorld,
  checkout,
  createBillingWorld,
  describeBilling,
  newCustomer,
  subscribe,
} from './billing-harness.ts';

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

describeEachDb('billing without Stripe configured', ({ server }) => {
  it('error: checkout, portal and the webhook answer 503 BILLING_NOT_CONFIGURED; the rest runs', async () => {
    const { sessionToken } = await signUp(server());
    for (const [path, body] of [
      ['/v1/billing/checkout', { plan: 'pro' }],
      ['/v1/billing/portal', {}],
    ] as const) {
      const response = await server().request(path, jsonRequest('POST', sessionToken, body));
      expect(response.status).toBe(503);
      const answer = (await response.json()) as ErrorBody;
      expect(answer.error.code).toBe('BILLING_NOT_CONFIGURED');
      expect(answer.error.message).toContain('specmint-server admin set-plan');
    }
    const webhook = await server().request('/webhooks/stripe', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': 't=1,v1=00' },
      body: '{}',
    });
    expect(webhook.status).toBe(503);
    expect((await server().request('/v1/me', jsonRequest('GET', sessionToken))).status).toBe(200);
  });
});

describeBilling('billing endpoints: access and validation', (world) => {
  it('security: CI tokens cannot buy or manage plans; anonymous callers are refused', async () => {
    const customer = await newCustomer(world());
    const byToken = await checkout(world(), customer.ciToken, 'pro');
    expect(byToken.status).toBe(403);
    expect(((await byToken.json()) as ErrorBody).error.code).toBe('FORBIDDEN');
    const portal = await world().server.request(
      '/v1/billing/portal',
      jsonRequest('POST', customer.ciToken, {}),
    );
    expect(portal.status).toBe(403);
    expect((await checkout(world(), '', 'pro')).status).toBe(401);
    expect(world().fake.requests.filter((request) => request.path === '/v1/customers')).toHaveLength(0);
  });

  it('error: an unknown or free plan is a 400 with the allowed values', async () => {
    const customer = await newCustomer(world());
    for (const plan of ['free', 'gold']) {
      const response = await checkout(world(), customer.session, plan);
      expect(response.status).toBe(400);
      expect(((await response.json()) as ErrorBody).error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('error: Stripe down → 503 SERVICE_UNAVAILABLE with Retry-After; nothing half-done', async () => {
    const customer = await newCustomer(world());
    world().fake.failNext({ method: 'POST', path: /^\/v1\/checkout\/sessions$/, status: 500, times: 3 });
    const response = await checkout(world(), customer.session, 'pro');
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(((await response.json()) as ErrorBody).error.code).toBe('SERVICE_UNAVAILABLE');
    // The retry works and reuses the customer made the first time.
    const customers = world().fake.customers.size;
    expect((await checkout(world(), customer.session, 'pro')).status).toBe(200);
    expect(world().fake.customers.size).toBe(customers);
  });
});

describe('billing configuration', () => {
  it('error: a half-configured Stripe names every missing variable; none at all is "off"', () => {
    expect(resolveBillingConfig(undefined)).toBeUndefined();
    expect(resolveBillingConfig({})).toBeUndefined();
    expect(() => resolveBillingConfig({ secretKey: 'sk_test_x', pricePro: 'price_a' })).toThrow(EnvError);
    try {
      resolveBillingConfig({ secretKey: 'sk_test_x', pricePro: 'price_a' });
    } catch (error) {
      expect((error as EnvError).problems.join('\n')).toMatch(
        /STRIPE_WEBHOOK_SECRET[\s\S]*STRIPE_PRICE_ENTERPRISE/,
      );
    }
    const config = resolveBillingConfig({
      secretKey: 'sk_test_x',
      webhookSecret: 'whsec_x',
      pricePro: 'price_a',
      priceEnterprise: 'price_b',
      apiBase: 'http://127.0.0.1:12111',
    });
    expect(config).toMatchObject({
      prices: { pro: 'price_a', enterprise: 'price_b' },
      api: { host: '127.0.0.1', port: 12111, protocol: 'http' },
      graceDays: 7,
    });
  });

  it('error: createAppDeps refuses to start with a half-configured Stripe', async () => {
    const database = await openPglite();
    try {
      await expect(
        createAppDeps({
          database,
          secrets: { authSecret: randomBytes(32).toString('hex'), signingKeys: [generateSigningKeyPem()] },
          baseUrl: BASE_URL,
          logger: createSilentLogger(),
          stripe: { secretKey: 'sk_test_x' },
        }),
      ).rejects.toThrow(EnvError);
    } finally {
      await database.close();
    }
  });
});

const OPERATOR = `ops-${randomBytes(4).toString('hex')}@example.test`;

for (const kind of DB_KINDS) {
  describe(`admin stats [${kind}]`, () => {
    let world: (BillingWorld & { dispose(): Promise<void> }) | undefined;
    beforeAll(async () => {
      world = await createBillingWorld(kind, { adminEmails: [OPERATOR.toUpperCase()] });
    });
    afterAll(async () => {
      await world?.dispose();
    });

    it('happy: subscriptions by plan, MRR, new and churned this month, conversion — for operators only', async () => {
      const w = world!;
      await newCustomer(w); // free
      const subscribed = [];
      for (const plan of ['pro', 'enterprise', 'pro', 'pro'] as const) {
        const customer = await newCustomer(w);
        const result = await subscribe(w, customer, plan);
        expect((await w.deliver(result.subscriptionCreated)).status).toBe(200);
        subscribed.push(result);
      }
      const [, , canceled, failing] = subscribed;
      expect((await w.deliver(w.fake.endSubscription(canceled!.subscription.id))).status).toBe(200);
      const renewal = w.fake.renew(failing!.subscription.id, { paid: false });
      expect((await w.deliver(renewal.invoiceEvent)).status).toBe(200);
      expect((await w.deliver(renewal.updated)).status).toBe(200);
      const manual = await newCustomer(w);
      await adminSetPlan(w.server.deps, { email: manual.email, plan: 'pro' });
      const operator = await signUp(w.server, { email: OPERATOR });

      const response = await w.server.request('/v1/admin/stats', jsonRequest('GET', operator.sessionToken));
      expect(response.status).toBe(200);
      const stats = AdminStatsSchema.parse(await response.json());
      expect(stats).toMatchObject({
        // free: the first customer and the operator; pro: two Stripe, one canceled (paid through its
        // period), one set by the operator; enterprise: one.
        accountsByPlan: { free: 2, pro: 4, enterprise: 1 },
        activeSubscriptions: {
          pro: 2,
          enterprise: 1,
          total: 3,
          trialing: 0,
          pastDue: 1,
          cancelingAtPeriodEnd: 0,
        },
        mrrCents: 2900 + 9900 + 2900,
        newThisMonth: 4,
        churnedThisMonth: 1,
        conversion: { accounts: 7, paying: 3 },
      });
      expect(stats.conversion.rate).toBeCloseTo(3 / 7, 3);

      const outsider = await newCustomer(w);
      for (const token of [outsider.session, manual.ciToken]) {
        const refused = await w.server.request('/v1/admin/stats', jsonRequest('GET', token));
        expect(refused.status).toBe(403);
      }
      const document = (await (await w.server.request('/openapi.json')).json()) as {
        paths: Record<string, unknown>;
      };
      for (const path of [
        '/v1/billing/checkout',
        '/v1/billing/portal',
        '/v1/admin/stats',
        '/webhooks/stripe',
      ]) {
        expect(document.paths[path], path).toBeDefined();
      }
    });
  });
}
