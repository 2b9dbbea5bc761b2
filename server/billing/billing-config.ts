import type { PaidPlanId } from '../../shared/contracts.ts';
import { EnvError, type ServerEnv } from '../env.ts';

/** The Stripe settings as the environment gives them (`ServerEnv['stripe']`). */
export type StripeSettings = ServerEnv['stripe'];

/** Where the Stripe SDK sends requests (`STRIPE_API_BASE`, e.g. a local server in tests). */
export interface StripeApiAddress {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** A complete billing configuration. */
export interface BillingConfig {
  secretKey: string;
  webhookSecret: string;
  /** Stripe price id of each paid plan. */
  prices: Record<PaidPlanId, string>;
  /** Overrides api.stripe.com (tests, stripe-mock). */
  api: StripeApiAddress | undefined;
  /** Days a past_due subscription keeps its plan after the first failed payment. @default 7 */
  graceDays: number;
}

/** Days of grace after the first failed payment. */
export const DEFAULT_GRACE_DAYS = 7;

/** Parses `http://host:port` into the SDK's `host`/`port`/`protocol` options. */
export function parseStripeApiBase(base: string): StripeApiAddress {
  const url = new URL(base);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new EnvError([`STRIPE_API_BASE: must be http:// or https://, got ${url.protocol}`]);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443,
    protocol,
  };
}

/**
 * The billing configuration, or `undefined` when Stripe is not configured at all (billing endpoints then
 * answer 503 BILLING_NOT_CONFIGURED). A partial configuration is an operator mistake: throws
 * {@link EnvError} naming every missing variable.
 */
export function resolveBillingConfig(
  settings: StripeSettings | undefined,
  options: { graceDays?: number } = {},
): BillingConfig | undefined {
  if (!settings) return undefined;
  const values = {
    STRIPE_SECRET_KEY: settings.secretKey,
    STRIPE_WEBHOOK_SECRET: settings.webhookSecret,
    STRIPE_PRICE_PRO: settings.pricePro,
    STRIPE_PRICE_ENTERPRISE: settings.priceEnterprise,
  };
  const missing = Object.entries(values)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length === Object.keys(values).length) return undefined;
  if (missing.length > 0) {
    throw new EnvError(
      missing.map(
        (name) => `${name} is required when any STRIPE_* variable is set (billing is half configured)`,
      ),
    );
  }
  if (settings.pricePro === settings.priceEnterprise) {
    throw new EnvError(['STRIPE_PRICE_PRO and STRIPE_PRICE_ENTERPRISE must be different prices']);
  }
  return {
    secretKey: settings.secretKey!,
    webhookSecret: settings.webhookSecret!,
    prices: { pro: settings.pricePro!, enterprise: settings.priceEnterprise! },
    api: settings.apiBase ? parseStripeApiBase(settings.apiBase) : undefined,
    graceDays: options.graceDays ?? DEFAULT_GRACE_DAYS,
  };
}

/** The paid plan a Stripe price id stands for, or null for a price this server does not sell. */
export function planForPrice(
  config: Pick<BillingConfig, 'prices'>,
  priceId: string | null,
): PaidPlanId | null {
  if (priceId === config.prices.pro) return 'pro';
  if (priceId === config.prices.enterprise) return 'enterprise';
  return null;
}
