/**
 * The Stripe endpoints the licence server calls, with Stripe's parameter checks: unknown parameters,
 * missing required ones and unknown ids answer Stripe's error envelope and status.
 * @see https://docs.stripe.com/api/errors
 */
import type { FakeStripe } from './fake-stripe.ts';
import type { FormValue } from './form.ts';
import { checkoutSessionObject, publicView, type StripeObject, stripeId } from './objects.ts';

/** An error answered in Stripe's envelope. */
export class FakeStripeError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
  }

  toJSON() {
    return {
      type: this.type,
      message: this.message,
      ...(this.code ? { code: this.code, doc_url: `https://stripe.com/docs/error-codes/${this.code}` } : {}),
      ...(this.param ? { param: this.param } : {}),
    };
  }
}

type Params = Record<string, FormValue>;

function allowOnly(params: Params, allowed: readonly string[]): void {
  for (const key of Object.keys(params)) {
    if (key !== 'expand' && !allowed.includes(key)) {
      throw new FakeStripeError(
        400,
        'invalid_request_error',
        `Received unknown parameter: ${key}`,
        'parameter_unknown',
        key,
      );
    }
  }
}

function required(params: Params, key: string): FormValue {
  const value = params[key];
  if (value === undefined || value === '') {
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      `Missing required param: ${key}.`,
      'parameter_missing',
      key,
    );
  }
  return value;
}

function text(value: FormValue | undefined, name: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string')
    throw new FakeStripeError(400, 'invalid_request_error', `Invalid string: ${name}`, undefined, name);
  return value;
}

function metadata(value: FormValue | undefined): Record<string, string> {
  if (value === undefined || value === '') return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      'Invalid object: metadata',
      undefined,
      'metadata',
    );
  }
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, String(entry)]));
}

function oneOf(value: FormValue | undefined, name: string, options: readonly string[]): void {
  if (value !== undefined && !options.includes(String(value))) {
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      `Invalid ${name}: must be one of ${options.join(', ')}`,
      undefined,
      name,
    );
  }
}

function missing(kind: string, id: string, param = 'id'): FakeStripeError {
  return new FakeStripeError(
    404,
    'invalid_request_error',
    `No such ${kind}: '${id}'`,
    'resource_missing',
    param,
  );
}

function customerOf(fake: FakeStripe, id: string | null, param = 'customer'): StripeObject {
  const customer = id ? fake.customers.get(id) : undefined;
  if (!customer) throw missing('customer', String(id), param);
  return customer;
}

function createCheckoutSession(fake: FakeStripe, params: Params): StripeObject {
  allowOnly(params, [
    'mode',
    'customer',
    'client_reference_id',
    'line_items',
    'success_url',
    'cancel_url',
    'metadata',
    'subscription_data',
    'allow_promotion_codes',
  ]);
  oneOf(required(params, 'mode'), 'mode', ['payment', 'setup', 'subscription']);
  const customer = customerOf(fake, text(params.customer, 'customer'));
  const lines = required(params, 'line_items');
  const line = Array.isArray(lines) ? lines[0] : undefined;
  if (!Array.isArray(lines) || lines.length !== 1 || typeof line !== 'object' || Array.isArray(line)) {
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      'Invalid array: line_items',
      undefined,
      'line_items',
    );
  }
  const priceId = text(line.price, 'line_items[0][price]') ?? '';
  if (!fake.price(priceId)) throw missing('price', priceId, 'line_items[0][price]');
  if (line.quantity !== '1')
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      'Invalid quantity',
      undefined,
      'line_items[0][quantity]',
    );
  const subscriptionData = params.subscription_data;
  if (
    subscriptionData !== undefined &&
    (typeof subscriptionData !== 'object' || Array.isArray(subscriptionData))
  ) {
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      'Invalid object: subscription_data',
      undefined,
      'subscription_data',
    );
  }
  const session = checkoutSessionObject({
    customer: customer.id,
    price: priceId,
    clientReferenceId: text(params.client_reference_id, 'client_reference_id'),
    metadata: metadata(params.metadata),
    subscriptionMetadata: metadata(subscriptionData?.metadata),
    successUrl: text(required(params, 'success_url'), 'success_url')!,
    cancelUrl: text(params.cancel_url, 'cancel_url'),
    now: fake.now,
  });
  fake.sessions.set(session.id, session);
  return session;
}

function listSubscriptions(fake: FakeStripe, params: Params) {
  allowOnly(params, ['customer', 'limit', 'status', 'price']);
  oneOf(params.status, 'status', [
    'active',
    'all',
    'canceled',
    'ended',
    'incomplete',
    'incomplete_expired',
    'past_due',
    'paused',
    'trialing',
    'unpaid',
  ]);
  const customer = text(params.customer, 'customer');
  const status = text(params.status, 'status');
  const limit = Number(params.limit ?? 10);
  const data = [...fake.subscriptions.values()]
    .filter((sub) => customer === null || sub.customer === customer)
    .filter((sub) =>
      status === null ? sub.status !== 'canceled' : status === 'all' || sub.status === status,
    )
    .sort((a, b) => Number(b.created) - Number(a.created));
  return {
    object: 'list',
    url: '/v1/subscriptions',
    has_more: data.length > limit,
    data: data.slice(0, limit),
  };
}

function updateSubscription(fake: FakeStripe, id: string, params: Params): StripeObject {
  allowOnly(params, ['items', 'proration_behavior', 'payment_behavior', 'cancel_at_period_end', 'metadata']);
  oneOf(params.proration_behavior, 'proration_behavior', ['always_invoice', 'create_prorations', 'none']);
  oneOf(params.payment_behavior, 'payment_behavior', [
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]);
  const subscription = fake.subscriptions.get(id);
  if (!subscription) throw missing('subscription', id);
  if (
    params.payment_behavior === 'pending_if_incomplete' &&
    (params.metadata !== undefined || params.cancel_at_period_end !== undefined)
  ) {
    throw new FakeStripeError(
      400,
      'invalid_request_error',
      'When `payment_behavior=pending_if_incomplete`, only some parameters are supported: items, proration_behavior, …',
    );
  }
  if (params.cancel_at_period_end !== undefined) {
    const cancel = params.cancel_at_period_end === 'true';
    const item = (subscription.items as { data: { current_period_end: number }[] }).data[0]!;
    Object.assign(subscription, {
      cancel_at_period_end: cancel,
      cancel_at: cancel ? item.current_period_end : null,
      canceled_at: cancel ? fake.now : null,
    });
  }
  if (params.metadata !== undefined)
    subscription.metadata = { ...(subscription.metadata as object), ...metadata(params.metadata) };
  if (params.items !== undefined) {
    const items = params.items;
    const data = (subscription.items as { data: { id: string; price: StripeObject }[] }).data;
    if (!Array.isArray(items))
      throw new FakeStripeError(400, 'invalid_request_error', 'Invalid array: items', undefined, 'items');
    for (const [index, entry] of items.entries()) {
      if (typeof entry !== 'object' || Array.isArray(entry))
        throw new FakeStripeError(
          400,
          'invalid_request_error',
          'Invalid object',
          undefined,
          `items[${index}]`,
        );
      const item = data.find((candidate) => candidate.id === entry.id);
      if (!item) throw missing('subscription item', String(entry.id), `items[${index}][id]`);
      const price = fake.price(String(entry.price));
      if (!price) throw missing('price', String(entry.price), `items[${index}][price]`);
      item.price = price;
    }
  }
  return subscription;
}

/** Routes one authenticated request. */
export function handleRequest(
  fake: FakeStripe,
  method: string,
  path: string,
  params: Params,
): { status: number; body: unknown } {
  const ok = (body: StripeObject | Record<string, unknown>) => ({
    status: 200,
    body: 'id' in body ? publicView(body as StripeObject) : body,
  });
  const customerId = path.match(/^\/v1\/customers\/([^/]+)$/)?.[1];
  const subscriptionId = path.match(/^\/v1\/subscriptions\/([^/]+)$/)?.[1];
  if (method === 'POST' && path === '/v1/customers') {
    allowOnly(params, ['email', 'name', 'metadata']);
    return ok(
      fake.createCustomer({
        email: text(params.email, 'email'),
        name: text(params.name, 'name'),
        metadata: metadata(params.metadata),
      }),
    );
  }
  if (method === 'GET' && customerId) return ok(customerOf(fake, customerId, 'id'));
  if (method === 'POST' && path === '/v1/checkout/sessions') return ok(createCheckoutSession(fake, params));
  if (method === 'POST' && path === '/v1/billing_portal/sessions') {
    allowOnly(params, ['customer', 'return_url']);
    const customer = customerOf(fake, text(required(params, 'customer'), 'customer'));
    const session = {
      id: stripeId('bps'),
      object: 'billing_portal.session',
      configuration: 'bpc_default',
      created: fake.now,
      customer: customer.id,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: text(params.return_url, 'return_url'),
      url: `https://billing.stripe.com/p/session/test_${stripeId('x')}`,
    };
    fake.portalSessions.set(session.id, session);
    return ok(session);
  }
  if (method === 'GET' && path === '/v1/subscriptions') return ok(listSubscriptions(fake, params));
  if (subscriptionId) {
    const id = subscriptionId;
    if (method === 'GET') {
      allowOnly(params, []);
      const subscription = fake.subscriptions.get(id);
      if (!subscription) throw missing('subscription', id);
      return ok(subscription);
    }
    if (method === 'POST') return ok(updateSubscription(fake, id, params));
  }
  throw new FakeStripeError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
}
