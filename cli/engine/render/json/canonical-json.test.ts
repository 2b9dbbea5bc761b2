import { afterEach, describe, expect, it, vi } from 'vitest';
import { joinText } from '../common/file-text.ts';
import { canonicalJson } from './canonical-json.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

const PLAN = {
  planVersion: 2,
  cases: [{ id: 'b', title: 't', steps: [{ z: 1, a: 2 }] }],
  api: { version: '1', title: 'x' },
};

describe('canonicalJson', () => {
  it('writes the same bytes whole or in parts', () => {
    const whole = canonicalJson(PLAN, { likelyWhole: true });
    expect(typeof whole).toBe('string');
    expect(canonicalJson(PLAN)).toBe(whole);
    expect(whole).toContain('"api": {\n    "title": "x",\n    "version": "1"\n  },\n  "cases"');
  });

  it('falls back to parts when one string would be too long', () => {
    const expected = canonicalJson(PLAN);
    const real = JSON.stringify;
    let calls = 0;
    vi.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
      calls += 1;
      // The first call is the attempt to write it whole: V8 throws this past its string limit.
      if (calls === 1) throw new RangeError('Invalid string length');
      return real(...args);
    });
    expect(joinText(canonicalJson(PLAN, { likelyWhole: true }))).toBe(expected);
    expect(calls).toBeGreaterThan(1);
  });
});
