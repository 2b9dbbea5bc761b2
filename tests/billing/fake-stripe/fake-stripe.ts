/**
 * A local server that speaks Stripe's wire format for the calls the licence server makes: form-encoded
 * requests (bracketed keys), `Authorization: Bearer sk_…`, `Idempotency-Key` replay, JSON objects in
 * Stripe's shapes, list envelopes, errors in Stripe's envelope `{error:{type,code,message,param}}`, and a
 * `Date` header from its own controllable clock. Unknown parameters are refused as Stripe refuses them,
 * so a wrong call fails the test. The lifecycle helpers change state the way Stripe would and return the
 * events Stripe would send.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type FormValue, parseStripeForm } from './form.ts';
import {
  customerObject,
  eventObject,
  invoiceObject,
  PERIOD_SECONDS,
  priceObject,
  publicView,
  type StripeObject,
  stripeId,
  subscriptionObject,
} from './objects.ts';
import { FakeStripeError, handleRequest } from './routes.ts';

/** A request the fake received. */
export interface RecordedRequest {
  method: string;
  path: string;
  params: Record<string, FormValue>;
  idempotencyKey: string | undefined;
  stripeVersion: string | undefined;
}

/** An injected failure for the next matching requests. */
export interface InjectedFailure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
}

type Item = { id: string; price: StripeObject; current_period_start: number; current_period_end: number };

/** The fake's state and lifecycle helpers. */
export class FakeStripe {
  readonly secretKey = 'sk_test_fake_specmint_0123456789';
  readonly webhookSecret = 'whsec_fake_specmint_0123456789';
  readonly apiVersion = '2026-10-28.endive';
  readonly prices: { pro: StripeObject; enterprise: StripeObject };
  readonly customers = new Map<string, StripeObject>();
  readonly sessions = new Map<string, StripeObject>();
  readonly subscriptions = new Map<string, StripeObject>();
  readonly invoices = new Map<string, StripeObject>();
  readonly portalSessions = new Map<string, StripeObject>();
  readonly requests: RecordedRequest[] = [];
  readonly idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();
  failures: InjectedFailure[] = [];
  /** Seconds since the epoch on the fake's clock. */
  now = Math.floor(Date.now() / 1000);
  private server: Server | undefined;
  url = '';

  constructor() {
    this.prices = {
      pro: priceObject('price_test_pro', 2900, this.now),
      enterprise: priceObject('price_test_enterprise', 9900, this.now),
    };
  }

  /** Starts listening on a free loopback port. */
  async listen(): Promise<this> {
    this.server = createServer((request, response) => {
      this.serve(request, response).catch((error: unknown) => {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { type: 'api_error', message: String(error) } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Sets the fake's clock. */
  setNow(date: Date): void {
    this.now = Math.floor(date.getTime() / 1000);
  }

  /** Makes the next `times` requests matching `method` and `path` fail with `status` (Stripe's envelope). */
  failNext(failure: InjectedFailure): void {
    this.failures.push({ ...failure });
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(request.url ?? '/', 'http://stripe.test');
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'request-id': stripeId('req'),
      'stripe-version': String(request.headers['stripe-version'] ?? this.apiVersion),
      date: new Date(this.now * 1000).toUTCString(),
    };
    let status = 200;
    let payload: unknown;
    try {
      const result = this.dispatch(request, url, body);
      status = result.status;
      payload = result.body;
      if (result.replayed) headers['idempotent-replayed'] = 'true';
    } catch (error) {
      if (!(error instanceof FakeStripeError)) throw error;
      status = error.status;
      payload = { error: error.toJSON() };
    }
    response.writeHead(status, headers);
    response.end(JSON.stringify(payload));
  }

  private dispatch(request: IncomingMessage, url: URL, body: string) {
    const method = request.method ?? 'GET';
    if (request.headers.authorization !== `Bearer ${this.secretKey}`) {
      throw new FakeStripeError(401, 'invalid_request_error', 'Invalid API Key provided: sk_test_****');
    }
    const type = String(request.headers['content-type'] ?? '');
    if (method === 'POST' && body !== '' && !type.startsWith('application/x-www-form-urlencoded')) {
      throw new FakeStripeError(400, 'invalid_request_error', `Invalid Content-Type ${type}`);
    }
    const params = parseStripeForm(method === 'GET' ? url.search.slice(1) : body);
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    this.requests.push({
      method,
      path: url.pathname,
      params,
      idempotencyKey,
      stripeVersion: request.headers['stripe-version'] as string | undefined,
    });
    const failure = this.failures.find(
      (f) => f.method === method && f.path.test(url.pathname) && f.times > 0,
    );
    if (failure) {
      failure.times -= 1;
      throw new FakeStripeError(
        failure.status,
        'api_error',
        'An unknown error occurred (injected by the test)',
      );
    }
    if (method !== 'POST' || !idempotencyKey)
      return { ...handleRequest(this, method, url.pathname, params), replayed: false };
    const fingerprint = createHash('sha256').update(`${method} ${url.pathname} ${body}`).digest('hex');
    const known = this.idempotent.get(idempotencyKey);
    if (known) {
      if (known.fingerprint !== fingerprint) {
        throw new FakeStripeError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idempotencyKey}' if you meant to execute a different request.`,
        );
      }
      return { status: known.status, body: known.body, replayed: true };
    }
    const result = handleRequest(this, method, url.pathname, params);
    this.idempotent.set(idempotencyKey, { fingerprint, ...result });
    return { ...result, replayed: false };
  }

  // ---- state used by the routes -------------------------------------------------------------------

  /** The price object for a price id, or undefined. */
  price(id: string): StripeObject | undefined {
    return Object.values(this.prices).find((price) => price.id === id);
  }

  createCustomer(params: { email: string | null; name: string | null; metadata: Record<string, string> }) {
    const customer = customerObject({ ...params, now: this.now });
    this.customers.set(customer.id, customer);
    return customer;
  }

  // ---- lifecycle helpers: what Stripe does, and the events it sends --------------------------------

  private event(type: string, object: StripeObject, previousAttributes?: Record<string, unknown>) {
    return eventObject({
      type,
      object,
      apiVersion: this.apiVersion,
      now: this.now,
      ...(previousAttributes ? { previousAttributes } : {}),
    });
  }

  private item(subscription: StripeObject): Item {
    return (subscription.items as { data: Item[] }).data[0]!;
  }

  private invoice(subscription: StripeObject, status: 'paid' | 'open', reason: string, attempts = 1) {
    const invoice = invoiceObject({
      subscription,
      status,
      amount: Number(this.item(subscription).price.unit_amount),
      attemptCount: attempts,
      billingReason: reason,
      now: this.now,
    });
    this.invoices.set(invoice.id, invoice);
    subscription.latest_invoice = invoice.id;
    return invoice;
  }

  /** The customer pays on the Checkout page: the subscription is created and the session completes. */
  completeCheckout(sessionId: string) {
    const session = this.sessions.get(sessionId);
    if (session?.status !== 'open') throw new Error(`no open checkout session ${sessionId}`);
    const subscription = subscriptionObject({
      customer: String(session.customer),
      price: this.price(String(session.__price))!,
      metadata: session.__subscriptionMetadata as Record<string, string>,
      status: 'active',
      now: this.now,
    });
    this.subscriptions.set(subscription.id, subscription);
    const invoice = this.invoice(subscription, 'paid', 'subscription_create');
    Object.assign(session, { status: 'complete', payment_status: 'paid', subscription: subscription.id });
    return {
      subscription,
      subscriptionCreated: this.event('customer.subscription.created', subscription),
      invoicePaid: this.event('invoice.paid', invoice),
      checkoutCompleted: this.event('checkout.session.completed', session),
    };
  }

  /** Changes a subscription (as the Billing Portal would) and returns `customer.subscription.updated`. */
  updateSubscription(id: string, change: (subscription: StripeObject, item: Item) => void) {
    const subscription = this.subscriptions.get(id)!;
    const before = structuredClone(publicView(subscription));
    change(subscription, this.item(subscription));
    const previous = Object.fromEntries(
      Object.entries(before).filter(
        ([key, value]) => JSON.stringify(value) !== JSON.stringify(subscription[key]),
      ),
    );
    return this.event('customer.subscription.updated', subscription, previous);
  }

  /** Cancels at the period end (Billing Portal "Cancel plan"). */
  scheduleCancel(id: string) {
    return this.updateSubscription(id, (subscription, item) => {
      Object.assign(subscription, {
        cancel_at_period_end: true,
        cancel_at: item.current_period_end,
        canceled_at: this.now,
      });
    });
  }

  /** The period ends on a subscription set to cancel: Stripe deletes it. */
  endSubscription(id: string) {
    const subscription = this.subscriptions.get(id)!;
    Object.assign(subscription, {
      status: 'canceled',
      ended_at: this.now,
      canceled_at: subscription.canceled_at ?? this.now,
    });
    return this.event('customer.subscription.deleted', subscription);
  }

  /**
   * The period ends and the subscription renews: the period advances and the renewal invoice is paid
   * (`invoice.paid`, subscription active) or its payment fails (`invoice.payment_failed`, past_due).
   */
  renew(id: string, options: { paid: boolean }) {
    const subscription = this.subscriptions.get(id)!;
    const updated = this.updateSubscription(id, (sub, item) => {
      item.current_period_start = item.current_period_end;
      item.current_period_end = item.current_period_start + PERIOD_SECONDS;
      sub.status = options.paid ? 'active' : 'past_due';
    });
    const invoice = this.invoice(subscription, options.paid ? 'paid' : 'open', 'subscription_cycle');
    const invoiceEvent = this.event(options.paid ? 'invoice.paid' : 'invoice.payment_failed', invoice);
    return { updated, invoiceEvent };
  }

  /** A retry of the open invoice succeeds: `invoice.paid`, and the subscription is active again. */
  recover(id: string) {
    const subscription = this.subscriptions.get(id)!;
    const invoice = this.invoices.get(String(subscription.latest_invoice))!;
    Object.assign(invoice, { status: 'paid', amount_paid: invoice.amount_due, amount_remaining: 0 });
    const paid = this.event('invoice.paid', invoice);
    const updated = this.updateSubscription(id, (sub) => {
      sub.status = 'active';
    });
    return { paid, updated };
  }

  /** An event of `type` carrying the subscription's current state (what Stripe sends after an API update). */
  subscriptionEvent(type: string, id: string) {
    return this.event(type, this.subscriptions.get(id)!);
  }

  /** The open Checkout Sessions' ids, newest last. */
  sessionIds(): string[] {
    return [...this.sessions.keys()];
  }
}

/** Starts a fake Stripe on a free port. */
export function startFakeStripe(): Promise<FakeStripe> {
  return new FakeStripe().listen();
}
