import Stripe from 'stripe';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import { ApiError } from '../http/api-error.ts';
import type { Logger } from '../logger.ts';
import type { BillingConfig } from './billing-config.ts';

/** Seconds clients wait before retrying when Stripe cannot be reached. */
export const STRIPE_RETRY_AFTER_SECONDS = 5;

/** The real Stripe SDK, pointed at `STRIPE_API_BASE` when set (tests run a local Stripe-compatible server). */
export function createStripeClient(config: Pick<BillingConfig, 'secretKey' | 'api'>): Stripe {
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'specmint-licence-server', version: SPECMINT_VERSION },
    ...(config.api ? { host: config.api.host, port: config.api.port, protocol: config.api.protocol } : {}),
  });
}

/**
 * Runs one Stripe call and turns its failures into API errors: Stripe unreachable or failing (network,
 * 5xx, rate limit) → 503 SERVICE_UNAVAILABLE with Retry-After; Stripe refusing the request (bad key,
 * unknown price) → logged as an operator problem and 503 too, since nothing the caller changes fixes it.
 */
export async function callStripe<T>(logger: Logger, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof Stripe.errors.StripeError)) throw error;
    const transient =
      error instanceof Stripe.errors.StripeConnectionError ||
      error instanceof Stripe.errors.StripeAPIError ||
      error instanceof Stripe.errors.StripeRateLimitError ||
      (error.statusCode ?? 500) >= 500;
    if (transient) {
      logger.warn('Stripe unavailable', { what, type: error.type, statusCode: error.statusCode });
      throw new ApiError('SERVICE_UNAVAILABLE', 'Stripe cannot be reached right now. Retry shortly.', {
        retryAfterSeconds: STRIPE_RETRY_AFTER_SECONDS,
      });
    }
    logger.error('Stripe refused a request: check the STRIPE_* settings', {
      what,
      type: error.type,
      code: error.code,
      statusCode: error.statusCode,
      message: error.message,
    });
    throw new ApiError(
      'SERVICE_UNAVAILABLE',
      `Billing is misconfigured on this server (Stripe answered: ${error.message}). Contact the operator.`,
    );
  }
}

/** Stripe's clock at the time of an API answer (its `Date` header), or null when absent. */
export function stripeClockOf(answer: object): Date | null {
  // The SDK adds `lastResponse` to every answer (Stripe.Response<T>).
  const { lastResponse } = answer as { lastResponse?: { headers?: Record<string, string> } };
  const headers = lastResponse?.headers ?? {};
  const value = headers.date ?? headers.Date;
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
