import type { BetterAuthPlugin } from 'better-auth';
import { APIError, createAuthMiddleware, isAPIError } from 'better-auth/api';
import type { RateRule, RateStore } from './rate-store.ts';

/** Options of {@link signInThrottle}. */
export interface SignInThrottleOptions {
  store: RateStore;
  /** Attempts per account and window that did not succeed. */
  rule: RateRule;
  /** Called when an attempt is refused (metrics). */
  onLimited?: () => void;
}

const SIGN_IN_PATH = '/sign-in/email';
/** Marks a 429 of this throttle (per account), as opposed to better-auth's per-address limit. */
export const LIMIT_HEADER = 'X-SpecMint-Limit';

function accountKey(body: unknown): string | null {
  const email = (body as { email?: unknown } | undefined)?.email;
  if (typeof email !== 'string' || email.trim() === '') return null;
  return `signin:${email.trim().toLowerCase()}`;
}

/**
 * A better-auth plugin that throttles password sign-in per account, beside better-auth's own per-address
 * limit: guesses spread over many addresses (or many instances) still stop at `rule.max` per window.
 * Every attempt is counted before the password is checked (atomically, in the shared store, so parallel
 * guesses cannot slip past), and a successful sign-in takes its count back: the account's owner does not
 * use up the allowance, only failures do.
 */
export function signInThrottle(options: SignInThrottleOptions): BetterAuthPlugin {
  const { store, rule } = options;
  const matcher = (context: { path?: string }) => context.path === SIGN_IN_PATH;
  return {
    id: 'specmint-sign-in-throttle',
    hooks: {
      before: [
        {
          matcher,
          handler: createAuthMiddleware(async (ctx) => {
            const key = accountKey(ctx.body);
            if (!key) return;
            const decision = await store.consume(key, rule);
            if (decision.allowed) return;
            options.onLimited?.();
            throw new APIError(
              'TOO_MANY_REQUESTS',
              { message: 'Too many sign-in attempts for this account. Try again later.' },
              { 'X-Retry-After': String(decision.retryAfterSeconds), [LIMIT_HEADER]: 'account' },
            );
          }),
        },
      ],
      after: [
        {
          matcher,
          handler: createAuthMiddleware(async (ctx) => {
            const key = accountKey(ctx.body);
            if (key && !isAPIError(ctx.context.returned)) await store.refund(key);
          }),
        },
      ],
    },
  };
}
