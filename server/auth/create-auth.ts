import { type BetterAuthPlugin, type BetterAuthRateLimitStorage, betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { bearer } from 'better-auth/plugins/bearer';
import { deviceAuthorization } from 'better-auth/plugins/device-authorization';
import { CLI_CLIENT_ID } from '../../shared/contracts.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';
import type { OAuthClient } from '../env.ts';
import type { Logger } from '../logger.ts';

/** Header the server sets (overwriting any client value) with the client IP for better-auth's limiter. */
export const CLIENT_IP_HEADER = 'x-specmint-client-ip';

/** Lifetime of a device code (RFC 8628 `expires_in`); at most 15 minutes. */
export const DEVICE_CODE_TTL = '15m';
/** Minimum polling interval of the device flow; faster polling gets `slow_down`. */
export const DEVICE_POLL_INTERVAL = '5s';

/** A rate-limit rule: at most `max` requests per `window` seconds per client IP and path. */
export interface AuthRateRule {
  window: number;
  max: number;
}

/** Options of {@link createAuth}. */
export interface CreateAuthOptions {
  db: Database;
  /** better-auth's own log lines go here (as `auth: …`). */
  logger: Logger;
  /** Public URL of the server. */
  baseUrl: string;
  secret: string;
  github?: OAuthClient | undefined;
  google?: OAuthClient | undefined;
  /** Per-IP limits on sign-in and sign-up. @default { window: 60, max: 10 } */
  signInRateLimit?: AuthRateRule;
  /** Per-IP limit on user-code lookups (`GET /device`), against guessing. @default { window: 900, max: 10 } */
  userCodeRateLimit?: AuthRateRule;
  /** Device-flow polling interval (tests shorten it). @default DEVICE_POLL_INTERVAL */
  devicePollInterval?: `${number}s`;
  /** Where the per-IP counters live: shared by every instance (server/http/rate-store.ts). */
  rateLimitStorage: BetterAuthRateLimitStorage;
  /** Plugins added after SpecMint's own (the per-account sign-in throttle). */
  extraPlugins?: BetterAuthPlugin[];
}

/**
 * better-auth for SpecMint: email + password (GitHub/Google when configured), sessions usable as
 * `Authorization: Bearer` (bearer plugin), and RFC 8628 device authorization for `specmint login`.
 * Mounted at `/api/auth/*`.
 */
export function createAuth(options: CreateAuthOptions) {
  const signIn = options.signInRateLimit ?? { window: 60, max: 10 };
  const userCode = options.userCodeRateLimit ?? { window: 900, max: 10 };
  const socialProviders = {
    ...(options.github ? { github: options.github } : {}),
    ...(options.google ? { google: options.google } : {}),
  };
  return betterAuth({
    appName: 'SpecMint',
    baseURL: options.baseUrl,
    basePath: '/api/auth',
    secret: options.secret,
    trustedOrigins: [new URL(options.baseUrl).origin],
    database: drizzleAdapter(options.db, { provider: 'pg', schema, transaction: true }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    socialProviders,
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      customStorage: options.rateLimitStorage,
      window: 60,
      max: 120,
      customRules: {
        '/sign-in/*': signIn,
        '/sign-up/*': signIn,
        '/device': userCode,
        '/device/approve': userCode,
        '/device/deny': userCode,
        '/device/code': { window: 60, max: 20 },
        // Polling every 5 s from several terminals behind one address must not trip this.
        '/device/token': { window: 60, max: 120 },
      },
    },
    advanced: { ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] } },
    telemetry: { enabled: false },
    // Unexpected failures (database down…) propagate to the app's onError → error envelope / 503.
    onAPIError: { throw: true },
    logger: {
      level: 'warn',
      log: (level, message, ...args) => {
        const write =
          level === 'error'
            ? options.logger.error
            : level === 'warn'
              ? options.logger.warn
              : options.logger.info;
        write(`auth: ${message}`, args.length > 0 ? { details: args } : undefined);
      },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await options.db.insert(subscriptions).values({ userId: user.id }).onConflictDoNothing();
          },
        },
      },
    },
    plugins: [
      bearer(),
      deviceAuthorization({
        expiresIn: DEVICE_CODE_TTL,
        interval: options.devicePollInterval ?? DEVICE_POLL_INTERVAL,
        verificationUri: '/device',
        validateClient: (clientId) => clientId === CLI_CLIENT_ID,
      }),
      ...(options.extraPlugins ?? []),
    ],
  });
}

/** The configured better-auth instance. */
export type Auth = ReturnType<typeof createAuth>;
