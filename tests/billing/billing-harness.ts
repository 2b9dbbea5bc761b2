/**
 * Billing test harness: the licence server (tests/server/harness.ts, PGlite and PostgreSQL when
 * DATABASE_URL is set) wired to the REAL stripe SDK pointed at the local fake Stripe, one clock for both,
 * and webhook delivery signed with `stripe.webhooks.generateTestHeaderString`.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DatabaseHandle } from '../../server/db/client.ts';
import { queryRows } from '../../server/db/rows.ts';
import {
  createTestDatabase,
  createTestServer,
  DB_KINDS,
  type DbKind,
  generationBody,
  jsonRequest,
  postGeneration,
  signUp,
  type TestDatabase,
  type TestServer,
  type TestServerOptions,
} from '../server/harness.ts';
import { type FakeStripe, startFakeStripe } from './fake-stripe/fake-stripe.ts';
import type { StripeObject } from './fake-stripe/objects.ts';

/** Signs test webhooks (no network: only `webhooks.generateTestHeaderString` is used). */
const signer = new Stripe('sk_test_signer_only');

/** A billing suite's world. */
export interface BillingWorld {
  kind: DbKind;
  fake: FakeStripe;
  server: TestServer;
  database: DatabaseHandle;
  /** Sets the clock of the server and of the fake Stripe. */
  setNow(date: Date): void;
  now(): Date;
  /** POSTs `event` to /webhooks/stripe, signed with the webhook secret at the fake's time. */
  deliver(
    event: StripeObject,
    options?: { secret?: string; timestamp?: number; body?: string },
  ): Promise<Response>;
}

/** Starts the fake Stripe, a fresh database and the app configured for billing. */
export async function createBillingWorld(
  kind: DbKind,
  options: TestServerOptions = {},
): Promise<BillingWorld & { dispose(): Promise<void> }> {
  const fake = await startFakeStripe();
  const database: TestDatabase = await createTestDatabase(kind);
  const server = await createTestServer(kind, database.handle, {
    stripe: {
      secretKey: fake.secretKey,
      webhookSecret: fake.webhookSecret,
      pricePro: fake.prices.pro.id,
      priceEnterprise: fake.prices.enterprise.id,
      apiBase: fake.url,
    },
    ...options,
  });
  let now = new Date(fake.now * 1000);
  const world: BillingWorld = {
    kind,
    fake,
    server,
    database: database.handle,
    setNow(date) {
      now = date;
      server.setNow(date);
      fake.setNow(date);
    },
    now: () => now,
    deliver(event, deliverOptions = {}) {
      const payload = JSON.stringify(event, null, 2);
      const header = signer.webhooks.generateTestHeaderString({
        payload,
        secret: deliverOptions.secret ?? fake.webhookSecret,
        timestamp: deliverOptions.timestamp ?? fake.now,
      });
      return server.request('/webhooks/stripe', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        body: deliverOptions.body ?? payload,
      });
    },
  };
  world.setNow(now);
  return {
    ...world,
    dispose: async () => {
      await fake.close();
      await database.dispose();
    },
  };
}

/** Runs `body` once per database kind with its own fake Stripe and server. */
export function describeBilling(name: string, body: (world: () => BillingWorld) => void): void {
  for (const kind of DB_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let world: (BillingWorld & { dispose(): Promise<void> }) | undefined;
      beforeAll(async () => {
        world = await createBillingWorld(kind);
      });
      afterAll(async () => {
        await world?.dispose();
      });
      body(() => world!);
    });
  }
}

/** A signed-up user (browser/device session) with a CI token. */
export interface Customer {
  userId: string;
  email: string;
  session: string;
  ciToken: string;
}

/** Signs up and creates a CI token through the API. */
export async function newCustomer(world: BillingWorld): Promise<Customer> {
  const { sessionToken, userId, email } = await signUp(world.server);
  const created = await world.server.request('/v1/tokens', jsonRequest('POST', sessionToken, { name: 'ci' }));
  if (created.status !== 201)
    throw new Error(`token creation failed: ${created.status} ${await created.text()}`);
  const { token } = (await created.json()) as { token: string };
  return { userId, email, session: sessionToken, ciToken: token };
}

/** POST /v1/billing/checkout. */
export function checkout(world: BillingWorld, token: string, plan: string): Promise<Response> {
  return world.server.request('/v1/billing/checkout', jsonRequest('POST', token, { plan }));
}

/** Checkout for `plan`, the customer pays, and `checkout.session.completed` is delivered. */
export async function subscribe(world: BillingWorld, customer: Customer, plan: 'pro' | 'enterprise') {
  const response = await checkout(world, customer.session, plan);
  if (response.status !== 200)
    throw new Error(`checkout failed: ${response.status} ${await response.text()}`);
  const { url } = (await response.json()) as { url: string };
  const sessionId = url.split('/').at(-1)!;
  const completed = world.fake.completeCheckout(sessionId);
  const delivered = await world.deliver(completed.checkoutCompleted);
  if (delivered.status !== 200)
    throw new Error(`webhook failed: ${delivered.status} ${await delivered.text()}`);
  return { url, sessionId, ...completed };
}

/** One generation of a new spec; returns status and body. */
export async function generate(
  world: BillingWorld,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, unknown> & { usage?: Record<string, unknown> } }> {
  const response = await postGeneration(world.server, token, generationBody(overrides), randomUUID());
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The user's subscriptions rows (there must be exactly one). */
export function subscriptionRows(world: BillingWorld, userId: string) {
  return queryRows<{
    plan: string;
    status: string;
    stripe_customer_id: string | null;
    stripe_subscription_id: string | null;
    stripe_price_id: string | null;
    cancel_at_period_end: boolean;
    past_due_since: Date | string | null;
    plan_lapses_at: Date | string | null;
    current_period_end: Date | string | null;
  }>(world.database.db, sql`select * from subscriptions where user_id = ${userId}`);
}

/** How many times an event id was recorded. */
export async function recordedEvents(world: BillingWorld, eventId: string): Promise<number> {
  const rows = await queryRows<{ count: number }>(
    world.database.db,
    sql`select count(*)::int as count from webhook_events where id = ${eventId}`,
  );
  return rows[0]?.count ?? 0;
}
