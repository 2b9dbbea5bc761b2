import { timingSafeEqual } from 'node:crypto';
import type { Handler, MiddlewareHandler } from 'hono';
import {
  adminCreateToken,
  adminCreateUser,
  adminSetPlan,
  CreateTokenInputSchema,
  CreateUserInputSchema,
  SetPlanInputSchema,
} from '../admin/admin-actions.ts';
import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';

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
