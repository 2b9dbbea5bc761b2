/**
 * The quota decision of a batch of `POST /v1/generations` requests, in arrival order — pure: the caller
 * reads the ledger state under the accounts' counter locks, calls this, then writes what it returns in
 * the same transaction. Each request gets the answer it would get if the requests ran one by one.
 */

/** One request of a batch, as far as the decision is concerned. */
export interface GenerationClaim {
  userId: string;
  /** Billing period start (ISO 8601); with `userId`, the usage counter the request counts against. */
  periodStart: string;
  specHash: string;
  idempotencyKey: string;
  /** Hash of the request body: the same key with another body is a conflict. */
  requestHash: string;
  /** Distinct specs the plan allows per period; null = unlimited. */
  limit: number | null;
  /** The plan grants generations only to a verified e-mail address (Free). @default false */
  requiresVerifiedEmail?: boolean;
}

/** What the ledger held for one claim when the batch read it (under the counter lock). */
export interface LedgerProbe {
  /** Request hash stored under the claim's idempotency key, or null when the key is new. */
  existingHash: string | null;
  /** The answer stored under the key (with `existingHash`). */
  existingResponse: unknown;
  /** True when the claim's spec is already charged in its period. */
  alreadyCharged: boolean;
  /** The period's counter before this batch: charges completed or reserved (expired ones returned). */
  used: number;
  /** Whether the account's e-mail address is verified. @default true */
  emailVerified?: boolean;
}

/** The outcome of one claim. */
export type GenerationDecision =
  /** A key stored before this batch, same body: answer `response` again. */
  | { kind: 'replay'; response: unknown }
  /** A key used earlier in this batch, same body: answer what claim `index` got. */
  | { kind: 'replay-of'; index: number }
  /** The key was used with another body. */
  | { kind: 'conflict' }
  /** The plan needs a verified e-mail address and the account's is not: nothing recorded. */
  | { kind: 'email-not-verified' }
  /** The quota is used up: nothing recorded. */
  | { kind: 'quota-exceeded'; used: number }
  /**
   * Granted: a new ledger row; `charged` reserves a new spec's charge (confirmed on completion), `used`
   * is the counter after this claim.
   */
  | { kind: 'grant'; charged: boolean; used: number };

/** A usage counter the batch changes (its row is locked by the batch's transaction). */
export interface CounterChange {
  userId: string;
  periodStart: string;
  /** Value read under the lock. */
  before: number;
  /** Value to write. */
  used: number;
}

/** Decisions (one per claim, same order) and the counters to update. */
export interface BatchDecision {
  decisions: GenerationDecision[];
  counters: CounterChange[];
}

const counterKey = (claim: GenerationClaim) => `${claim.userId}\u0000${claim.periodStart}`;

/**
 * Decides every claim in order: a known key replays (or conflicts), an unverified e-mail is refused where
 * the plan needs one, a spec already charged (or reserved) this period is a free grant, a new spec is
 * charged while the counter is below the limit and refused after.
 * `probes[i]` is the ledger state for `claims[i]`; rows granted earlier in the batch count as stored.
 */
export function decideGenerations(
  claims: readonly GenerationClaim[],
  probes: readonly LedgerProbe[],
): BatchDecision {
  const counters = new Map<string, CounterChange>();
  /** Keys granted earlier in this batch → index of that claim. */
  const keys = new Map<string, number>();
  /** Specs charged earlier in this batch. */
  const charged = new Set<string>();
  const decisions = claims.map((claim, index): GenerationDecision => {
    const probe = probes[index];
    if (!probe) throw new Error(`no ledger probe for claim ${index}`);
    const counterId = counterKey(claim);
    let counter = counters.get(counterId);
    if (!counter) {
      counter = {
        userId: claim.userId,
        periodStart: claim.periodStart,
        before: probe.used,
        used: probe.used,
      };
      counters.set(counterId, counter);
    }
    if (probe.existingHash !== null) {
      return probe.existingHash === claim.requestHash
        ? { kind: 'replay', response: probe.existingResponse }
        : { kind: 'conflict' };
    }
    const keyId = `${claim.userId}\u0000${claim.idempotencyKey}`;
    const earlier = keys.get(keyId);
    if (earlier !== undefined) {
      return claims[earlier]?.requestHash === claim.requestHash
        ? { kind: 'replay-of', index: earlier }
        : { kind: 'conflict' };
    }
    if (claim.requiresVerifiedEmail && probe.emailVerified === false) return { kind: 'email-not-verified' };
    const specId = `${counterId}\u0000${claim.specHash}`;
    if (probe.alreadyCharged || charged.has(specId)) {
      keys.set(keyId, index);
      return { kind: 'grant', charged: false, used: counter.used };
    }
    if (claim.limit !== null && counter.used >= claim.limit) {
      return { kind: 'quota-exceeded', used: counter.used };
    }
    counter.used += 1;
    charged.add(specId);
    keys.set(keyId, index);
    return { kind: 'grant', charged: true, used: counter.used };
  });
  return { decisions, counters: [...counters.values()].filter((counter) => counter.used !== counter.before) };
}
