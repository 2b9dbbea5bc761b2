import type { Hono } from 'hono';
import type { SubscriptionState } from '../accounts/subscription.ts';
import type { Logger } from '../logger.ts';

/** The caller of a `/v1` route, after authentication. */
export interface Principal extends SubscriptionState {
  userId: string;
  email: string;
  name: string;
  userCreatedAt: Date;
  /** `session` (browser cookie or device-login bearer token) or `ci-token` (`smk_…`). */
  kind: 'session' | 'ci-token';
  /** The CI token's id when `kind` is `ci-token`. */
  tokenId: string | null;
  /** True when the session came from a cookie (browser), which needs the same-origin check. */
  viaCookie: boolean;
}

/** Hono environment of the app: per-request variables. */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    principal: Principal;
  };
}

/** The app: Hono's `fetch` plus the route table (tests call `app.request`). */
export type App = Hono<AppEnv>;
