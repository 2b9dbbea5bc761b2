import { randomUUID } from 'node:crypto';
import type { GenerationResponse } from '../../shared/contracts.ts';
import { PLANS } from '../../shared/plans.ts';
import type { DatabaseHandle, Transaction } from '../db/client.ts';
import {
  type BatchDecision,
  decideGenerations,
  type GenerationClaim,
  type LedgerProbe,
} from './decide-generations.ts';
import type { IssueGenerationInput } from './issue-generation.ts';
import type { UsageTokenSigner } from './usage-token-signer.ts';

/** One request of a batch. */
export interface GenerationJob {
  input: IssueGenerationInput;
  /** {@link hashRequestBody} of the request body. */
  requestHash: string;
  /** Id of the ledger row, should the request be granted. */
  generationId: string;
  /**
   * Its usage token, signed while the request waits for its batch (unused when the request turns out to
   * be a replay or is refused).
   */
  usageToken: Promise<string>;
  /** The token's `exp`: until then the generation's charge is reserved (see SWEEP_SQL). */
  expiresAt: Date;
}

/** What a job gets: an answer, or a refusal the caller turns into an API error. */
export type GenerationOutcome =
  | { kind: 'issued'; response: GenerationResponse; replayed: boolean }
  | { kind: 'conflict' }
  | { kind: 'email-not-verified' }
  | { kind: 'quota-exceeded'; used: number };

/**
 * Takes the batch's usage-counter rows in a fixed order (user, period), creating missing ones: every
 * writer of a user's ledger holds that row until it commits, so concurrent batches (other connections,
 * other processes) decide one after the other, and a fixed order cannot deadlock. `DO UPDATE … WHERE
 * false` locks an existing row without writing it. $1: `[{user_id, period_start}]`.
 */
const LOCK_COUNTERS_SQL = `insert into usage_counters as uc (user_id, period_start, used)
  select c.user_id, c.period_start, 0
  from jsonb_to_recordset($1::jsonb) as c(user_id text, period_start timestamptz)
  order by c.user_id, c.period_start
  on conflict (user_id, period_start) do update set used = uc.used where false`;

/**
 * Returns the charges of reservations that ran out (neither completed nor released before their usage
 * token expired) for the batch's locked counters: the rows become `expired` and stop holding their spec's
 * charge, and the counters drop by as many. Sent right after the lock statement (the counters are held),
 * before the probe, which then reads counters that hold only completed and live reservations.
 * $1: `[{user_id, period_start}]`, $2: now.
 */
const SWEEP_SQL = `with expired as (
    update generations g set status = 'expired', charged = false
    from jsonb_to_recordset($1::jsonb) as c(user_id text, period_start timestamptz)
    where g.user_id = c.user_id and g.period_start = c.period_start and g.charged
      and g.status = 'issued' and g.expires_at is not null and g.expires_at <= $2::timestamptz
    returning g.user_id, g.period_start
  ), returned as (select user_id, period_start, count(*)::int as n from expired group by 1, 2)
  update usage_counters u set used = u.used - r.n from returned r
  where u.user_id = r.user_id and u.period_start = r.period_start`;

/**
 * Reads, for every request, what the ledger holds: the row under its idempotency key, whether its spec
 * is charged this period, and the period's counter. Sent after the lock statement, so its snapshot sees
 * everything the previous holders of the locks committed. Each lookup is a LATERAL subquery with LIMIT:
 * that pins the plan to one index probe per request (the planner guesses 100 rows for
 * jsonb_to_recordset and would otherwise hash-join a sequential scan of the whole ledger).
 * $1: `[{i, user_id, period_start, spec_hash, idempotency_key}]`.
 */
const PROBE_SQL = `select w.i, k.request_hash as existing_hash, k.response as existing_response,
    ch.charged is not null as already_charged, coalesce(u.used, 0) as used,
    coalesce(a.email_verified, false) as email_verified
  from jsonb_to_recordset($1::jsonb)
    as w(i int, user_id text, period_start timestamptz, spec_hash text, idempotency_key text)
  left join lateral (select g.request_hash, g.response from generations g
    where g.user_id = w.user_id and g.idempotency_key = w.idempotency_key limit 1) k on true
  left join lateral (select c.charged from generations c
    where c.user_id = w.user_id and c.period_start = w.period_start and c.spec_hash = w.spec_hash
      and c.charged limit 1) ch on true
  left join lateral (select u.used from usage_counters u
    where u.user_id = w.user_id and u.period_start = w.period_start limit 1) u on true
  left join lateral (select a.email_verified from users a where a.id = w.user_id) a on true
  order by w.i`;

/**
 * Writes the granted ledger rows and the new counter values in one statement. A counter is only moved
 * from the value read under the lock (`before`); should one not match (the lock did not hold — a bug),
 * the rows get a NULL response, the NOT NULL constraint fails the statement, and the COMMIT pipelined
 * behind it ends the transaction as a rollback: nothing half-written. $1: ledger rows,
 * $2: `[{user_id, period_start, before, used}]`, $3: number of counters.
 */
const WRITE_SQL = `with counters as (
    update usage_counters u set used = c.used
    from jsonb_to_recordset($2::jsonb) as c(user_id text, period_start timestamptz, before int, used int)
    where u.user_id = c.user_id and u.period_start = c.period_start and u.used = c.before
    returning 1
  )
  insert into generations (id, user_id, idempotency_key, request_hash, spec_hash, spec_title,
    operation_count, formats, ai, cli_version, plan, charged, period_start, response, created_at, expires_at)
  select r.id, r.user_id, r.idempotency_key, r.request_hash, r.spec_hash, r.spec_title, r.operation_count,
    r.formats, coalesce(r.ai, 'null'::jsonb), r.cli_version, r.plan, r.charged, r.period_start,
    case when (select count(*) from counters) = $3::int then r.response end, r.created_at, r.expires_at
  from jsonb_to_recordset($1::jsonb) as r(id uuid, user_id text, idempotency_key text, request_hash text,
    spec_hash text, spec_title text, operation_count int, formats jsonb, ai jsonb, cli_version text,
    plan text, charged boolean, period_start timestamptz, response jsonb, created_at timestamptz,
    expires_at timestamptz)`;

interface ProbeRow {
  i: number;
  existing_hash: string | null;
  existing_response: GenerationResponse | null;
  already_charged: boolean;
  used: number;
  email_verified: boolean;
}

function toClaim(job: GenerationJob): GenerationClaim {
  const { input } = job;
  return {
    userId: input.userId,
    periodStart: input.period.start.toISOString(),
    specHash: input.request.specHash,
    idempotencyKey: input.idempotencyKey,
    requestHash: job.requestHash,
    limit: PLANS[input.plan].generationsPerPeriod,
    requiresVerifiedEmail: input.plan === 'free',
  };
}

/** The answer of a granted job. */
function grantResponse(
  job: GenerationJob,
  usageToken: string,
  grant: { charged: boolean; used: number },
): GenerationResponse {
  const { input } = job;
  const limit = PLANS[input.plan].generationsPerPeriod;
  return {
    generationId: job.generationId,
    usageToken,
    charged: grant.charged,
    usage: {
      plan: input.plan,
      used: grant.used,
      limit,
      remaining: limit === null ? null : Math.max(0, limit - grant.used),
      periodEnd: input.period.end.toISOString(),
    },
  };
}

function ledgerRow(job: GenerationJob, response: GenerationResponse) {
  const { input } = job;
  return {
    id: response.generationId,
    user_id: input.userId,
    idempotency_key: input.idempotencyKey,
    request_hash: job.requestHash,
    spec_hash: input.request.specHash,
    spec_title: input.request.specTitle,
    operation_count: input.request.operationCount,
    formats: input.request.formats,
    ai: input.request.ai,
    cli_version: input.request.cliVersion,
    plan: input.plan,
    charged: response.charged,
    period_start: input.period.start.toISOString(),
    response,
    created_at: input.now.toISOString(),
    expires_at: job.expiresAt.toISOString(),
  };
}

/** Turns the decisions into outcomes and the rows to write; `tokens[i]` is job i's usage token. */
function buildOutcomes(jobs: readonly GenerationJob[], tokens: readonly string[], decided: BatchDecision) {
  const outcomes: GenerationOutcome[] = [];
  const rows: ReturnType<typeof ledgerRow>[] = [];
  decided.decisions.forEach((decision, index) => {
    const job = jobs[index]!;
    switch (decision.kind) {
      case 'replay':
        outcomes.push({ kind: 'issued', response: decision.response as GenerationResponse, replayed: true });
        break;
      case 'replay-of': {
        const first = outcomes[decision.index];
        if (first?.kind !== 'issued') throw new Error('a replay must follow a grant');
        outcomes.push({ kind: 'issued', response: first.response, replayed: true });
        break;
      }
      case 'grant': {
        const response = grantResponse(job, tokens[index]!, decision);
        rows.push(ledgerRow(job, response));
        outcomes.push({ kind: 'issued', response, replayed: false });
        break;
      }
      default:
        outcomes.push(decision);
    }
  });
  return { outcomes, rows };
}

async function decideInTransaction(
  tx: Transaction,
  jobs: readonly GenerationJob[],
): Promise<GenerationOutcome[]> {
  const claims = jobs.map(toClaim);
  const periods = new Map(claims.map((claim) => [`${claim.userId}\u0000${claim.periodStart}`, claim]));
  const locks = [...periods.values()].map((claim) => ({
    user_id: claim.userId,
    period_start: claim.periodStart,
  }));
  const probes = claims.map((claim, i) => ({
    i,
    user_id: claim.userId,
    period_start: claim.periodStart,
    spec_hash: claim.specHash,
    idempotency_key: claim.idempotencyKey,
  }));
  const now = new Date(Math.max(...jobs.map((job) => job.input.now.getTime())));
  // Pipelined: the sweep and the probe run once the locks are held, without another round trip.
  const [, , probeRows] = await Promise.all([
    tx.query(LOCK_COUNTERS_SQL, [JSON.stringify(locks)]),
    tx.query(SWEEP_SQL, [JSON.stringify(locks), now.toISOString()]),
    tx.query<ProbeRow>(PROBE_SQL, [JSON.stringify(probes)]),
  ]);
  const state: LedgerProbe[] = probeRows.map((row) => ({
    existingHash: row.existing_hash,
    existingResponse: row.existing_response,
    alreadyCharged: row.already_charged,
    used: Number(row.used),
    emailVerified: row.email_verified,
  }));
  const decided = decideGenerations(claims, state);
  // Signed on the thread pool while the requests waited; normally done by now.
  const tokens = await Promise.all(
    decided.decisions.map((decision, index) => (decision.kind === 'grant' ? jobs[index]!.usageToken : '')),
  );
  const { outcomes, rows } = buildOutcomes(jobs, tokens, decided);
  if (rows.length === 0) return outcomes;
  const counters = decided.counters.map((counter) => ({
    user_id: counter.userId,
    period_start: counter.periodStart,
    before: counter.before,
    used: counter.used,
  }));
  await tx.queryAndCommit(WRITE_SQL, [JSON.stringify(rows), JSON.stringify(counters), counters.length]);
  return outcomes;
}

/**
 * Decides and records a batch of generation requests in ONE transaction (one commit, one WAL flush for
 * all of them): lock the users' counters, return the charges of expired reservations, read the ledger, decide in order ({@link decideGenerations}),
 * write the granted rows (with their usage tokens) and counters, commit. Two round trips on PostgreSQL,
 * whatever the batch size. Throws when the transaction fails (nothing is recorded then).
 */
export function writeGenerationBatch(
  database: Pick<DatabaseHandle, 'transaction' | 'kind'>,
  jobs: readonly GenerationJob[],
): Promise<GenerationOutcome[]> {
  return database.transaction(async (tx) => {
    // A batch of several accounts must not wait long on one account's counter locked elsewhere: past
    // BATCH_LOCK_TIMEOUT it fails (55P03) and the ledger writes its accounts apart, side by side.
    if (jobs.length > 1 && database.kind === 'postgres')
      await tx.query(`set local lock_timeout = '${BATCH_LOCK_TIMEOUT_MS}ms'`, []);
    return decideInTransaction(tx, jobs);
  });
}

/** How long a batch of several requests waits on a row lock before its accounts are written apart. */
export const BATCH_LOCK_TIMEOUT_MS = 1000;

/** Starts signing the usage token a job gets if granted (Ed25519 on the thread pool). */
export function draftUsageToken(
  signer: UsageTokenSigner,
  input: IssueGenerationInput,
): Pick<GenerationJob, 'generationId' | 'usageToken' | 'expiresAt'> {
  const generationId = randomUUID();
  // The token's `exp` (whole seconds, as the signer computes it).
  const expiresAt = new Date((Math.floor(input.now.getTime() / 1000) + signer.ttlSeconds) * 1000);
  const usageToken = signer.signAsync(
    {
      sub: input.userId,
      plan: input.plan,
      gid: generationId,
      specHash: input.request.specHash,
      formats: input.request.formats,
      ai: input.request.ai,
    },
    input.now,
  );
  // Awaited only when the job is granted; a failure then fails the batch, never goes unobserved.
  usageToken.catch(() => {});
  return { generationId, usageToken, expiresAt };
}
