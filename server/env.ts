import { resolve } from 'node:path';
import * as z from 'zod';
import { isCidr } from './http/cidr.ts';

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

/** The environment variables the server reads (DESIGN.md "Licence server"), validated once. */
const EnvSchema = z.object({
  NODE_ENV: optionalString,
  PORT: z.coerce.number().int().min(0).max(65_535).default(8787),
  /** Interface to listen on. @default 127.0.0.1 */
  HOST: optionalString,
  DATABASE_URL: optionalString.refine(
    (value) => value === undefined || /^postgres(ql)?:\/\//.test(value),
    'must be a postgres:// URL',
  ),
  SPECMINT_DATA_DIR: optionalString,
  SPECMINT_BASE_URL: optionalString.refine(
    (value) => value === undefined || URL.canParse(value),
    'must be an absolute URL such as https://licence.example.com',
  ),
  BETTER_AUTH_SECRET: optionalString.refine(
    (value) => value === undefined || value.length >= 32,
    'must be at least 32 characters',
  ),
  SPECMINT_SIGNING_KEY: optionalString.refine(
    (value) => value === undefined || value.includes('-----BEGIN PRIVATE KEY-----'),
    'must be one or more Ed25519 private keys in PKCS#8 PEM',
  ),
  STRIPE_SECRET_KEY: optionalString,
  STRIPE_WEBHOOK_SECRET: optionalString,
  STRIPE_PRICE_PRO: optionalString,
  STRIPE_PRICE_ENTERPRISE: optionalString,
  STRIPE_API_BASE: optionalString.refine(
    (value) => value === undefined || /^https?:\/\/[^/]+\/?$/.test(value),
    'must be a scheme and host such as http://127.0.0.1:12111 (no path)',
  ),
  /** Comma-separated emails of the accounts that may read `GET /v1/admin/stats`. */
  SPECMINT_ADMIN_EMAILS: optionalString,
  GITHUB_CLIENT_ID: optionalString,
  GITHUB_CLIENT_SECRET: optionalString,
  GOOGLE_CLIENT_ID: optionalString,
  GOOGLE_CLIENT_SECRET: optionalString,
  /** Requests per minute per account on /v1. @default 600 */
  SPECMINT_API_RATE_LIMIT: z.coerce.number().int().min(1).default(600),
  /** Proxies to trust for the client address: a number of hops, or a comma list of CIDRs/addresses. */
  SPECMINT_TRUST_PROXY: optionalString,
  /** Optional shared store for rate limits (redis:// or rediss://). */
  REDIS_URL: optionalString.refine(
    (value) => value === undefined || /^rediss?:\/\//.test(value),
    'must be a redis:// or rediss:// URL',
  ),
  /** Bearer token that `GET /metrics` requires; unset → /metrics answers 404 on the main port. */
  METRICS_TOKEN: optionalString.refine(
    (value) => value === undefined || value.length >= 16,
    'must be at least 16 characters',
  ),
  /** A second listener that serves only /metrics (for a private network). */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).optional(),
  /** Sentry DSN: unexpected errors are reported there. */
  SENTRY_DSN: optionalString.refine(
    (value) => value === undefined || URL.canParse(value),
    'must be a DSN URL such as https://key@o0.ingest.sentry.io/0',
  ),
  /** Set by Fly.io on its machines: its proxy's `Fly-Client-IP` header is then the client address. */
  FLY_APP_NAME: optionalString,
  SPECMINT_DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  SPECMINT_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Test only (refused in production): device-code lifetime in seconds instead of 900. */
  SPECMINT_TEST_DEVICE_CODE_TTL: z.coerce.number().int().min(2).max(900).optional(),
  /** Test only (refused in production): device-flow polling interval in seconds instead of 5. */
  SPECMINT_TEST_DEVICE_POLL_INTERVAL: z.coerce.number().int().min(1).max(60).optional(),
  /** SMTP server for verification and password-reset mail, e.g. smtp://user:pass@mail.example.com:587. */
  SMTP_URL: optionalString.refine(
    (value) => value === undefined || /^smtps?:\/\/[^/]+/.test(value),
    'must be an smtp:// or smtps:// URL such as smtp://user:password@mail.example.com:587',
  ),
  /** Sender of that mail, e.g. `SpecMint <no-reply@licence.example.com>`. */
  MAIL_FROM: optionalString,
});

/** An OAuth app's credentials. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** The validated, normalised server environment. */
export interface ServerEnv {
  production: boolean;
  port: number;
  host: string;
  databaseUrl: string | undefined;
  /** Absolute path of the data dir (embedded database, generated secrets). */
  dataDir: string;
  /** Public URL; defaults to http://localhost:PORT. */
  baseUrl: string | undefined;
  authSecret: string | undefined;
  signingKeyPem: string | undefined;
  stripe: {
    secretKey?: string;
    webhookSecret?: string;
    pricePro?: string;
    priceEnterprise?: string;
    apiBase?: string;
  };
  /** Lower-cased emails of operator accounts (SPECMINT_ADMIN_EMAILS). */
  adminEmails: string[];
  github: OAuthClient | undefined;
  google: OAuthClient | undefined;
  apiRateLimitPerMinute: number;
  /** Which proxies to believe about the client address and scheme (SPECMINT_TRUST_PROXY). */
  trustProxy: ProxyTrust;
  /** REDIS_URL: rate limits live in Redis instead of the database. */
  redisUrl: string | undefined;
  /** METRICS_TOKEN and METRICS_PORT. */
  metrics: { token: string | undefined; port: number | undefined };
  /** SENTRY_DSN. */
  sentryDsn: string | undefined;
  dbPoolMax: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Test-only device-flow timings (SPECMINT_TEST_DEVICE_*), in seconds; never set in production. */
  deviceFlowTest: { codeTtlSeconds?: number; pollIntervalSeconds?: number };
  /** SMTP_URL and MAIL_FROM (`production` decides what happens without SMTP). */
  mail: { smtpUrl: string | undefined; from: string | undefined; production: boolean };
}

/**
 * Proxies trusted for `X-Forwarded-For` / `X-Forwarded-Proto`: none, `hops` proxies reaching the server
 * from a private address (loopback, RFC 1918, unique-local), or the proxies at the listed addresses.
 * `flyClientIp`: on Fly.io, read Fly's own `Fly-Client-IP` header instead of counting hops.
 */
export type ProxyTrust =
  | { kind: 'none' }
  | { kind: 'hops'; hops: number; flyClientIp: boolean }
  | { kind: 'cidrs'; cidrs: string[] };

/** The environment is invalid; `problems` lists every problem at once. */
export class EnvError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid server environment:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'EnvError';
    this.problems = problems;
  }
}

function oauthClient(
  id: string | undefined,
  secret: string | undefined,
  name: string,
): OAuthClient | undefined {
  if (!id && !secret) return undefined;
  if (!id || !secret)
    throw new EnvError([`${name}_CLIENT_ID and ${name}_CLIENT_SECRET must be set together`]);
  return { clientId: id, clientSecret: secret };
}

/** Parses SPECMINT_TRUST_PROXY: unset/`0`/`false` → none; `N` (or `true`) → N hops; else a CIDR list. */
export function parseProxyTrust(value: string | undefined, onFly: boolean): ProxyTrust {
  const text = value?.trim().toLowerCase() ?? '';
  if (text === '' || text === '0' || text === 'false' || text === 'no') return { kind: 'none' };
  if (text === 'true' || text === 'yes') return { kind: 'hops', hops: 1, flyClientIp: onFly };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new EnvError(['SPECMINT_TRUST_PROXY: at most 10 hops']);
    return { kind: 'hops', hops, flyClientIp: onFly };
  }
  const cidrs = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const bad = cidrs.filter((cidr) => !isCidr(cidr));
  if (bad.length > 0) {
    throw new EnvError([
      `SPECMINT_TRUST_PROXY: ${bad.join(', ')} is not a hop count or an address/CIDR (e.g. 1, or 10.0.0.0/8,fd00::/8)`,
    ]);
  }
  return { kind: 'cidrs', cidrs };
}

/** Validates `source` (normally `process.env`) and returns the normalised settings. Throws {@link EnvError}. */
export function parseEnv(source: Record<string, string | undefined>): ServerEnv {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  if (
    production &&
    (env.SPECMINT_TEST_DEVICE_CODE_TTL !== undefined || env.SPECMINT_TEST_DEVICE_POLL_INTERVAL !== undefined)
  ) {
    throw new EnvError([
      'SPECMINT_TEST_DEVICE_CODE_TTL / SPECMINT_TEST_DEVICE_POLL_INTERVAL are for tests; unset them in production',
    ]);
  }
  return {
    production,
    port: env.PORT,
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL,
    dataDir: resolve(env.SPECMINT_DATA_DIR ?? '.specmint/server'),
    baseUrl: env.SPECMINT_BASE_URL?.replace(/\/+$/, ''),
    authSecret: env.BETTER_AUTH_SECRET,
    signingKeyPem: env.SPECMINT_SIGNING_KEY,
    stripe: {
      secretKey: env.STRIPE_SECRET_KEY,
      webhookSecret: env.STRIPE_WEBHOOK_SECRET,
      pricePro: env.STRIPE_PRICE_PRO,
      priceEnterprise: env.STRIPE_PRICE_ENTERPRISE,
      apiBase: env.STRIPE_API_BASE,
    },
    adminEmails: (env.SPECMINT_ADMIN_EMAILS ?? '')
      .split(',')
      .map((email) => email.trim().toLowerCase())
      .filter((email) => email !== ''),
    github: oauthClient(env.GITHUB_CLIENT_ID, env.GITHUB_CLIENT_SECRET, 'GITHUB'),
    google: oauthClient(env.GOOGLE_CLIENT_ID, env.GOOGLE_CLIENT_SECRET, 'GOOGLE'),
    apiRateLimitPerMinute: env.SPECMINT_API_RATE_LIMIT,
    trustProxy: parseProxyTrust(env.SPECMINT_TRUST_PROXY, env.FLY_APP_NAME !== undefined),
    redisUrl: env.REDIS_URL,
    metrics: { token: env.METRICS_TOKEN, port: env.METRICS_PORT },
    sentryDsn: env.SENTRY_DSN,
    dbPoolMax: env.SPECMINT_DB_POOL_MAX,
    logLevel: env.SPECMINT_LOG_LEVEL,
    deviceFlowTest: {
      ...(env.SPECMINT_TEST_DEVICE_CODE_TTL !== undefined
        ? { codeTtlSeconds: env.SPECMINT_TEST_DEVICE_CODE_TTL }
        : {}),
      ...(env.SPECMINT_TEST_DEVICE_POLL_INTERVAL !== undefined
        ? { pollIntervalSeconds: env.SPECMINT_TEST_DEVICE_POLL_INTERVAL }
        : {}),
    },
    mail: { smtpUrl: env.SMTP_URL, from: env.MAIL_FROM, production },
  };
}
