import type { DatabaseHandle } from '../db/client.ts';
import { sqlState } from '../db/rows.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import type { Logger } from '../logger.ts';
import {
  draftUsageToken,
  type GenerationJob,
  type GenerationOutcome,
  writeGenerationBatch,
} from './generation-batch.ts';
import {
  emailNotVerified,
  type IssueGenerationInput,
  type IssueGenerationResult,
  idempotencyConflict,
  quotaExceeded,
} from './issue-generation.ts';
import { hashRequestBody } from './request-hash.ts';
import type { UsageTokenSigner } from './usage-token-signer.ts';

/** Records generations: the quota decision and the ledger write of `POST /v1/generations`. */
export interface GenerationLedger {
  /**
   * Decides one request and records it durably before answering: replays the first answer for a known
   * idempotency key (409 IDEMPOTENCY_CONFLICT when the body differs), refuses a Free account whose e-mail
   * is not verified (403 EMAIL_NOT_VERIFIED), reserves a spec's charge at most once per period (confirmed
   * by `POST …/complete`, returned by `…/release` or when the reservation expires), enforces the plan's
   * quota atomically counting live reservations (402 QUOTA_EXCEEDED) and signs the usage token.
   */
  issue(input: IssueGenerationInput): Promise<IssueGenerationResult>;
  /** Resolves once nothing is queued or being written (graceful shutdown). */
  drain(): Promise<void>;
  /** Counters since start: requests decided and the transactions (batches) that wrote them. */
  stats(): { requests: number; transactions: number };
}

/** Options of {@link createGenerationLedger}. */
export interface GenerationLedgerOptions {
  database: Pick<DatabaseHandle, 'kind' | 'transaction'>;
  signer: UsageTokenSigner;
  logger?: Logger;
  /** Most requests decided in one transaction. @default 100 */
  maxBatchSize?: number;
  /**
   * Transactions in flight at once, each on its own connection and for distinct users. While they are
   * all busy, new requests queue and go together in the next one.
   * @default 4 on PostgreSQL, 1 on PGlite (one connection)
   */
  maxConcurrentBatches?: number;
}

interface Pending extends GenerationJob {
  resolve(outcome: GenerationOutcome): void;
  reject(error: unknown): void;
}

/** Attempts of a batch that lost a race (unique index, deadlock) before its requests are tried alone. */
const MAX_ATTEMPTS = 4;
/**
 * Failures another attempt resolves: a unique index hit by a writer the batch could not see (an older
 * server without the counter lock, the same key in two periods), a deadlock or serialization failure,
 * and the write statement's own guard (23502, see generation-batch.ts).
 */
const RETRYABLE = new Set(['23505', '40P01', '40001', '23502']);
/** A batch's lock_timeout ran out (generation-batch.ts): an account's counter is locked elsewhere. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * Group commit for `POST /v1/generations`: requests that arrive while the previous transactions are
 * being written wait (at most one transaction's time) and are then decided together in ONE transaction —
 * one commit, one WAL flush and two round trips for the whole group instead of per request. Each request
 * still gets its own decision, in arrival order, exactly as if they had run one by one; no request is
 * answered before its transaction has committed. A lone request goes at once (no added latency when idle).
 */
export function createGenerationLedger(options: GenerationLedgerOptions): GenerationLedger {
  const { database, signer, logger } = options;
  const maxBatchSize = options.maxBatchSize ?? 100;
  const maxConcurrent = options.maxConcurrentBatches ?? (database.kind === 'pglite' ? 1 : 4);
  const queue: Pending[] = [];
  let inFlight = 0;
  /** Users with a batch in flight. */
  const busyUsers = new Set<string>();
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];
  const totals = { requests: 0, transactions: 0 };

  /**
   * Writes a batch. `userDone(user)` is called as soon as a user's requests are all decided, which is before
   * the batch ends when it had to be written account by account (one account locked elsewhere).
   */
  async function write(jobs: Pending[], userDone: (user: string) => void = () => undefined): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        totals.transactions += 1;
        const outcomes = await writeGenerationBatch(database, jobs);
        for (const [index, job] of jobs.entries()) job.resolve(outcomes[index]!);
        return;
      } catch (error) {
        const state = sqlState(error);
        if (state !== undefined && RETRYABLE.has(state) && attempt < MAX_ATTEMPTS) continue;
        if (jobs.length > 1 && !isDatabaseUnavailable(error)) {
          // Keep one bad request (or one account locked elsewhere, 55P03) from failing or holding up its
          // neighbours: each account's requests go alone, in arrival order, the accounts side by side.
          if (state !== LOCK_NOT_AVAILABLE)
            logger?.warn('generation batch failed; writing its requests one by one', {
              size: jobs.length,
              error,
            });
          const byUser = new Map<string, Pending[]>();
          for (const job of jobs)
            byUser.set(job.input.userId, [...(byUser.get(job.input.userId) ?? []), job]);
          await Promise.all(
            [...byUser].map(async ([user, own]) => {
              for (const job of own) await write([job]);
              // This account's requests are decided: its next ones need not wait for a locked neighbour.
              userDone(user);
            }),
          );
          return;
        }
        for (const job of jobs) job.reject(error);
        return;
      }
    }
  }

  /**
   * The next batch: queued requests in arrival order, skipping users that a batch in flight is writing —
   * their requests wait for it and go together in a later batch (waiting on the user's counter lock in
   * the database would only burn a connection). Other users' requests never wait for them.
   */
  function takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const rest: Pending[] = [];
    for (const job of queue) {
      if (batch.length < maxBatchSize && !busyUsers.has(job.input.userId)) batch.push(job);
      else rest.push(job);
    }
    queue.splice(0, queue.length, ...rest);
    return batch;
  }

  function flush(): void {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxConcurrent) {
      const jobs = takeBatch();
      if (jobs.length === 0) return;
      /** Users this batch still holds: each is let go once, early or when the batch ends. */
      const held = new Set(jobs.map((job) => job.input.userId));
      for (const user of held) busyUsers.add(user);
      const letGo = (user: string): void => {
        if (held.delete(user)) busyUsers.delete(user);
      };
      inFlight += 1;
      write(jobs, (user) => {
        letGo(user);
        schedule();
      })
        .catch((error: unknown) => {
          for (const job of jobs) job.reject(error);
        })
        .finally(() => {
          inFlight -= 1;
          for (const user of [...held]) letGo(user);
          schedule();
          if (inFlight === 0 && queue.length === 0) {
            for (const resolve of idleWaiters) resolve();
            idleWaiters = [];
          }
        });
    }
  }

  /** Requests arriving in the same event-loop turn join the same batch. */
  function schedule(): void {
    if (scheduled || queue.length === 0 || inFlight >= maxConcurrent) return;
    scheduled = true;
    setImmediate(flush);
  }

  return {
    async issue(input) {
      const requestHash = hashRequestBody(input.request);
      totals.requests += 1;
      const outcome = await new Promise<GenerationOutcome>((resolve, reject) => {
        queue.push({ input, requestHash, ...draftUsageToken(signer, input), resolve, reject });
        // A user with a batch in flight is scheduled when that batch ends.
        if (!busyUsers.has(input.userId)) schedule();
      });
      if (outcome.kind === 'conflict') throw idempotencyConflict();
      if (outcome.kind === 'quota-exceeded') throw quotaExceeded(input, outcome.used);
      if (outcome.kind === 'email-not-verified') throw emailNotVerified(input);
      return { response: outcome.response, replayed: outcome.replayed };
    },
    drain() {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    stats: () => ({ ...totals }),
  };
}
