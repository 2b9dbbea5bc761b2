import { randomUUID } from 'node:crypto';
import type { GenerationRequest, GenerationResponse } from '../../shared/contracts.ts';
import { PLANS, type PlanId } from '../../shared/plans.ts';
import type { DatabaseHandle } from '../db/client.ts';
import { isUniqueViolation } from '../db/rows.ts';
import { ApiError } from '../http/api-error.ts';
import type { BillingPeriod } from './billing-period.ts';
import { hashRequestBody } from './request-hash.ts';
import type { UsageTokenSigner } from './usage-token-signer.ts';

/** Input of {@link issueGeneration}. */
export interface IssueGenerationInput {
  database: Pick<DatabaseHandle, 'query'>;
  signer: UsageTokenSigner;
  userId: string;
  plan: PlanId;
  period: BillingPeriod;
  request: GenerationRequest;
  idempotencyKey: string;
  now: Date;
  /** Sent with 402 QUOTA_EXCEEDED. */
  upgradeUrl: string;
}

/** The answer, and whether it is a replay of an earlier request with the same idempotency key. */
export interface IssueGenerationResult {
  response: GenerationResponse;
  replayed: boolean;
}

interface Outcome {
  existing_hash: string | null;
  existing_response: GenerationResponse | null;
  already_charged: boolean;
  used: number;
  charged_response: GenerationResponse | null;
  free_response: GenerationResponse | null;
}

/** Attempts after losing a race on a unique index or on the quota counter. */
const MAX_ATTEMPTS = 4;

/** The response as it will be stored, before the database fills in `charged` and `usage`. */
function draftResponse(input: IssueGenerationInput): GenerationResponse {
  const generationId = randomUUID();
  const { request } = input;
  const usageToken = input.signer.sign(
    {
      sub: input.userId,
      plan: input.plan,
      gid: generationId,
      specHash: request.specHash,
      formats: request.formats,
      ai: request.ai,
    },
    input.now,
  );
  const usage = { plan: input.plan, used: 0, limit: null, remaining: null, periodEnd: '' };
  return { generationId, usageToken, charged: false, usage };
}

/** SELECT list of a ledger row; `$charged` and `$used` are SQL expressions. Parameters as in {@link DECIDE_SQL}. */
function ledgerRow(charged: string, used: string): string {
  return `$6::uuid, $1, $4, $7, $3, $8, $9::int, $10::jsonb, $11::jsonb, $12, $13, ${charged}, $2::timestamptz,
    jsonb_set(jsonb_set($14::jsonb, '{charged}', to_jsonb(${charged})),
      '{usage}', jsonb_build_object('plan', $13::text, 'used', ${used}, 'limit', $5::int,
        'remaining', case when $5::int is null then null else greatest(0, $5::int - ${used}) end,
        'periodEnd', $15::text)),
    $16::timestamptz`;
}

const LEDGER_COLUMNS = `id, user_id, idempotency_key, request_hash, spec_hash, spec_title, operation_count,
  formats, ai, cli_version, plan, charged, period_start, response, created_at`;

/**
 * The whole decision in ONE statement (one round trip, no explicit transaction, prepared once):
 * - `probe` reads the idempotency record, whether the spec is already charged this period, and the usage;
 * - `counter` (only for a new spec) increments the period's `usage_counters` row while it is below the
 *   plan's limit — ON CONFLICT DO UPDATE locks the row and re-checks its latest version, so concurrent
 *   requests queue on it and can never over-grant;
 * - `charged_row` writes the ledger row from the counter's result, `free_row` an uncharged row for an
 *   already-charged spec.
 * Races the snapshot cannot see (same key or same spec concurrently) hit a unique index, abort the whole
 * statement, and are retried by the caller.
 *
 * Parameters: $1 user id, $2 period start, $3 spec hash, $4 idempotency key, $5 plan limit (null =
 * unlimited), $6 generation id, $7 request hash, $8 title, $9 operation count, $10 formats (JSON),
 * $11 ai (JSON), $12 CLI version, $13 plan, $14 draft response (JSON), $15 period end, $16 now.
 */
const DECIDE_SQL = `with probe as (
    select g.request_hash as existing_hash, g.response as existing_response,
      exists(select 1 from generations c where c.user_id = $1 and c.period_start = $2::timestamptz
             and c.spec_hash = $3 and c.charged) as already_charged,
      coalesce((select u.used from usage_counters u
                where u.user_id = $1 and u.period_start = $2::timestamptz), 0) as used
    from (select 1) one
    left join generations g on g.user_id = $1 and g.idempotency_key = $4
  ),
  counter as (
    insert into usage_counters as uc (user_id, period_start, used)
    select $1, $2::timestamptz, 1 from probe
    where probe.existing_hash is null and not probe.already_charged and coalesce($5::int, 1) > 0
    on conflict (user_id, period_start) do update set used = uc.used + 1
    where $5::int is null or uc.used < $5::int
    returning uc.used
  ),
  charged_row as (
    insert into generations (${LEDGER_COLUMNS})
    select ${ledgerRow('true', 'counter.used')} from counter
    returning response
  ),
  free_row as (
    insert into generations (${LEDGER_COLUMNS})
    select ${ledgerRow('false', 'probe.used')} from probe
    where probe.existing_hash is null and probe.already_charged
    returning response
  )
  select probe.existing_hash, probe.existing_response, probe.already_charged, probe.used,
    (select response from charged_row) as charged_response,
    (select response from free_row) as free_response
  from probe`;

async function decide(input: IssueGenerationInput, requestHash: string): Promise<Outcome> {
  const { request } = input;
  const draft = draftResponse(input);
  const [outcome] = await input.database.query<Outcome>(DECIDE_SQL, [
    input.userId,
    input.period.start.toISOString(),
    request.specHash,
    input.idempotencyKey,
    PLANS[input.plan].generationsPerPeriod,
    draft.generationId,
    requestHash,
    request.specTitle,
    request.operationCount,
    JSON.stringify(request.formats),
    JSON.stringify(request.ai),
    request.cliVersion,
    input.plan,
    JSON.stringify(draft),
    input.period.end.toISOString(),
    input.now.toISOString(),
  ]);
  if (!outcome) throw new Error('generation statement returned no row');
  return outcome;
}

function quotaExceeded(input: IssueGenerationInput, used: number): ApiError {
  const plan = PLANS[input.plan];
  const limit = plan.generationsPerPeriod ?? 0;
  const resets = input.period.end.toISOString().slice(0, 10);
  return new ApiError(
    'QUOTA_EXCEEDED',
    `The ${plan.name} plan's quota is used up: ${used} of ${limit} distinct specs this period (resets ${resets}). ` +
      `Re-running an unchanged spec stays free. Upgrade at ${input.upgradeUrl}`,
    { upgradeUrl: input.upgradeUrl, details: { used, limit, periodEnd: input.period.end.toISOString() } },
  );
}

/**
 * `POST /v1/generations` after authentication and feature checks: replays the first answer for a known
 * idempotency key (409 when the body differs), charges a spec at most once per period, enforces the
 * plan's quota atomically (402), and signs the usage token.
 */
export async function issueGeneration(input: IssueGenerationInput): Promise<IssueGenerationResult> {
  const requestHash = hashRequestBody(input.request);
  for (let attempt = 1; ; attempt++) {
    let outcome: Outcome;
    try {
      outcome = await decide(input, requestHash);
    } catch (error) {
      // Lost a race on a unique index: the next attempt sees the winner's row.
      if (isUniqueViolation(error) && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    if (outcome.existing_hash !== null) {
      if (outcome.existing_hash !== requestHash) {
        throw new ApiError(
          'IDEMPOTENCY_CONFLICT',
          'This Idempotency-Key was already used with a different request body. Use a new key for a new request.',
        );
      }
      return { response: outcome.existing_response!, replayed: true };
    }
    const response = outcome.charged_response ?? outcome.free_response;
    if (response) return { response, replayed: false };
    // The counter refused. The spec may have been charged by a request this statement's snapshot could
    // not see yet; one more attempt tells "free re-run" from "quota used up".
    if (attempt >= 2) throw quotaExceeded(input, outcome.used);
  }
}
