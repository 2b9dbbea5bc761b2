import type { BetterAuthRateLimitStorage } from 'better-auth';
import type { AppDeps } from './app-deps.ts';
import { type AuthRateRule, createAuth, type DeviceDuration } from './auth/create-auth.ts';
import { resolveBillingConfig, type StripeSettings } from './billing/billing-config.ts';
import { createBillingService } from './billing/billing-service.ts';
import type { DatabaseHandle } from './db/client.ts';
import { createGenerationLedger, type GenerationLedgerOptions } from './entitlements/generation-ledger.ts';
import { createUsageTokenSigner } from './entitlements/usage-token-signer.ts';
import type { OAuthClient, ProxyTrust } from './env.ts';
import { type ClientIpResolver, createProxyResolver } from './http/client-ip.ts';
import type { RateStore } from './http/rate-store.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from './http/read-body.ts';
import { signInThrottle } from './http/sign-in-throttle.ts';
import { createSqlRateStore } from './http/sql-rate-store.ts';
import type { Logger } from './logger.ts';
import { createMailer, type MailSettings } from './mail/mailer.ts';
import { instrumentDatabase } from './metrics/instrument-database.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import type { ErrorReporter } from './observability/error-reports.ts';
import type { ServerSecrets } from './secrets.ts';
import { createCiTokenAuthenticator } from './tokens/ci-token-authenticator.ts';

/** Options of {@link createAppDeps}. */
export interface CreateAppDepsOptions {
  database: DatabaseHandle;
  secrets: ServerSecrets;
  /** Public URL of the server. */
  baseUrl: string;
  logger: Logger;
  github?: OAuthClient | undefined;
  google?: OAuthClient | undefined;
  /** @default 600 */
  apiRateLimitPerMinute?: number;
  /** @default 30 */
  authFailuresPerMinute?: number;
  /** @default 65536 */
  bodyLimitBytes?: number;
  /** Proxies trusted for the client address and scheme (SPECMINT_TRUST_PROXY). @default none */
  trustProxy?: ProxyTrust;
  /** Overrides IP resolution (tests). */
  clientIp?: ClientIpResolver;
  /** Where rate limits are counted. @default the `rate_limits` table of `database` */
  rateStore?: RateStore;
  /** Prometheus metrics. @default a fresh registry without process metrics */
  metrics?: Metrics;
  /** METRICS_TOKEN. */
  metricsToken?: string | undefined;
  /** Unexpected errors are reported here (SENTRY_DSN). */
  errorReporter?: ErrorReporter | undefined;
  /** Failures per minute of one presented credential on `/v1`. @default 20 */
  authFailuresPerCredentialPerMinute?: number;
  /** Password sign-ins per account that did not succeed, per window. @default { window: 900, max: 10 } */
  signInAccountRateLimit?: AuthRateRule;
  clock?: () => Date;
  adminSecret?: string;
  /** better-auth per-IP limits (tests raise them). */
  signInRateLimit?: AuthRateRule;
  userCodeRateLimit?: AuthRateRule;
  /** Device-flow polling interval such as `5s` (tests shorten it). */
  devicePollInterval?: `${number}s`;
  /** Device-code lifetime such as `15m` (tests shorten it). */
  deviceCodeTtl?: DeviceDuration;
  /** Group commit of `POST /v1/generations` (see createGenerationLedger). */
  generationBatches?: Pick<GenerationLedgerOptions, 'maxBatchSize' | 'maxConcurrentBatches'>;
  /** CI-token lookup cache lifetime. @default 5000 */
  ciTokenCacheTtlMs?: number;
  /** Stripe settings (`env.stripe`); billing is off when absent or empty. */
  stripe?: StripeSettings | undefined;
  /** Days a past_due subscription keeps its plan. @default 7 */
  billingGraceDays?: number;
  /** Emails of the accounts that may read `GET /v1/admin/stats` (`env.adminEmails`). @default [] */
  adminEmails?: readonly string[];
  /** Verification and password-reset e-mail (`env.mail`). Without `smtpUrl`, links are logged outside production. */
  mail?: MailSettings;
}

/** better-auth's per-address limits, counted in the shared store (and 429s counted in the metrics). */
function betterAuthStorage(store: RateStore, metrics: Metrics): BetterAuthRateLimitStorage {
  return {
    async consume(key, rule) {
      const decision = await store.consume(`auth:${key}`, { max: rule.max, windowMs: rule.window * 1000 });
      if (decision.allowed) return { allowed: true, retryAfter: null };
      metrics.rateLimitHits.inc({ limiter: 'auth-ip' });
      return { allowed: false, retryAfter: decision.retryAfterSeconds };
    },
  };
}

/** Wires the services the app runs on: better-auth, the usage-token signer and the CI-token lookup. */
export async function createAppDeps(options: CreateAppDepsOptions): Promise<AppDeps> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const metrics = options.metrics ?? createMetrics();
  const database = instrumentDatabase(options.database, metrics);
  const db = database.db;
  const clock = options.clock ?? (() => new Date());
  const ciTokens = createCiTokenAuthenticator({
    db,
    logger: options.logger,
    channel: database,
    clock: () => clock().getTime(),
    ...(options.ciTokenCacheTtlMs !== undefined ? { ttlMs: options.ciTokenCacheTtlMs } : {}),
  });
  await ciTokens.listen();
  const rateStore = options.rateStore ?? createSqlRateStore({ database, logger: options.logger });
  const proxy = createProxyResolver(options.trustProxy ?? { kind: 'none' });
  const signInAccount = options.signInAccountRateLimit ?? { window: 900, max: 10 };
  const billingConfig = resolveBillingConfig(
    options.stripe,
    options.billingGraceDays !== undefined ? { graceDays: options.billingGraceDays } : {},
  );
  const signer = await createUsageTokenSigner(options.secrets.signingKeys);
  const mailer = await createMailer({ ...options.mail, baseUrl, logger: options.logger });
  return {
    database,
    auth: createAuth({
      db,
      logger: options.logger,
      baseUrl,
      secret: options.secrets.authSecret,
      github: options.github,
      google: options.google,
      ...(options.signInRateLimit ? { signInRateLimit: options.signInRateLimit } : {}),
      ...(options.userCodeRateLimit ? { userCodeRateLimit: options.userCodeRateLimit } : {}),
      ...(options.devicePollInterval ? { devicePollInterval: options.devicePollInterval } : {}),
      ...(options.deviceCodeTtl ? { deviceCodeTtl: options.deviceCodeTtl } : {}),
      rateLimitStorage: betterAuthStorage(rateStore, metrics),
      extraPlugins: [
        signInThrottle({
          store: rateStore,
          rule: { max: signInAccount.max, windowMs: signInAccount.window * 1000 },
          onLimited: () => metrics.rateLimitHits.inc({ limiter: 'sign-in-account' }),
        }),
      ],
      mailer,
    }),
    mailer,
    signer,
    generations: createGenerationLedger({
      database,
      signer,
      logger: options.logger,
      ...(options.generationBatches ?? {}),
    }),
    ciTokens,
    logger: options.logger,
    baseUrl,
    clock,
    clientIp: options.clientIp ?? proxy.clientIp,
    isHttps: proxy.isHttps,
    rateStore,
    metrics,
    metricsToken: options.metricsToken,
    errorReporter: options.errorReporter,
    apiRateLimitPerMinute: options.apiRateLimitPerMinute ?? 600,
    authFailuresPerMinute: options.authFailuresPerMinute ?? 30,
    authFailuresPerCredentialPerMinute: options.authFailuresPerCredentialPerMinute ?? 20,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    adminSecret: options.adminSecret,
    billing: billingConfig
      ? createBillingService({
          config: billingConfig,
          db,
          logger: options.logger,
          clock,
          baseUrl,
          onAccountChanged: (userId) => ciTokens.forgetUser(userId),
        })
      : null,
    adminEmails: (options.adminEmails ?? []).map((email) => email.toLowerCase()),
  };
}
