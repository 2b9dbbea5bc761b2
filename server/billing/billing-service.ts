import type Stripe from 'stripe';
import type { BillingRedirect, PaidPlanId } from '../../shared/contracts.ts';
import type { Database } from '../db/client.ts';
import { ApiError } from '../http/api-error.ts';
import type { Logger } from '../logger.ts';
import type { BillingConfig } from './billing-config.ts';
import { openPortal, startCheckout } from './checkout.ts';
import type { BillingAccount } from './customer.ts';
import { type EventOutcome, processStripeEvent } from './process-event.ts';
import { createStripeClient } from './stripe-client.ts';
import { StripeEventSchema } from './stripe-objects.ts';

/** Webhook signatures older than this are refused (replay protection), in seconds. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/** Stripe billing as the routes use it. */
export interface BillingService {
  /** A Checkout URL for `plan`, or the dashboard after switching an existing subscription. */
  checkout(account: BillingAccount, plan: PaidPlanId): Promise<BillingRedirect>;
  /** A Billing Portal URL. */
  portal(account: BillingAccount): Promise<BillingRedirect>;
  /**
   * Verifies a webhook's `Stripe-Signature` on the raw body (400 BAD_REQUEST when it fails) and applies
   * the event at most once. Throws on Stripe or database failures so Stripe redelivers.
   */
  handleWebhook(
    rawBody: Uint8Array,
    signature: string | undefined,
  ): Promise<{ id: string; outcome: EventOutcome }>;
}

/** Dependencies of {@link createBillingService}. */
export interface BillingServiceDeps {
  config: BillingConfig;
  db: Database;
  logger: Logger;
  clock: () => Date;
  baseUrl: string;
  /** Called after an account's plan or period changed (drops cached principals). */
  onAccountChanged: (userId: string) => void;
  /** A ready client (tests); by default one is made from `config`. */
  stripe?: Stripe;
}

function verify(
  stripe: Stripe,
  deps: BillingServiceDeps,
  rawBody: Uint8Array,
  signature: string | undefined,
) {
  if (!signature) throw new ApiError('BAD_REQUEST', 'Missing Stripe-Signature header.');
  // Stripe's SDK refuses a timestamp older than the tolerance but accepts any in the future; a
  // signature made for later (a leaked secret, a replay prepared in advance) is refused here too.
  const signedAt = Number(/(?:^|,)\s*t=(\d+)/.exec(signature)?.[1]);
  const nowSeconds = Math.floor(deps.clock().getTime() / 1000);
  if (Number.isFinite(signedAt) && signedAt - nowSeconds > WEBHOOK_TOLERANCE_SECONDS) {
    deps.logger.warn('Stripe webhook signature rejected', { reason: 'timestamp in the future', signedAt });
    throw new ApiError('BAD_REQUEST', 'Invalid Stripe-Signature: signature or timestamp does not verify.');
  }
  try {
    return stripe.webhooks.constructEvent(
      rawBody,
      signature,
      deps.config.webhookSecret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      deps.clock().getTime(),
    );
  } catch (error) {
    deps.logger.warn('Stripe webhook signature rejected', { reason: (error as Error).message });
    throw new ApiError('BAD_REQUEST', 'Invalid Stripe-Signature: signature or timestamp does not verify.');
  }
}

/** Creates the billing service on the real Stripe SDK. */
export function createBillingService(deps: BillingServiceDeps): BillingService {
  const stripe = deps.stripe ?? createStripeClient(deps.config);
  const shared = { ...deps, stripe };
  return {
    checkout: (account, plan) => startCheckout(shared, account, plan),
    portal: (account) => openPortal(shared, account),
    async handleWebhook(rawBody, signature) {
      const verified = verify(stripe, deps, rawBody, signature);
      const parsed = StripeEventSchema.safeParse(verified);
      if (!parsed.success) throw new ApiError('BAD_REQUEST', 'The webhook payload is not a Stripe event.');
      const event = parsed.data;
      const { outcome } = await processStripeEvent(shared, event);
      deps.logger.info('Stripe event', { event: event.id, type: event.type, outcome });
      return { id: event.id, outcome };
    },
  };
}
