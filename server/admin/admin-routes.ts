import { timingSafeEqual } from 'node:crypto';
import type { Handler, MiddlewareHandler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { AdminStatsSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';
import { error, json } from '../openapi/describe.ts';
import {
  adminCreateToken,
  adminCreateUser,
  adminSetPlan,
  CreateTokenInputSchema,
  CreateUserInputSchema,
  SetPlanInputSchema,
} from './admin-actions.ts';
import { readBillingStats } from './admin-stats.ts';

/*
 * The operator's HTTP surface: `/internal/admin/*` (loopback and the data dir's secret), which the embedded
 * server's `specmint-server admin …` commands reach when the server holds the database, and
 * `GET /v1/admin/stats` (sessions of SPECMINT_ADMIN_EMAILS accounts). The actions are in admin-actions.ts,
 * the stats in admin-stats.ts, the command in server/commands/admin.ts.
 */

/** The whole loopback range: 127.0.0.0/8, ::1, and IPv4-mapped 127.x addresses. */
function isLoopback(ip: string): boolean {
  return ip === '::1' || /^(::ffff:)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip);
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Guards `/internal/admin/*`: the embedded server's `admin` commands reach it from the same machine
 * with the secret stored in the data dir. Answers 404 when not enabled or not loopback.
 */
export function requireAdmin(deps: Pick<AppDeps, 'adminSecret' | 'clientIp'>): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!deps.adminSecret || !isLoopback(deps.clientIp(c))) {
      throw new ApiError('NOT_FOUND', `No route for ${c.req.method} ${c.req.path}.`);
    }
    const given = c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '';
    if (!sameSecret(given, deps.adminSecret)) throw new ApiError('UNAUTHENTICATED', 'Bad admin credentials.');
    await next();
  };
}

type Deps = Pick<AppDeps, 'database' | 'auth' | 'ciTokens' | 'baseUrl'>;

/** `POST /internal/admin/users`. */
export function adminCreateUserRoute(deps: Deps): Handler<AppEnv> {
  return async (c) => c.json(await adminCreateUser(deps, await parseJsonBody(c, CreateUserInputSchema)), 201);
}

/** `POST /internal/admin/plan`. */
export function adminSetPlanRoute(deps: Deps): Handler<AppEnv> {
  return async (c) => c.json(await adminSetPlan(deps, await parseJsonBody(c, SetPlanInputSchema)));
}

/** `POST /internal/admin/tokens`. */
export function adminCreateTokenRoute(deps: Deps): Handler<AppEnv> {
  return async (c) =>
    c.json(await adminCreateToken(deps, await parseJsonBody(c, CreateTokenInputSchema)), 201);
}

/** `GET /v1/admin/stats` in /openapi.json. */
export const describeGetAdminStats = describeRoute({
  operationId: 'getAdminStats',
  summary: 'Billing stats for operators (sessions of SPECMINT_ADMIN_EMAILS accounts)',
  responses: {
    '200': { description: 'OK', content: json('AdminStats', AdminStatsSchema, 'output') },
    '401': error('UNAUTHENTICATED'),
    '403': error('FORBIDDEN: not an operator account'),
  },
});

/**
 * `GET /v1/admin/stats`: the operator's billing view (the JSON of `specmint-server admin stats`). Only for
 * a signed-in session of an account listed in SPECMINT_ADMIN_EMAILS; everyone else gets 403.
 */
export function getAdminStats(deps: Pick<AppDeps, 'database' | 'clock' | 'adminEmails'>): Handler<AppEnv> {
  const admins = new Set(deps.adminEmails.map((email) => email.toLowerCase()));
  return async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'session' || !admins.has(principal.email.toLowerCase())) {
      throw new ApiError(
        'FORBIDDEN',
        'Operators only: sign in with an account listed in SPECMINT_ADMIN_EMAILS (CI tokens are not accepted).',
      );
    }
    c.header('Cache-Control', 'no-store');
    return c.json(await readBillingStats(deps.database.db, deps.clock()));
  };
}

/** `POST /internal/admin/stats`: `admin stats` sent through a running embedded server (loopback + secret). */
export function adminStatsRoute(deps: Pick<AppDeps, 'database' | 'clock'>): Handler<AppEnv> {
  return async (c) => c.json(await readBillingStats(deps.database.db, deps.clock()));
}
