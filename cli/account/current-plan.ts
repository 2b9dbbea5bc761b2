/**
 * The plan to show choices for, before anything is charged: the account's (`GET /v1/me`) when logged in,
 * else Free — with where the answer came from, so a prompt can say it assumed Free.
 */
import type { PlanId } from '../../shared/plans.ts';
import { createApiClient } from './api-client.ts';
import { resolveAuth } from './session.ts';

/** The plan and how it is known. */
export interface CurrentPlan {
  plan: PlanId;
  /** `account`: read from the server; `not-logged-in`: no credentials, Free assumed; `unknown`: the server could not say, Free assumed. */
  source: 'account' | 'not-logged-in' | 'unknown';
  /** The account's email when known. */
  email?: string;
  /** Why the plan is unknown (`source: 'unknown'`). */
  reason?: string;
}

/** Options of {@link readCurrentPlan}. */
export interface ReadCurrentPlanOptions {
  env: NodeJS.ProcessEnv;
  /** Licence server URL from `specmint.config.json`. */
  configApiUrl?: string;
  warn?: (message: string) => void;
}

/** Reads the plan; never throws for a missing login or an unreachable server (it assumes Free). */
export async function readCurrentPlan(options: ReadCurrentPlanOptions): Promise<CurrentPlan> {
  const auth = await resolveAuth({
    env: options.env,
    configApiUrl: options.configApiUrl,
    warn: options.warn,
  });
  if (!auth.token) return { plan: 'free', source: 'not-logged-in' };
  const api = createApiClient({
    apiUrl: auth.apiUrl,
    token: auth.token,
    http: { maxAttempts: 1, connectTimeoutMs: 3000 },
  });
  try {
    const me = await api.me();
    return { plan: me.plan, source: 'account', email: me.user.email };
  } catch (error) {
    return { plan: 'free', source: 'unknown', reason: (error as Error).message.split('\n')[0] ?? '' };
  } finally {
    await api.close();
  }
}

/** One line saying which plan a list of choices follows, or `undefined` when it is the account's own. */
export function describeAssumedPlan(current: CurrentPlan): string | undefined {
  if (current.source === 'not-logged-in')
    return 'Not logged in: showing the Free plan’s formats (`specmint login` to use your plan).';
  if (current.source === 'unknown')
    return `Could not read your plan (${current.reason}); showing the Free plan’s formats.`;
  return undefined;
}
