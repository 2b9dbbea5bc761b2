import { describe, expect, it } from 'vitest';
import {
  decideGenerations,
  type GenerationClaim,
  type GenerationDecision,
  type LedgerProbe,
} from '../../server/entitlements/decide-generations.ts';

const PERIOD = '2026-11-01T00:00:00.000Z';
const NEXT_PERIOD = '2026-12-01T00:00:00.000Z';

function claim(overrides: Partial<GenerationClaim> = {}): GenerationClaim {
  const key = overrides.idempotencyKey ?? `key-${Math.random()}`;
  return {
    userId: 'u1',
    periodStart: PERIOD,
    specHash: `spec-${key}`,
    idempotencyKey: key,
    requestHash: `body-${key}`,
    limit: 5,
    ...overrides,
  };
}

function fresh(used = 0, overrides: Partial<LedgerProbe> = {}): LedgerProbe {
  return { existingHash: null, existingResponse: null, alreadyCharged: false, used, ...overrides };
}

interface Case {
  name: string;
  claims: GenerationClaim[];
  probes: LedgerProbe[];
  decisions: GenerationDecision[];
  counters: { userId: string; periodStart: string; before: number; used: number }[];
}

const stored = { generationId: 'g-stored' };

const cases: Case[] = [
  {
    name: 'a new spec is charged and moves the counter',
    claims: [claim({ idempotencyKey: 'a' })],
    probes: [fresh(2)],
    decisions: [{ kind: 'grant', charged: true, used: 3 }],
    counters: [{ userId: 'u1', periodStart: PERIOD, before: 2, used: 3 }],
  },
  {
    name: 'a spec charged before the batch is free and leaves the counter alone',
    claims: [claim({ idempotencyKey: 'a' })],
    probes: [fresh(2, { alreadyCharged: true })],
    decisions: [{ kind: 'grant', charged: false, used: 2 }],
    counters: [],
  },
  {
    name: 'a key stored before the batch replays, or conflicts with another body',
    claims: [claim({ idempotencyKey: 'a' }), claim({ idempotencyKey: 'b' })],
    probes: [
      fresh(1, { existingHash: 'body-a', existingResponse: stored }),
      fresh(1, { existingHash: 'other-body', existingResponse: stored }),
    ],
    decisions: [{ kind: 'replay', response: stored }, { kind: 'conflict' }],
    counters: [],
  },
  {
    name: 'the quota is counted across the batch, in arrival order',
    claims: ['a', 'b', 'c'].map((key) => claim({ idempotencyKey: key })),
    probes: [fresh(3), fresh(3), fresh(3)],
    decisions: [
      { kind: 'grant', charged: true, used: 4 },
      { kind: 'grant', charged: true, used: 5 },
      { kind: 'quota-exceeded', used: 5 },
    ],
    counters: [{ userId: 'u1', periodStart: PERIOD, before: 3, used: 5 }],
  },
  {
    name: 'the same spec twice in a batch is charged once; the second run is free even at the limit',
    claims: [
      claim({ idempotencyKey: 'a', specHash: 's' }),
      claim({ idempotencyKey: 'b', specHash: 's' }),
      claim({ idempotencyKey: 'c', specHash: 't' }),
    ],
    probes: [fresh(4), fresh(4), fresh(4)],
    decisions: [
      { kind: 'grant', charged: true, used: 5 },
      { kind: 'grant', charged: false, used: 5 },
      { kind: 'quota-exceeded', used: 5 },
    ],
    counters: [{ userId: 'u1', periodStart: PERIOD, before: 4, used: 5 }],
  },
  {
    name: 'a key repeated in a batch replays the first answer, or conflicts with another body',
    claims: [
      claim({ idempotencyKey: 'k', requestHash: 'body-1' }),
      claim({ idempotencyKey: 'k', requestHash: 'body-1' }),
      claim({ idempotencyKey: 'k', requestHash: 'body-2' }),
    ],
    probes: [fresh(0), fresh(0), fresh(0)],
    decisions: [
      { kind: 'grant', charged: true, used: 1 },
      { kind: 'replay-of', index: 0 },
      { kind: 'conflict' },
    ],
    counters: [{ userId: 'u1', periodStart: PERIOD, before: 0, used: 1 }],
  },
  {
    name: 'a refused request stores nothing: its key stays free for the next attempt',
    claims: [claim({ idempotencyKey: 'k' }), claim({ idempotencyKey: 'k' })],
    probes: [fresh(5), fresh(5)],
    decisions: [
      { kind: 'quota-exceeded', used: 5 },
      { kind: 'quota-exceeded', used: 5 },
    ],
    counters: [],
  },
  {
    name: 'users and periods count separately; unlimited plans still count',
    claims: [
      claim({ idempotencyKey: 'a', userId: 'u1', limit: 1 }),
      claim({ idempotencyKey: 'b', userId: 'u2', limit: null }),
      claim({ idempotencyKey: 'c', userId: 'u1', limit: 1 }),
      claim({ idempotencyKey: 'd', userId: 'u1', limit: 1, periodStart: NEXT_PERIOD }),
      claim({ idempotencyKey: 'e', userId: 'u2', limit: null }),
    ],
    probes: [fresh(0), fresh(41), fresh(0), fresh(0), fresh(41)],
    decisions: [
      { kind: 'grant', charged: true, used: 1 },
      { kind: 'grant', charged: true, used: 42 },
      { kind: 'quota-exceeded', used: 1 },
      { kind: 'grant', charged: true, used: 1 },
      { kind: 'grant', charged: true, used: 43 },
    ],
    counters: [
      { userId: 'u1', periodStart: PERIOD, before: 0, used: 1 },
      { userId: 'u2', periodStart: PERIOD, before: 41, used: 43 },
      { userId: 'u1', periodStart: NEXT_PERIOD, before: 0, used: 1 },
    ],
  },
  {
    name: 'a plan without generations refuses every new spec',
    claims: [claim({ idempotencyKey: 'a', limit: 0 })],
    probes: [fresh(0)],
    decisions: [{ kind: 'quota-exceeded', used: 0 }],
    counters: [],
  },
];

describe('decideGenerations', () => {
  it.each(cases)('$name', ({ claims, probes, decisions, counters }) => {
    expect(decideGenerations(claims, probes)).toEqual({ decisions, counters });
  });

  it('matches deciding the same requests one by one', () => {
    // 200 requests over 3 users, 12 specs and 40 keys (some reused with another body): the batch decision
    // must equal the sequential one, where each request sees what the previous ones stored.
    const claims = Array.from({ length: 200 }, (_, index) => {
      const key = `key-${(index * 7) % 40}`;
      return claim({
        userId: `u${index % 3}`,
        idempotencyKey: key,
        specHash: `spec-${(index * 5) % 12}`,
        requestHash: `body-${key}-${index % 17 === 0 ? 'other' : 'same'}-${(index * 5) % 12}`,
        limit: 4,
      });
    });
    const batch = decideGenerations(
      claims,
      claims.map(() => fresh(0)),
    ).decisions;
    // Sequential reference: a ledger of keys and charged specs, updated after each request.
    const keys = new Map<string, { requestHash: string; index: number }>();
    const charged = new Set<string>();
    const used = new Map<string, number>();
    claims.forEach((current, index) => {
      const key = keys.get(`${current.userId}/${current.idempotencyKey}`);
      const count = used.get(current.userId) ?? 0;
      let expected: GenerationDecision;
      if (key) {
        expected =
          key.requestHash === current.requestHash
            ? { kind: 'replay-of', index: key.index }
            : { kind: 'conflict' };
      } else if (charged.has(`${current.userId}/${current.specHash}`)) {
        expected = { kind: 'grant', charged: false, used: count };
        keys.set(`${current.userId}/${current.idempotencyKey}`, { requestHash: current.requestHash, index });
      } else if (count >= 4) {
        expected = { kind: 'quota-exceeded', used: count };
      } else {
        used.set(current.userId, count + 1);
        charged.add(`${current.userId}/${current.specHash}`);
        keys.set(`${current.userId}/${current.idempotencyKey}`, { requestHash: current.requestHash, index });
        expected = { kind: 'grant', charged: true, used: count + 1 };
      }
      expect(batch[index], `request ${index}`).toEqual(expected);
    });
  });
});
