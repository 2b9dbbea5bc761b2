import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { BillingCheckoutRequestSchema, BillingRedirectSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { billingAccount, requireBilling } from '../billing/route-guards.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';
import { error, json } from '../openapi/describe.ts';

/** The failures of both billing routes. */
export const BILLING_ERRORS = {
  '401': error('UNAUTHENTICATED'),
  '403': error('FORBIDDEN: CI tokens cannot manage billing'),
  '429': error('RATE_LIMITED (see Retry-After)'),
  '503': error(
    'BILLING_NOT_CONFIGURED (no Stripe on this server) / SERVICE_UNAVAILABLE (Stripe unreachable)',
  ),
};

/** `POST /v1/billing/checkout` in /openapi.json. */
export const describeCreateCheckout = describeRoute({
  operationId: 'createCheckout',
  summary: 'Stripe Checkout URL for a paid plan (an existing subscription is switched in place)',
  requestBody: {
    required: true,
    content: json('BillingCheckoutRequest', BillingCheckoutRequestSchema, 'input'),
  },
  responses: {
    '200': {
      description: 'The page to open',
      content: json('BillingRedirect', BillingRedirectSchema, 'output'),
    },
    '400': error('VALIDATION_FAILED'),
    '409': error('CONFLICT: already on this plan'),
    ...BILLING_ERRORS,
  },
});

/**
 * `POST /v1/billing/checkout {plan}`: `{url}` of a Stripe Checkout page for the plan, or of the dashboard
 * when an existing subscription was switched in place. Session only; 503 BILLING_NOT_CONFIGURED without
 * Stripe.
 */
export function createCheckout(deps: Pick<AppDeps, 'billing' | 'bodyLimitBytes'>): Handler<AppEnv> {
  return async (c) => {
    const billing = requireBilling(deps);
    const account = billingAccount(c.get('principal'));
    const { plan } = await parseJsonBody(c, BillingCheckoutRequestSchema, deps.bodyLimitBytes);
    c.header('Cache-Control', 'no-store');
    return c.json(await billing.checkout(account, plan));
  };
}
