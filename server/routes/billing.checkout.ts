import type { Handler } from 'hono';
import { BillingCheckoutRequestSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { billingAccount, requireBilling } from '../billing/route-guards.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';

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
