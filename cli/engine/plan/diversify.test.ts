import { describe, expect, it } from 'vitest';
import type { PlannedCase } from './case-ids.ts';
import { diversify } from './cases-values.ts';

type Planned = PlannedCase;

function planned(title: string): Planned {
  return { key: title, category: 'negative', operationId: 'op', title, tags: [], steps: [] };
}

/** The selection made eagerly: every candidate made first, then round-robin over kinds. */
function reference(cases: Array<{ kind: string; plan: () => Planned | undefined }>, limit: number): string[] {
  const made = cases.map((c, index) => ({ kind: c.kind, index, planned: c.plan() }));
  const groups = new Map<string, typeof made>();
  for (const m of made) {
    if (!m.planned) continue;
    const group = groups.get(m.kind) ?? [];
    group.push(m);
    groups.set(m.kind, group);
  }
  const picked: typeof made = [];
  for (let round = 0; picked.length < limit; round++) {
    let any = false;
    for (const group of groups.values()) {
      const next = group[round];
      if (next && picked.length < limit) {
        picked.push(next);
        any = true;
      }
    }
    if (!any) break;
  }
  return picked.sort((a, b) => a.index - b.index).map((m) => m.planned!.title);
}

describe('diversify', () => {
  it('picks what the eager selection picks, for random candidate lists', () => {
    let state = 3;
    const next = () => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    for (let run = 0; run < 300; run++) {
      const cases = Array.from({ length: Math.floor(next() * 60) }, (_, i) => {
        const kind = `k${Math.floor(next() * 6)}`;
        const fails = next() < 0.3;
        return { kind, plan: () => (fails ? undefined : planned(`${kind}#${i}`)) };
      });
      const limit = 1 + Math.floor(next() * 30);
      expect(diversify(cases, limit).map((p) => p.title)).toEqual(reference(cases, limit));
    }
  });

  it('makes only the candidates it may pick, each once', () => {
    const calls: number[] = [];
    const cases = Array.from({ length: 500 }, (_, i) => ({
      kind: `k${i % 5}`,
      plan: () => {
        calls.push(i);
        return i % 7 === 0 ? undefined : planned(String(i));
      },
    }));
    const picked = diversify(cases, 24);
    expect(picked).toHaveLength(24);
    expect(new Set(calls).size).toBe(calls.length);
    expect(calls.length).toBeLessThan(40);
  });
});
