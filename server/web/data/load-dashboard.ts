import {
  type GenerationList,
  type GenerationListQuery,
  GenerationListQuerySchema,
  type TokenSummary,
  type Usage,
} from '../../../shared/contracts.ts';
import type { PlanId } from '../../../shared/plans.ts';
import { readSubscription } from '../../accounts/subscription.ts';
import type { AppDeps } from '../../app-deps.ts';
import type { BillingPeriod } from '../../entitlements/billing-period.ts';
import { listGenerationsPage } from '../../entitlements/list-generations.ts';
import { readUsage } from '../../entitlements/read-usage.ts';
import { ApiError } from '../../http/api-error.ts';
import type { Principal } from '../../http/principal.ts';
import { listCiTokens } from '../../tokens/token-service.ts';
import type { Viewer } from '../web-env.ts';
import { type DayUsage, readUsageByDay } from './usage-by-day.ts';

/** Rows per history page on the dashboard. */
export const HISTORY_PAGE_SIZE = 10;

/** The history filters as typed in the dashboard's form (all optional strings). */
export interface HistoryFilters {
  q?: string | undefined;
  format?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  cursor?: string | undefined;
}

/** Everything the dashboard shows. */
export interface DashboardData {
  plan: PlanId;
  usage: Usage;
  period: BillingPeriod;
  days: DayUsage[];
  history: GenerationList;
  filters: HistoryFilters;
  /** Why the filters were ignored, when they were invalid. */
  filterError?: string | undefined;
  tokens: TokenSummary[];
  /** Stripe is configured (the billing buttons work). */
  billingConfigured: boolean;
  /** This server's public URL (the CLI's SPECMINT_API_URL). */
  serverUrl: string;
}

/** Parses the typed filters into an API list query; `error` when they are invalid. */
export function parseHistoryFilters(filters: HistoryFilters): { query: GenerationListQuery; error?: string } {
  const raw = {
    limit: HISTORY_PAGE_SIZE,
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.format ? { outputFormat: filters.format } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(filters.cursor ? { cursor: filters.cursor } : {}),
  };
  const parsed = GenerationListQuerySchema.safeParse(raw);
  if (parsed.success) return { query: parsed.data };
  const fields = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))].join(', ');
  return {
    query: GenerationListQuerySchema.parse({ limit: HISTORY_PAGE_SIZE }),
    error: `Some filters were not valid (${fields}) and were ignored.`,
  };
}

/** The principal shape the entitlement helpers take, for a signed-in viewer. */
export async function viewerPrincipal(deps: Pick<AppDeps, 'database'>, viewer: Viewer): Promise<Principal> {
  const subscription = await readSubscription(deps.database.db, viewer.userId);
  return {
    userId: viewer.userId,
    email: viewer.email,
    name: viewer.name,
    userCreatedAt: viewer.createdAt,
    ...subscription,
    kind: 'session',
    tokenId: null,
    viaCookie: true,
  };
}

/** Loads the viewer's plan, usage, chart, one page of history (only theirs) and CI tokens. */
export async function loadDashboard(
  deps: Pick<AppDeps, 'database' | 'clock' | 'billing' | 'baseUrl'>,
  viewer: Viewer,
  filters: HistoryFilters,
): Promise<DashboardData> {
  const db = deps.database.db;
  const now = deps.clock();
  const principal = await viewerPrincipal(deps, viewer);
  const { usage, period } = await readUsage(db, principal, now);
  let { query, error } = parseHistoryFilters(filters);
  let history: GenerationList;
  try {
    history = await listGenerationsPage(db, viewer.userId, query, now);
  } catch (failure) {
    if (!(failure instanceof ApiError)) throw failure;
    error = 'That page link is no longer valid; showing the newest generations.';
    query = { ...query, cursor: undefined };
    history = await listGenerationsPage(db, viewer.userId, query, now);
  }
  const [days, tokens] = await Promise.all([
    readUsageByDay(db, viewer.userId, period, now),
    listCiTokens(db, viewer.userId),
  ]);
  return {
    plan: principal.plan,
    usage,
    period,
    days,
    history,
    filters,
    filterError: error,
    tokens,
    billingConfigured: deps.billing !== null,
    serverUrl: deps.baseUrl,
  };
}
