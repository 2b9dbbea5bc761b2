import { expect, it } from 'vitest';
import { BASE_URL, jsonRequest } from '../server/harness.ts';
import {
  checkout,
  describeBilling,
  generate,
  newCustomer,
  subscribe,
  subscriptionRows,
} from './billing-harness.ts';

const DAY_MS = 86_400_000;
const customModel = { ai: { provider: 'openai', model: 'gpt-5-custom' } };

async function me(world: ReturnType<Parameters<Parameters<typeof describeBilling>[1]>[0]>, token: string) {
  const response = await world.server.request('/v1/me', jsonRequest('GET', token));
  return (await response.json()) as { plan: string; usage: { limit: number | null }; periodEnd: string };
}

describeBilling('billing flows', (world) => {
  it('happy: Free → Pro via checkout completion raises the quota at once (CI token, same customer reused)', async () => {
    const customer = await newCustomer(world());
    for (let i = 0; i < 5; i += 1) expect((await generate(world(), customer.ciToken)).status).toBe(201);
    const blocked = await generate(world(), customer.ciToken);
    expect(blocked.status).toBe(402);

    const answer = await checkout(world(), customer.session, 'pro');
    expect(answer.status).toBe(200);
    const { url } = (await answer.json()) as { url: string };
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const created = world().fake.requests.filter((request) => request.path === '/v1/customers');
    expect(created.at(-1)?.params).toMatchObject({
      email: customer.email,
      metadata: { userId: customer.userId },
    });
    const session = world()
      .fake.requests.filter((request) => request.path === '/v1/checkout/sessions')
      .at(-1);
    expect(session?.params).toMatchObject({
      mode: 'subscription',
      client_reference_id: customer.userId,
      line_items: [{ price: 'price_test_pro', quantity: '1' }],
      subscription_data: { metadata: { userId: customer.userId } },
    });
    expect(session?.params.success_url).toContain(`${BASE_URL}/dashboard`);

    const sessionId = url.split('/').at(-1)!;
    const completed = world().fake.completeCheckout(sessionId);
    const delivered = await world().deliver(completed.checkoutCompleted);
    expect(delivered.status).toBe(200);
    expect(await delivered.json()).toMatchObject({ received: true, outcome: 'applied' });

    const upgraded = await generate(world(), customer.ciToken);
    expect(upgraded.status).toBe(201);
    const periodEnd = new Date(
      Number(
        completed.subscription.items &&
          (completed.subscription.items as { data: { current_period_end: number }[] }).data[0]!
            .current_period_end,
      ) * 1000,
    );
    expect(upgraded.body.usage).toMatchObject({
      plan: 'pro',
      used: 1,
      limit: 100,
      periodEnd: periodEnd.toISOString(),
    });

    // Stripe's other events for the same purchase arrive later and change nothing.
    for (const event of [completed.subscriptionCreated, completed.invoicePaid]) {
      expect((await world().deliver(event)).status).toBe(200);
    }
    const [row] = await subscriptionRows(world(), customer.userId);
    expect(row).toMatchObject({
      plan: 'pro',
      status: 'active',
      stripe_subscription_id: completed.subscription.id,
      stripe_price_id: 'price_test_pro',
    });

    // The portal reuses the stored customer.
    const customersBefore = world().fake.customers.size;
    const portal = await world().server.request(
      '/v1/billing/portal',
      jsonRequest('POST', customer.session, {}),
    );
    expect(portal.status).toBe(200);
    expect(((await portal.json()) as { url: string }).url).toMatch(
      /^https:\/\/billing\.stripe\.com\/p\/session\//,
    );
    expect(world().fake.customers.size).toBe(customersBefore);
    const portalRequest = world().fake.requests.at(-1)!;
    expect(portalRequest.params).toEqual({
      customer: row?.stripe_customer_id,
      return_url: `${BASE_URL}/dashboard`,
    });
  });

  it('happy: Pro → Enterprise switches the existing subscription in place (proration), effective at once', async () => {
    const customer = await newCustomer(world());
    const { subscription } = await subscribe(world(), customer, 'pro');
    expect((await generate(world(), customer.ciToken, customModel)).status).toBe(403);
    const customers = world().fake.customers.size;

    const answer = await checkout(world(), customer.session, 'enterprise');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ url: `${BASE_URL}/dashboard?billing=updated` });
    const update = world().fake.requests.at(-1)!;
    expect(update.method).toBe('POST');
    expect(update.path).toBe(`/v1/subscriptions/${subscription.id}`);
    expect(update.params).toMatchObject({
      items: [{ price: 'price_test_enterprise' }],
      proration_behavior: 'always_invoice',
      payment_behavior: 'pending_if_incomplete',
    });
    expect(world().fake.customers.size).toBe(customers);
    expect(
      [...world().fake.subscriptions.values()].filter((sub) => sub.customer === subscription.customer),
    ).toHaveLength(1);

    const after = await generate(world(), customer.ciToken, customModel);
    expect(after.status).toBe(201);
    expect(after.body.usage).toMatchObject({ plan: 'enterprise', limit: null, remaining: null });
    // Stripe's own event for the update agrees.
    const event = world().fake.subscriptionEvent('customer.subscription.updated', subscription.id);
    expect((await world().deliver(event)).status).toBe(200);
    expect((await me(world(), customer.session)).plan).toBe('enterprise');

    const again = await checkout(world(), customer.session, 'enterprise');
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('CONFLICT');
  });

  it('happy: cancel → the plan stays until the period end, then Free on the calendar month', async () => {
    const customer = await newCustomer(world());
    const start = world().now();
    const { subscription } = await subscribe(world(), customer, 'pro');
    const periodEnd = new Date(
      (subscription.items as { data: { current_period_end: number }[] }).data[0]!.current_period_end * 1000,
    );

    world().setNow(new Date(start.getTime() + 3 * DAY_MS));
    expect((await world().deliver(world().fake.scheduleCancel(subscription.id))).status).toBe(200);
    expect((await generate(world(), customer.ciToken)).body.usage).toMatchObject({ plan: 'pro', limit: 100 });
    const [canceling] = await subscriptionRows(world(), customer.userId);
    expect(canceling).toMatchObject({ plan: 'pro', cancel_at_period_end: true });

    // The period ends; even before Stripe's `deleted` event arrives the account is Free.
    world().setNow(new Date(periodEnd.getTime() + 1000));
    const lapsed = await generate(world(), customer.ciToken);
    expect(lapsed.status).toBe(201);
    const monthEnd = new Date(Date.UTC(periodEnd.getUTCFullYear(), periodEnd.getUTCMonth() + 1, 1));
    expect(lapsed.body.usage).toMatchObject({ plan: 'free', limit: 5, periodEnd: monthEnd.toISOString() });
    expect((await me(world(), customer.session)).plan).toBe('free');

    expect((await world().deliver(world().fake.endSubscription(subscription.id))).status).toBe(200);
    const [ended] = await subscriptionRows(world(), customer.userId);
    expect(ended).toMatchObject({
      plan: 'free',
      status: 'canceled',
      plan_lapses_at: null,
      current_period_end: null,
    });
  });

  it('happy: a failed renewal keeps the plan for the 7-day grace period, then Free; paying restores it', async () => {
    const customer = await newCustomer(world());
    const start = world().now();
    const { subscription } = await subscribe(world(), customer, 'pro');
    const firstEnd =
      (subscription.items as { data: { current_period_end: number }[] }).data[0]!.current_period_end * 1000;

    world().setNow(new Date(firstEnd));
    const renewal = world().fake.renew(subscription.id, { paid: false });
    for (const event of [renewal.invoiceEvent, renewal.updated])
      expect((await world().deliver(event)).status).toBe(200);
    const [pastDue] = await subscriptionRows(world(), customer.userId);
    expect(pastDue).toMatchObject({ plan: 'pro', status: 'past_due' });
    expect(new Date(pastDue!.past_due_since!).getTime()).toBe(firstEnd);

    world().setNow(new Date(firstEnd + 7 * DAY_MS - 1000));
    expect((await generate(world(), customer.ciToken)).body.usage).toMatchObject({ plan: 'pro' });
    world().setNow(new Date(firstEnd + 7 * DAY_MS));
    expect((await generate(world(), customer.ciToken)).body.usage).toMatchObject({ plan: 'free', limit: 5 });
    expect((await generate(world(), customer.ciToken, { formats: ['k6'] })).status).toBe(403);

    const recovered = world().fake.recover(subscription.id);
    for (const event of [recovered.paid, recovered.updated])
      expect((await world().deliver(event)).status).toBe(200);
    expect((await generate(world(), customer.ciToken, { formats: ['k6'] })).status).toBe(201);
    const [active] = await subscriptionRows(world(), customer.userId);
    expect(active).toMatchObject({
      plan: 'pro',
      status: 'active',
      past_due_since: null,
      plan_lapses_at: null,
    });
    expect(start.getTime()).toBeLessThan(firstEnd);
  });
});
