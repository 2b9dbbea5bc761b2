import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../../cli/engine/data/rng.ts';

const take = (rng: Rng, n = 20): number[] => Array.from({ length: n }, () => rng.next());

describe('createRng', () => {
  it('is deterministic per seed, and numbers equal their decimal text', () => {
    expect(take(createRng(42))).toEqual(take(createRng(42)));
    expect(take(createRng('42'))).toEqual(take(createRng(42)));
    expect(take(createRng(42))).not.toEqual(take(createRng(43)));
    expect(take(createRng('a'))).not.toEqual(take(createRng('b')));
  });

  it('next() stays in [0, 1) and looks uniform', () => {
    const values = take(createRng('uniform'), 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const buckets = new Array<number>(10).fill(0);
    for (const v of values) buckets[Math.floor(v * 10)] = (buckets[Math.floor(v * 10)] ?? 0) + 1;
    for (const count of buckets) expect(count).toBeGreaterThan(1700);
  });

  it('int() covers both inclusive ends and nothing outside', () => {
    const rng = createRng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(rng.int(-2, 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(rng.int(5, 5)).toBe(5);
    expect(rng.int(5, 1)).toBe(5);
  });

  it('pick() and bool() use the stream; pick() rejects an empty list', () => {
    const rng = createRng(1);
    const picks = new Set(Array.from({ length: 200 }, () => rng.pick(['a', 'b', 'c'])));
    expect(picks).toEqual(new Set(['a', 'b', 'c']));
    const bools = new Set(Array.from({ length: 50 }, () => rng.bool()));
    expect(bools).toEqual(new Set([true, false]));
    expect(() => rng.pick([])).toThrow(RangeError);
  });

  it('fork(label) depends on the parent seed and the label, not on how much the parent was used', () => {
    const fresh = createRng(99);
    const used = createRng(99);
    take(used, 1000);
    expect(take(used.fork('op:createPet'))).toEqual(take(fresh.fork('op:createPet')));
    expect(take(fresh.fork('a'))).not.toEqual(take(fresh.fork('b')));
    expect(take(createRng(98).fork('a'))).not.toEqual(take(createRng(99).fork('a')));
    // Forks of forks are stable too, and a fork is not the parent's own stream.
    expect(take(fresh.fork('a').fork('b'))).toEqual(take(createRng(99).fork('a').fork('b')));
    expect(take(fresh.fork('a'))).not.toEqual(take(createRng(99)));
  });

  it('forked streams are independent (no correlation between neighbouring labels)', () => {
    const root = createRng('corr');
    const a = take(root.fork('item:1'), 5000);
    const b = take(root.fork('item:2'), 5000);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const ma = mean(a);
    const mb = mean(b);
    let cov = 0;
    let va = 0;
    let vb = 0;
    for (let i = 0; i < a.length; i++) {
      cov += ((a[i] ?? 0) - ma) * ((b[i] ?? 0) - mb);
      va += ((a[i] ?? 0) - ma) ** 2;
      vb += ((b[i] ?? 0) - mb) ** 2;
    }
    expect(Math.abs(cov / Math.sqrt(va * vb))).toBeLessThan(0.05);
  });
});
