import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { readSubscription } from '../accounts/subscription.ts';
import type { Auth } from '../auth/create-auth.ts';
import type { Database } from '../db/client.ts';
import { looksLikeCiToken } from '../tokens/ci-token.ts';
import type { CiTokenAuthenticator } from '../tokens/ci-token-authenticator.ts';
import { ApiError } from './api-error.ts';
import type { ClientIpResolver } from './client-ip.ts';
import type { AppEnv, Principal } from './principal.ts';
import type { RateStore } from './rate-store.ts';

/** Dependencies of {@link authenticate}. */
export interface AuthenticateDeps {
  db: Database;
  auth: Auth;
  ciTokens: CiTokenAuthenticator;
  /** Shared counters (database or Redis): every instance sees the same counts. */
  rateStore: RateStore;
  /** Failed authentications per client address per minute; beyond, failures answer 429. */
  failuresPerIpPerMinute: number;
  /** Failures of one presented credential per minute; beyond, it answers 429 (a retry loop). */
  failuresPerCredentialPerMinute: number;
  /** Requests per account per minute. */
  requestsPerAccountPerMinute: number;
  clientIp: ClientIpResolver;
  /** Own origin: cookie-authenticated writes must come from it. */
  origin: string;
  /** Counts 429 answers by limiter. */
  onRateLimited?: (limiter: 'auth-failures-ip' | 'auth-failures-credential' | 'account-requests') => void;
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

/** The key of a presented credential in the failure counters: a hash, never the credential itself. */
function credentialKey(headers: Headers): string {
  const presented = headers.get('authorization') ?? headers.get('cookie') ?? '';
  return createHash('sha256').update(presented).digest('base64url').slice(0, 22);
}

const MINUTE_MS = 60_000;

/**
 * Authenticates `/v1` requests: `Authorization: Bearer smk_…` (CI token), `Authorization: Bearer
 * <session token>` (device login) or the session cookie (browser; writes must carry our Origin).
 * Sets `principal`; 401 UNAUTHENTICATED otherwise; 429 RATE_LIMITED for too many requests per account.
 *
 * Failures are counted per client address and per presented credential, and beyond either limit a
 * failing request answers 429 instead of 401 — but a request with a valid credential is always looked
 * up and let through, so a stream of bad tokens from one address (a misconfigured CI runner, an
 * attacker behind the same NAT) never locks out a valid user there. Guessing stays pointless: CI tokens
 * and session tokens carry 256 bits of randomness.
 */
export function authenticate(deps: AuthenticateDeps): MiddlewareHandler<AppEnv> {
  const perIp = { max: deps.failuresPerIpPerMinute, windowMs: MINUTE_MS };
  const perCredential = { max: deps.failuresPerCredentialPerMinute, windowMs: MINUTE_MS };
  const perAccount = { max: deps.requestsPerAccountPerMinute, windowMs: MINUTE_MS };
  return async (c, next) => {
    const principal = await resolvePrincipal(deps, c.req.raw.headers);
    if (!principal) {
      const [ip, credential] = await Promise.all([
        deps.rateStore.consume(`authfail:ip:${deps.clientIp(c)}`, perIp),
        deps.rateStore.consume(`authfail:cred:${credentialKey(c.req.raw.headers)}`, perCredential),
      ]);
      const blocked = !credential.allowed ? credential : !ip.allowed ? ip : null;
      if (blocked) {
        deps.onRateLimited?.(!credential.allowed ? 'auth-failures-credential' : 'auth-failures-ip');
        throw new ApiError('RATE_LIMITED', 'Too many failed authentication attempts. Try again later.', {
          retryAfterSeconds: blocked.retryAfterSeconds,
        });
      }
      throw unauthenticated();
    }
    if (principal.viaCookie && !SAFE_METHODS.has(c.req.method) && c.req.header('origin') !== deps.origin) {
      throw new ApiError(
        'CSRF_FAILED',
        'Cross-origin request refused: the Origin header must be this server.',
      );
    }
    const quota = await deps.rateStore.consume(`acct:${principal.userId}`, perAccount);
    if (!quota.allowed) {
      deps.onRateLimited?.('account-requests');
      throw new ApiError('RATE_LIMITED', 'Too many requests for this account. Slow down and retry.', {
        retryAfterSeconds: quota.retryAfterSeconds,
      });
    }
    c.set('principal', principal);
    await next();
  };
}
