import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { BillingRedirectSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { billingAccount, requireBilling } from '../billing/route-guards.ts';
import type { AppEnv } from '../http/principal.ts';
import { json } from '../openapi/describe.ts';
import { BILLING_ERRORS } from './billing.checkout.ts';

/** `POST /v1/billing/portal` in /openapi.json. */
export const describeCreatePortal = describeRoute({
  operationId: 'createPortal',
  summary: 'Stripe Billing Portal URL (invoices, payment method, cancel)',
  responses: {
    '200': {
      description: 'The page to open',
      content: json('BillingRedirect', BillingRedirectSchema, 'output'),
    },
    ...BILLING_ERRORS,
  },
});

/**
 * `POST /v1/billing/portal`: `{url}` of a Stripe Billing Portal session (invoices, payment method,
 * cancel). The body is ignored. Session only; 503 BILLING_NOT_CONFIGURED without Stripe.
 */
export function createPortal(deps: Pick<AppDeps, 'billing'>): Handler<AppEnv> {
  return async (c) => {
    const billing = requireBilling(deps);
    const account = billingAccount(c.get('principal'));
    c.header('Cache-Control', 'no-store');
    return c.json(await billing.portal(account));
  };
}
