import { APIError, type BetterAuthPlugin, type BetterAuthRateLimitStorage, betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { createAuthMiddleware } from 'better-auth/api';
import { bearer } from 'better-auth/plugins/bearer';
import { deviceAuthorization } from 'better-auth/plugins/device-authorization';
import { CLI_CLIENT_ID } from '../../shared/contracts.ts';
import { mailboxKey, oauthIdentityKey } from '../accounts/mailbox-key.ts';
import { carryOverUsage, findMailboxOwner, registerMailbox } from '../accounts/usage-carry-over.ts';
import type { Database } from '../db/client.ts';
import * as schema from '../db/schema/index.ts';
import { subscriptions } from '../db/schema/subscriptions.ts';
import type { OAuthClient } from '../env.ts';
import type { Logger } from '../logger.ts';
import type { Mailer, MailMessage } from '../mail/mailer.ts';
import { passwordResetMessage, verificationMessage } from '../mail/messages.ts';

/** Header the server sets (overwriting any client value) with the client IP for better-auth's limiter. */
export const CLIENT_IP_HEADER = 'x-specmint-client-ip';

/** Lifetime of a device code (RFC 8628 `expires_in`); at most 15 minutes. */
export const DEVICE_CODE_TTL = '15m';
/** How long an e-mail verification link works (seconds). */
export const VERIFY_EMAIL_TTL_SECONDS = 24 * 60 * 60;
/** How long a password-reset link works (seconds); it works once. */
export const RESET_PASSWORD_TTL_SECONDS = 60 * 60;
/** better-auth error code of a sign-up whose mailbox (normalised e-mail) already has an account. */
export const MAILBOX_TAKEN = 'MAILBOX_ALREADY_REGISTERED';

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
  /** Sends verification and password-reset e-mail (server/mail). */
  mailer: Mailer;
}

/**
 * Hands a message to the mailer without waiting: a sign-up or a reset request answers at once whatever the
 * SMTP server does (and as fast for unknown addresses as for known ones). Failures are logged.
 */
function deliver(options: CreateAuthOptions, message: MailMessage): void {
  options.mailer.send(message).catch((error: unknown) => {
    options.logger.error('e-mail could not be sent', { subject: message.subject, error });
  });
}

/** Account hooks: one account per mailbox at sign-up; quota carried over from deleted accounts. */
function accountHooks(options: CreateAuthOptions) {
  const { db, logger } = options;
  // Runs after the account is committed: a failure is logged (the sign-up itself succeeded).
  const carryOver = (userId: string, identityKey: string) =>
    carryOverUsage(db, userId, identityKey).then(
      (carried) => {
        if (carried > 0) logger.info('usage carried over from a deleted account', { userId, carried });
      },
      (error: unknown) =>
        logger.error('could not carry usage over from a deleted account', { userId, error }),
    );
  return {
    user: {
      create: {
        after: async (user: { id: string; email: string }) => {
          await db.insert(subscriptions).values({ userId: user.id }).onConflictDoNothing();
          await registerMailbox(db, user);
          await carryOver(user.id, mailboxKey(user.email));
        },
      },
    },
    account: {
      create: {
        after: async (account: { userId: string; providerId: string; accountId: string }) => {
          if (account.providerId === 'credential') return;
          await carryOver(account.userId, oauthIdentityKey(account.providerId, account.accountId));
        },
      },
    },
  };
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
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      autoSignIn: true,
      // Signing in never needs a verified address; generating on the Free plan does (the ledger checks).
      requireEmailVerification: false,
      resetPasswordTokenExpiresIn: RESET_PASSWORD_TTL_SECONDS,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: async ({ user, token }) => {
        deliver(
          options,
          passwordResetMessage({
            to: user.email,
            name: user.name,
            link: `${options.baseUrl}/reset-password?token=${encodeURIComponent(token)}`,
            minutes: RESET_PASSWORD_TTL_SECONDS / 60,
          }),
        );
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      expiresIn: VERIFY_EMAIL_TTL_SECONDS,
      sendVerificationEmail: async ({ user, token }) => {
        deliver(
          options,
          verificationMessage({
            to: user.email,
            name: user.name,
            link: `${options.baseUrl}/verify-email?token=${encodeURIComponent(token)}`,
            hours: VERIFY_EMAIL_TTL_SECONDS / 3600,
          }),
        );
      },
    },
    hooks: {
      // One account per mailbox: `ann+2@gmail.com` is refused while `ann@gmail.com` has an account.
      before: createAuthMiddleware(async (ctx) => {
        if (ctx.path !== '/sign-up/email' || typeof ctx.body?.email !== 'string') return;
        if (await findMailboxOwner(options.db, ctx.body.email)) {
          throw APIError.from('UNPROCESSABLE_ENTITY', {
            code: MAILBOX_TAKEN,
            message:
              'An account already uses this mailbox (the same address with or without a +tag). Sign in instead.',
          });
        }
      }),
    },
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
    databaseHooks: accountHooks(options),
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
