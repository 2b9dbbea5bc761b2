import { describe, expect, it } from 'vitest';
import type { SubscriptionSnapshot } from '../../server/billing/stripe-objects.ts';
import { invoiceSubscriptionId, toSubscriptionSnapshot } from '../../server/billing/stripe-objects.ts';
import {
  decideSubscriptionUpdate,
  type StoredBillingRow,
  type SubscriptionUpdateInput,
} from '../../server/billing/subscription-state.ts';
import { effectiveEntitlement } from '../../server/entitlements/effective-plan.ts';
import { parseStripeForm } from './fake-stripe/form.ts';

const DAY = 86_400_000;
const T = Date.parse('2031-05-10T12:00:00Z');
const at = (offsetMs: number) => new Date(T + offsetMs);
const config = { prices: { pro: 'price_pro', enterprise: 'price_ent' }, graceDays: 7 };

const stored: StoredBillingRow = {
  userId: 'u1',
  plan: 'pro',
  status: 'active',
  stripeCustomerId: 'cus_1',
  stripeSubscriptionId: 'sub_1',
  stripeSubscriptionCreatedAt: at(-20 * DAY),
  stripeStateAt: at(-DAY),
  pastDueSince: null,
};

const snapshot: SubscriptionSnapshot = {
  id: 'sub_1',
  customerId: 'cus_1',
  status: 'active',
  itemId: 'si_1',
  priceId: 'price_pro',
  periodStart: at(-10 * DAY),
  periodEnd: at(20 * DAY),
  cancelAtPeriodEnd: false,
  cancelAt: null,
  endedAt: null,
  createdAt: at(-20 * DAY),
  userIdHint: null,
};

function decide(
  change: Partial<SubscriptionSnapshot>,
  extra: Partial<Omit<SubscriptionUpdateInput, 'snapshot'>> = {},
) {
  return decideSubscriptionUpdate({
    snapshot: { ...snapshot, ...change },
    stored,
    stateAt: at(0),
    source: 'event',
    config,
    now: at(0),
    ...extra,
  });
}

describe('decideSubscriptionUpdate (entitlement rules)', () => {
  const cases: [
    string,
    Partial<SubscriptionSnapshot>,
    Partial<Omit<SubscriptionUpdateInput, 'snapshot'>>,
    Record<string, unknown>,
  ][] = [
    ['active → the price’s plan, no lapse', {}, {}, { plan: 'pro', planLapsesAt: null }],
    ['trialing → the plan', { status: 'trialing', priceId: 'price_ent' }, {}, { plan: 'enterprise' }],
    [
      'cancel at period end → the plan until the period end',
      { cancelAtPeriodEnd: true },
      {},
      { plan: 'pro', planLapsesAt: at(20 * DAY) },
    ],
    [
      'past_due → the plan for 7 days from the first failure',
      { status: 'past_due' },
      { failureAt: at(-DAY) },
      { plan: 'pro', pastDueSince: at(-DAY), planLapsesAt: at(6 * DAY) },
    ],
    [
      'past_due with grace over → Free on the calendar month',
      { status: 'past_due' },
      { failureAt: at(-8 * DAY) },
      { plan: 'free', planLapsesAt: null, currentPeriodEnd: null },
    ],
    [
      'canceled within the paid period → the plan until its end',
      { status: 'canceled', endedAt: at(0) },
      {},
      { plan: 'pro', planLapsesAt: at(20 * DAY) },
    ],
    ['canceled after the period → Free', { status: 'canceled', periodEnd: at(-1000) }, {}, { plan: 'free' }],
    ['incomplete (first payment pending) → Free', { status: 'incomplete' }, {}, { plan: 'free' }],
    [
      'a price this server does not sell → Free',
      { priceId: 'price_other' },
      {},
      { plan: 'free', stripePriceId: 'price_other' },
    ],
  ];
  it.each(cases)('%s', (_name, change, extra, expected) => {
    const decision = decide(change, extra);
    expect(decision.action).toBe('apply');
    if (decision.action === 'apply') expect(decision.values).toMatchObject(expected);
  });

  it('orders by Stripe time: older → stale, same second from an event → refetch, same second fetched → apply', () => {
    expect(decide({}, { stateAt: at(-2 * DAY) })).toEqual({ action: 'ignore', reason: 'stale' });
    expect(decide({}, { stateAt: at(-DAY) })).toEqual({ action: 'refetch' });
    expect(decide({}, { stateAt: at(-DAY), source: 'fetched' }).action).toBe('apply');
  });

  it('keeps the first failure time across further past_due updates', () => {
    const decision = decideSubscriptionUpdate({
      snapshot: { ...snapshot, status: 'past_due' },
      stored: { ...stored, status: 'past_due', pastDueSince: at(-3 * DAY) },
      stateAt: at(0),
      source: 'event',
      failureAt: at(0),
      config,
      now: at(0),
    });
    expect(decision.action === 'apply' && decision.values.planLapsesAt).toEqual(at(4 * DAY));
  });

  it('another subscription: a late deletion of an old one never downgrades; a newer live one is adopted', () => {
    const old = { id: 'sub_0', status: 'canceled', createdAt: at(-60 * DAY) };
    expect(decide(old)).toEqual({ action: 'ignore', reason: 'other-subscription' });
    expect(decide({ id: 'sub_0', createdAt: at(-60 * DAY) })).toEqual({
      action: 'ignore',
      reason: 'other-subscription',
    });
    const newer = decide(
      { id: 'sub_2', createdAt: at(-DAY), priceId: 'price_ent' },
      { stateAt: at(-5 * DAY) },
    );
    expect(newer.action === 'apply' && newer.values).toMatchObject({
      stripeSubscriptionId: 'sub_2',
      plan: 'enterprise',
    });
  });
});

describe('effectiveEntitlement', () => {
  it('is the stored plan until it lapses, then Free on the calendar month', () => {
    const row = { plan: 'pro', periodStart: at(-DAY), periodEnd: at(DAY), planLapsesAt: at(DAY) };
    expect(effectiveEntitlement(row, at(0))).toEqual({
      plan: 'pro',
      periodStart: at(-DAY),
      periodEnd: at(DAY),
    });
    expect(effectiveEntitlement(row, at(DAY))).toEqual({ plan: 'free', periodStart: null, periodEnd: null });
    expect(effectiveEntitlement({ ...row, plan: 'gold' }, at(0)).plan).toBe('free');
    expect(effectiveEntitlement(undefined, at(0)).plan).toBe('free');
  });
});

describe('Stripe objects across API versions', () => {
  const base = {
    id: 'sub_1',
    object: 'subscription',
    customer: { id: 'cus_1', object: 'customer' },
    status: 'active',
    created: 1000,
    cancel_at_period_end: false,
    metadata: { userId: 'u1' },
  };
  it('reads the period from the item (2025-03-31+) or from the subscription (older versions)', () => {
    const current = toSubscriptionSnapshot({
      ...base,
      items: { data: [{ id: 'si', price: { id: 'p' }, current_period_start: 10, current_period_end: 20 }] },
    });
    expect(current).toMatchObject({ customerId: 'cus_1', periodEnd: new Date(20_000), userIdHint: 'u1' });
    const legacy = toSubscriptionSnapshot({
      ...base,
      current_period_start: 30,
      current_period_end: 40,
      items: { data: [{ id: 'si', price: { id: 'p' } }] },
    });
    expect(legacy.periodEnd).toEqual(new Date(40_000));
    expect(() => toSubscriptionSnapshot({ ...base, items: 'nope' })).toThrow();
  });

  it('finds an invoice’s subscription under parent.subscription_details or the legacy field', () => {
    expect(
      invoiceSubscriptionId({
        id: 'in',
        object: 'invoice',
        customer: 'c',
        parent: { subscription_details: { subscription: 'sub_a' } },
      }),
    ).toBe('sub_a');
    expect(invoiceSubscriptionId({ id: 'in', object: 'invoice', customer: 'c', subscription: 'sub_b' })).toBe(
      'sub_b',
    );
    expect(invoiceSubscriptionId({ id: 'in', object: 'invoice', customer: 'c', parent: null })).toBeNull();
  });
});

describe('fake Stripe form decoding', () => {
  it('decodes bracketed keys into objects and arrays', () => {
    expect(
      parseStripeForm(
        'line_items[0][price]=p&line_items[0][quantity]=1&metadata[userId]=u%201&mode=subscription',
      ),
    ).toEqual({
      line_items: [{ price: 'p', quantity: '1' }],
      metadata: { userId: 'u 1' },
      mode: 'subscription',
    });
  });
});
