import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../server/db/rows.ts';
import {
  type BillingWorld,
  checkout,
  describeBilling,
  newCustomer,
  recordedEvents,
  subscribe,
  subscriptionRows,
} from './billing-harness.ts';

const SECOND = 1000;

function retrievals(world: BillingWorld, subscriptionId: string): number {
  return world.fake.requests.filter(
    (request) => request.method === 'GET' && request.path === `/v1/subscriptions/${subscriptionId}`,
  ).length;
}

async function outcome(response: Response): Promise<string> {
  expect(response.status).toBe(200);
  return ((await response.json()) as { outcome: string }).outcome;
}

describeBilling('POST /webhooks/stripe', (world) => {
  it('happy: the same event delivered twice (and concurrently) changes state once', async () => {
    const customer = await newCustomer(world());
    const { subscription, checkoutCompleted } = await subscribe(world(), customer, 'pro');
    const fetched = retrievals(world(), subscription.id);
    expect(await outcome(await world().deliver(checkoutCompleted))).toBe('duplicate');
    expect(retrievals(world(), subscription.id)).toBe(fetched); // a duplicate never reaches Stripe
    expect(await recordedEvents(world(), String(checkoutCompleted.id))).toBe(1);

    world().setNow(new Date(world().now().getTime() + 5 * SECOND));
    const canceled = world().fake.scheduleCancel(subscription.id);
    const answers = await Promise.all([1, 2, 3].map(() => world().deliver(canceled)));
    const outcomes = await Promise.all(answers.map(outcome));
    expect(outcomes.sort()).toEqual(['applied', 'duplicate', 'duplicate']);
    expect(await recordedEvents(world(), String(canceled.id))).toBe(1);
    const rows = await subscriptionRows(world(), customer.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ plan: 'pro', cancel_at_period_end: true });
  });

  it('happy: an older customer.subscription.updated delivered after a newer one leaves the newer state', async () => {
    const customer = await newCustomer(world());
    const { subscription } = await subscribe(world(), customer, 'pro');
    const t0 = world().now().getTime();
    world().setNow(new Date(t0 + 10 * SECOND));
    const older = world().fake.scheduleCancel(subscription.id);
    world().setNow(new Date(t0 + 20 * SECOND));
    const newer = world().fake.updateSubscription(subscription.id, (sub, item) => {
      Object.assign(sub, { cancel_at_period_end: false, cancel_at: null, canceled_at: null });
      item.price = world().fake.prices.enterprise;
    });
    expect(await outcome(await world().deliver(newer))).toBe('applied');
    expect(await outcome(await world().deliver(older))).toBe('stale');
    const [row] = await subscriptionRows(world(), customer.userId);
    expect(row).toMatchObject({
      plan: 'enterprise',
      cancel_at_period_end: false,
      stripe_price_id: 'price_test_enterprise',
    });
    expect(await recordedEvents(world(), String(older.id))).toBe(1);
  });

  it('happy: two events of the same second are ordered by re-fetching the subscription from Stripe', async () => {
    const customer = await newCustomer(world());
    const { subscription } = await subscribe(world(), customer, 'pro');
    world().setNow(new Date(world().now().getTime() + 30 * SECOND));
    const first = world().fake.scheduleCancel(subscription.id);
    const second = world().fake.updateSubscription(subscription.id, (sub) => {
      Object.assign(sub, { cancel_at_period_end: false, cancel_at: null, canceled_at: null });
    });
    expect(await outcome(await world().deliver(second))).toBe('applied');
    const before = retrievals(world(), subscription.id);
    // Same `created` second as the stored state: the payload alone cannot say which is newer.
    expect(await outcome(await world().deliver(first))).toBe('applied');
    expect(retrievals(world(), subscription.id)).toBe(before + 1);
    const [row] = await subscriptionRows(world(), customer.userId);
    expect(row).toMatchObject({ plan: 'pro', cancel_at_period_end: false });
  });

  it('security: a bad signature, a tampered body, an old timestamp or no signature → 400 and no change', async () => {
    const customer = await newCustomer(world());
    const { url } = (await (await checkout(world(), customer.session, 'pro')).json()) as { url: string };
    const completed = world().fake.completeCheckout(url.split('/').at(-1)!);
    const event = completed.checkoutCompleted;
    const attempts = [
      world().deliver(event, { secret: 'whsec_not_the_secret' }),
      world().deliver(event, { body: JSON.stringify({ ...event, id: 'evt_forged' }, null, 2) }),
      world().deliver(event, { timestamp: world().fake.now - 301 }),
      world().server.request('/webhooks/stripe', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
      }),
    ];
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    expect(await recordedEvents(world(), String(event.id))).toBe(0);
    expect((await subscriptionRows(world(), customer.userId))[0]).toMatchObject({
      plan: 'free',
      stripe_subscription_id: null,
    });
    const huge = await world().deliver(event, {
      body: JSON.stringify({ ...event, padding: 'x'.repeat(600_000) }),
    });
    expect(huge.status).toBe(413);
    // Within the 5-minute tolerance the same event is accepted.
    expect(await outcome(await world().deliver(event, { timestamp: world().fake.now - 299 }))).toBe(
      'applied',
    );
  });

  it('concurrency: checkout completion and subscription webhooks for one customer at once → one subscription row', async () => {
    const customer = await newCustomer(world());
    const { url } = (await (await checkout(world(), customer.session, 'pro')).json()) as { url: string };
    const completed = world().fake.completeCheckout(url.split('/').at(-1)!);
    const events = [completed.checkoutCompleted, completed.subscriptionCreated, completed.invoicePaid];
    const answers = await Promise.all([...events, ...events].map((event) => world().deliver(event)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const rows = await subscriptionRows(world(), customer.userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ plan: 'pro', stripe_subscription_id: completed.subscription.id });
    const holders = await queryRows<{ count: number }>(
      world().database.db,
      sql`select count(*)::int as count from subscriptions where stripe_subscription_id = ${completed.subscription.id}`,
    );
    expect(holders[0]?.count).toBe(1);
    for (const event of events) expect(await recordedEvents(world(), String(event.id))).toBe(1);
  });

  it('concurrency: two first checkouts at once create one Stripe customer for the account', async () => {
    const customer = await newCustomer(world());
    const answers = await Promise.all([
      checkout(world(), customer.session, 'pro'),
      checkout(world(), customer.session, 'pro'),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const mine = [...world().fake.customers.values()].filter(
      (entry) => (entry.metadata as Record<string, string>).userId === customer.userId,
    );
    expect(mine).toHaveLength(1);
    expect((await subscriptionRows(world(), customer.userId))[0]?.stripe_customer_id).toBe(mine[0]!.id);
  });

  it('error: Stripe failing while an event is applied → 503, nothing recorded, the redelivery applies it', async () => {
    const customer = await newCustomer(world());
    const { url } = (await (await checkout(world(), customer.session, 'pro')).json()) as { url: string };
    const completed = world().fake.completeCheckout(url.split('/').at(-1)!);
    world().fake.failNext({ method: 'GET', path: /^\/v1\/subscriptions\//, status: 500, times: 3 });
    const failed = await world().deliver(completed.checkoutCompleted);
    expect(failed.status).toBe(503);
    expect(await recordedEvents(world(), String(completed.checkoutCompleted.id))).toBe(0);
    expect((await subscriptionRows(world(), customer.userId))[0]?.plan).toBe('free');
    expect(await outcome(await world().deliver(completed.checkoutCompleted))).toBe('applied');
    expect((await subscriptionRows(world(), customer.userId))[0]?.plan).toBe('pro');
  });

  it('error: the database refusing the update → 5xx and the event id is rolled back with it', async () => {
    const customer = await newCustomer(world());
    const { subscription } = await subscribe(world(), customer, 'pro');
    world().setNow(new Date(world().now().getTime() + 40 * SECOND));
    const event = world().fake.scheduleCancel(subscription.id);
    const db = world().database.db;
    await db.execute(sql`create function specmint_test_refuse() returns trigger language plpgsql as $$
      begin raise exception 'refused by test'; end $$`);
    await db.execute(sql`create trigger specmint_test_refuse before update on subscriptions
      for each row when (new.cancel_at_period_end) execute function specmint_test_refuse()`);
    try {
      const failed = await world().deliver(event);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await recordedEvents(world(), String(event.id))).toBe(0);
    } finally {
      await db.execute(sql`drop trigger specmint_test_refuse on subscriptions`);
      await db.execute(sql`drop function specmint_test_refuse()`);
    }
    expect(await outcome(await world().deliver(event))).toBe('applied');
    expect((await subscriptionRows(world(), customer.userId))[0]).toMatchObject({
      cancel_at_period_end: true,
    });
  });

  it('happy: events for customers of no account and unhandled types are acknowledged without effect', async () => {
    const stranger = world().fake.createCustomer({ email: 'x@example.test', name: null, metadata: {} });
    const session = world().fake;
    const sub = {
      id: 'sub_stranger',
      object: 'subscription',
      customer: stranger.id,
      status: 'active',
      created: session.now,
      cancel_at_period_end: false,
      metadata: {},
      items: {
        data: [
          {
            id: 'si_x',
            price: { id: 'price_test_pro' },
            current_period_start: session.now,
            current_period_end: session.now + 100,
          },
        ],
      },
    };
    const event = {
      id: 'evt_stranger',
      object: 'event',
      type: 'customer.subscription.updated',
      created: session.now,
      data: { object: sub },
    };
    expect(await outcome(await world().deliver(event))).toBe('unknown-customer');
    expect(await recordedEvents(world(), 'evt_stranger')).toBe(0);
    const other = {
      ...event,
      id: 'evt_other',
      type: 'charge.succeeded',
      data: { object: { id: 'ch_1', object: 'charge' } },
    };
    expect(await outcome(await world().deliver(other))).toBe('not-handled');
  });
});
