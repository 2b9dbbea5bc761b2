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
/** `specmint login`s polling at once from one address (an office behind NAT) that are never rate-limited. */
export const DEVICE_POLLERS_PER_ADDRESS = 10;

/** A rate-limit rule: at most `max` requests per `window` seconds per client IP and path. */
export interface AuthRateRule {
  window: number;
  max: number;
}

/** A duration better-auth's device plugin reads (`ms` syntax), e.g. `5s` or `15m`. */
export type DeviceDuration = `${number}s` | `${number}m`;

/**
 * The per-address rule for `POST /device/token` (polling). better-auth's memory limiter counts requests
 * until it sees a quiet gap of `window` seconds, so any fixed `{window: 60, max: N}` is eventually tripped
 * by polling at the interval (it was: 120 polls, 10 minutes into a 15-minute code). With
 * `window = interval / K`: each terminal waits at least `interval` between polls, so among any K + 1
 * consecutive polls from up to K terminals the gaps add up to at least `interval` and one of them is at
 * least `window`. The count restarts within every K + 1 polls and stays below `max = K + 2`, however long
 * they poll. A faster client is held to about `max / window` requests a second (24 at the 5-second
 * interval), and each code is still held to the interval by the plugin's own `slow_down` (RFC 8628 §3.5).
 */
export function devicePollRateRule(intervalSeconds: number): AuthRateRule {
  return {
    window: intervalSeconds / DEVICE_POLLERS_PER_ADDRESS,
    max: DEVICE_POLLERS_PER_ADDRESS + 2,
  };
}

function durationSeconds(duration: DeviceDuration): number {
  const value = Number.parseFloat(duration);
  return duration.endsWith('m') ? value * 60 : value;
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
  /** Device-code lifetime (tests shorten it). @default DEVICE_CODE_TTL */
  deviceCodeTtl?: DeviceDuration;
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
  const pollInterval = options.devicePollInterval ?? DEVICE_POLL_INTERVAL;
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
        // Polling at the interval from several terminals behind one address never trips this (see there).
        '/device/token': devicePollRateRule(durationSeconds(pollInterval)),
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
        expiresIn: options.deviceCodeTtl ?? DEVICE_CODE_TTL,
        interval: pollInterval,
        verificationUri: '/device',
        validateClient: (clientId) => clientId === CLI_CLIENT_ID,
      }),
      ...(options.extraPlugins ?? []),
    ],
  });
}

/** The configured better-auth instance. */
export type Auth = ReturnType<typeof createAuth>;
