import type { Context } from 'hono';
import type { Auth } from './auth/create-auth.ts';
import type { BillingService } from './billing/billing-service.ts';
import type { DatabaseHandle } from './db/client.ts';
import type { GenerationLedger } from './entitlements/generation-ledger.ts';
import type { UsageTokenSigner } from './entitlements/usage-token-signer.ts';
import type { ClientIpResolver } from './http/client-ip.ts';
import type { RateStore } from './http/rate-store.ts';
import type { Logger } from './logger.ts';
import type { Mailer } from './mail/mailer.ts';
import type { Metrics } from './metrics/metrics.ts';
import type { ErrorReporter } from './observability/error-reports.ts';
import type { CiTokenAuthenticator } from './tokens/ci-token-authenticator.ts';

/** Everything {@link createApp} needs; built by `createAppDeps` or by tests. */
export interface AppDeps {
  database: DatabaseHandle;
  auth: Auth;
  signer: UsageTokenSigner;
  /** Quota decisions and the usage ledger of `POST /v1/generations` (group commit). */
  generations: GenerationLedger;
  ciTokens: CiTokenAuthenticator;
  logger: Logger;
  /** Public URL without a trailing slash, e.g. `https://licence.specmint.dev`. */
  baseUrl: string;
  clock: () => Date;
  /** The client address as trusted (SPECMINT_TRUST_PROXY). */
  clientIp: ClientIpResolver;
  /** Whether the client used https (HSTS is sent only then). */
  isHttps: (c: Context) => boolean;
  /** Counters shared by every instance: rate limits of better-auth and of `/v1`. */
  rateStore: RateStore;
  /** Prometheus metrics of this process. */
  metrics: Metrics;
  /** METRICS_TOKEN: `GET /metrics` answers 404 without it. */
  metricsToken?: string | undefined;
  /** Unexpected errors go here (SENTRY_DSN). */
  errorReporter?: ErrorReporter | undefined;
  /** Requests per minute per account on `/v1`. */
  apiRateLimitPerMinute: number;
  /** Failed authentications per minute per client address before failures answer 429. */
  authFailuresPerMinute: number;
  /** Failures per minute of one presented credential before it answers 429. */
  authFailuresPerCredentialPerMinute: number;
  /** Largest accepted request body in bytes. */
  bodyLimitBytes: number;
  /** When set, `/internal/admin/*` accepts `Authorization: Bearer <adminSecret>` from loopback. */
  adminSecret?: string | undefined;
  /** Stripe billing; null when Stripe is not configured (billing endpoints answer 503 BILLING_NOT_CONFIGURED). */
  billing: BillingService | null;
  /** Lower-cased emails of the accounts that may read `GET /v1/admin/stats` (SPECMINT_ADMIN_EMAILS). */
  adminEmails: readonly string[];
  /** Verification and password-reset e-mail (SMTP_URL; links logged without it outside production). */
  mailer: Mailer;
}
