import type { MiddlewareHandler } from 'hono';
import { readSubscription } from '../accounts/subscription.ts';
import type { Auth } from '../auth/create-auth.ts';
import type { Database } from '../db/client.ts';
import { looksLikeCiToken } from '../tokens/ci-token.ts';
import type { CiTokenAuthenticator } from '../tokens/ci-token-authenticator.ts';
import { ApiError } from './api-error.ts';
import type { ClientIpResolver } from './client-ip.ts';
import type { AppEnv, Principal } from './principal.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** Dependencies of {@link authenticate}. */
export interface AuthenticateDeps {
  db: Database;
  auth: Auth;
  ciTokens: CiTokenAuthenticator;
  /** Counts failed authentications per client IP; over the limit → 429 before any lookup. */
  failures: RateLimiter;
  /** Requests per account. */
  accountLimiter: RateLimiter;
  clientIp: ClientIpResolver;
  /** Own origin: cookie-authenticated writes must come from it. */
  origin: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function unauthenticated(): ApiError {
  return new ApiError(
    'UNAUTHENTICATED',
    'Missing, invalid, expired or revoked credentials. Run `specmint login`, or set SPECMINT_TOKEN to a CI token.',
  );
}

async function sessionPrincipal(deps: AuthenticateDeps, headers: Headers, viaCookie: boolean) {
  const session = await deps.auth.api.getSession({ headers });
  if (!session) return null;
  const subscription = await readSubscription(deps.db, session.user.id);
  const principal: Principal = {
    userId: session.user.id,
    email: session.user.email,
    name: session.user.name,
    userCreatedAt: new Date(session.user.createdAt),
    ...subscription,
    kind: 'session',
    tokenId: null,
    viaCookie,
  };
  return principal;
}

/** The principal for the request's credentials, or null when they are missing or invalid. */
async function resolvePrincipal(deps: AuthenticateDeps, headers: Headers): Promise<Principal | null> {
  const authorization = headers.get('authorization');
  if (authorization === null) return sessionPrincipal(deps, headers, true);
  const bearer = authorization.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer === undefined) return null;
  if (looksLikeCiToken(bearer)) return deps.ciTokens.authenticate(bearer);
  // A malformed CI token never reaches the session store.
  if (bearer.startsWith('smk_')) return null;
  return sessionPrincipal(deps, headers, false);
}

/**
 * Authenticates `/v1` requests: `Authorization: Bearer smk_…` (CI token), `Authorization: Bearer
 * <session token>` (device login) or the session cookie (browser; writes must carry our Origin).
 * Sets `principal`; 401 UNAUTHENTICATED otherwise; 429 after repeated failures from one address or too
 * many requests from one account.
 */
export function authenticate(deps: AuthenticateDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const ip = deps.clientIp(c);
    const blocked = deps.failures.peek(ip);
    if (!blocked.allowed) {
      throw new ApiError('RATE_LIMITED', 'Too many failed authentication attempts. Try again later.', {
        retryAfterSeconds: blocked.retryAfterSeconds,
      });
    }
    const principal = await resolvePrincipal(deps, c.req.raw.headers);
    if (!principal) {
      deps.failures.consume(ip);
      throw unauthenticated();
    }
    if (principal.viaCookie && !SAFE_METHODS.has(c.req.method) && c.req.header('origin') !== deps.origin) {
      throw new ApiError(
        'CSRF_FAILED',
        'Cross-origin request refused: the Origin header must be this server.',
      );
    }
    const quota = deps.accountLimiter.consume(principal.userId);
    if (!quota.allowed) {
      throw new ApiError('RATE_LIMITED', 'Too many requests for this account. Slow down and retry.', {
        retryAfterSeconds: quota.retryAfterSeconds,
      });
    }
    c.set('principal', principal);
    await next();
  };
}
