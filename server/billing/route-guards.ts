import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import type { Principal } from '../http/principal.ts';
import type { BillingService } from './billing-service.ts';
import type { BillingAccount } from './customer.ts';

/** The billing service, or 503 BILLING_NOT_CONFIGURED when the server runs without Stripe. */
export function requireBilling(deps: Pick<AppDeps, 'billing'>): BillingService {
  if (deps.billing) return deps.billing;
  throw new ApiError(
    'BILLING_NOT_CONFIGURED',
    'Billing is not configured on this server (no Stripe keys), so plans cannot be bought here. ' +
      'The operator can change plans with `specmint-server admin set-plan`.',
  );
}

/**
 * The account a billing request acts for. Only a signed-in user (session) may buy or manage a plan: a
 * CI token leaked from a pipeline must not be able to switch a subscription charged to the saved card.
 */
export function billingAccount(principal: Principal): BillingAccount {
  if (principal.kind !== 'session') {
    throw new ApiError(
      'FORBIDDEN',
      'CI tokens cannot manage billing; sign in (specmint login, or the dashboard) to do this.',
    );
  }
  return { userId: principal.userId, email: principal.email, name: principal.name };
}
