import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

const PLAN = {
  planVersion: 2,
  cases: [{ id: 'b', title: 't', steps: [{ z: 1, a: 2 }] }],
  api: { version: '1', title: 'x' },
};

describe('canonicalJson', () => {
  it('writes the members of every object in canonical order, indented by two, with a final newline', () => {
    const text = canonicalJson(PLAN);
    expect(typeof text).toBe('string');
    const ordered = {
      planVersion: 2,
      api: { title: 'x', version: '1' },
      cases: [{ title: 't', id: 'b', steps: [{ a: 2, z: 1 }] }],
    };
    expect(text).toBe(`${JSON.stringify(ordered, null, 2)}\n`);
  });
});
