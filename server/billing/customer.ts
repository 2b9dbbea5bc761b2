import type Stripe from 'stripe';
import type { Database } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { readCustomerId, storeCustomerId } from './billing-store.ts';
import { callStripe } from './stripe-client.ts';

/** The account a Stripe customer is made for. */
export interface BillingAccount {
  userId: string;
  email: string;
  name: string;
}

/**
 * The account's Stripe customer: the stored one, else a new one, stored at once. Created at most once per
 * account: concurrent first checkouts send the same idempotency key (Stripe answers both with one
 * customer), and the id is stored only where none is yet.
 */
export async function ensureCustomer(
  deps: { db: Database; stripe: Stripe; logger: Logger },
  account: BillingAccount,
): Promise<string> {
  const stored = await readCustomerId(deps.db, account.userId);
  if (stored) return stored;
  const customer = await callStripe(deps.logger, 'create customer', () =>
    deps.stripe.customers.create(
      { email: account.email, name: account.name, metadata: { userId: account.userId } },
      { idempotencyKey: `specmint-customer-${account.userId}` },
    ),
  );
  return storeCustomerId(deps.db, account.userId, customer.id);
}
