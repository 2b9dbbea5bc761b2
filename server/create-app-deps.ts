import type { AppDeps } from './app-deps.ts';
import { type AuthRateRule, createAuth } from './auth/create-auth.ts';
import { resolveBillingConfig, type StripeSettings } from './billing/billing-config.ts';
import { createBillingService } from './billing/billing-service.ts';
import type { DatabaseHandle } from './db/client.ts';
import { createGenerationLedger, type GenerationLedgerOptions } from './entitlements/generation-ledger.ts';
import { createUsageTokenSigner } from './entitlements/usage-token-signer.ts';
import type { OAuthClient } from './env.ts';
import { type ClientIpResolver, createClientIpResolver } from './http/client-ip.ts';
import { DEFAULT_BODY_LIMIT_BYTES } from './http/read-body.ts';
import type { Logger } from './logger.ts';
import { createMailer, type MailSettings } from './mail/mailer.ts';
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
  /** Read the client IP from X-Forwarded-For. @default false */
  trustProxy?: boolean;
  /** Overrides IP resolution (tests). */
  clientIp?: ClientIpResolver;
  clock?: () => Date;
  adminSecret?: string;
  /** better-auth per-IP limits (tests raise them). */
  signInRateLimit?: AuthRateRule;
  userCodeRateLimit?: AuthRateRule;
  /** Device-flow polling interval such as `5s` (tests shorten it). */
  devicePollInterval?: `${number}s`;
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

/** Wires the services the app runs on: better-auth, the usage-token signer and the CI-token lookup. */
export async function createAppDeps(options: CreateAppDepsOptions): Promise<AppDeps> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const db = options.database.db;
  const clock = options.clock ?? (() => new Date());
  const ciTokens = createCiTokenAuthenticator({
    db,
    logger: options.logger,
    ...(options.ciTokenCacheTtlMs !== undefined ? { ttlMs: options.ciTokenCacheTtlMs } : {}),
  });
  const billingConfig = resolveBillingConfig(
    options.stripe,
    options.billingGraceDays !== undefined ? { graceDays: options.billingGraceDays } : {},
  );
  const signer = await createUsageTokenSigner(options.secrets.signingKeys);
  const mailer = await createMailer({ ...options.mail, baseUrl, logger: options.logger });
  return {
    database: options.database,
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
      mailer,
    }),
    mailer,
    signer,
    generations: createGenerationLedger({
      database: options.database,
      signer,
      logger: options.logger,
      ...(options.generationBatches ?? {}),
    }),
    ciTokens,
    logger: options.logger,
    baseUrl,
    clock,
    clientIp: options.clientIp ?? createClientIpResolver({ trustProxy: options.trustProxy ?? false }),
    apiRateLimitPerMinute: options.apiRateLimitPerMinute ?? 600,
    authFailuresPerMinute: options.authFailuresPerMinute ?? 30,
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
