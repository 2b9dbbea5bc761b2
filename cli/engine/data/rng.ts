/**
 * Deterministic pseudo-random numbers for data synthesis (sfc32 seeded from a cyrb128 string hash).
 * Nothing in the engine uses `Math.random`: the same seed always gives the same data.
 */

/** A seeded random stream. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive (`min` when `max < min`). */
  int(min: number, max: number): number;
  /** One item of a non-empty list. Throws on an empty list. */
  pick<T>(items: readonly T[]): T;
  bool(): boolean;
  /**
   * An independent stream determined by this stream's seed and `label` only — not by how many numbers
   * this stream has produced — so adding a case for one operation never changes data for another.
   */
  fork(label: string): Rng;
}

type State = readonly [number, number, number, number];

/** cyrb128's running state: four 32-bit lanes mixed one character at a time. */
type HashLanes = [number, number, number, number];

const HASH_SEED: State = [1779033703, 3144134277, 1013904242, 2773480762];

/** Mixes `text` into a copy of `lanes` (the absorbing half of cyrb128). */
function absorb(lanes: State, text: string): HashLanes {
  // Indexing, not destructuring: array destructuring goes through the iterator protocol, and this runs once
  // per forked stream (hundreds of thousands of times per plan).
  let h1 = lanes[0];
  let h2 = lanes[1];
  let h3 = lanes[2];
  let h4 = lanes[3];
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  return [h1, h2, h3, h4];
}

/** The finalising half of cyrb128. */
function finish(lanes: State): State {
  let h1 = lanes[0];
  let h2 = lanes[1];
  let h3 = lanes[2];
  let h4 = lanes[3];
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** cyrb128: a fast 128-bit string hash, good enough to seed sfc32. */
function hash128(text: string): State {
  return finish(absorb(HASH_SEED, text));
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counting generator), 32-bit output. */
class Sfc32 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** cyrb128 lanes after the fork prefix of this stream's seed (computed on the first fork). */
  private forkLanes: State | undefined;

  constructor(private readonly seed: State) {
    this.a = seed[0];
    this.b = seed[1];
    this.c = seed[2];
    this.d = seed[3];
    // Warm up so that similar seeds diverge before the first number is used.
    for (let i = 0; i < 12; i++) this.next();
  }

  next(): number {
    const a = this.a >>> 0;
    const b = this.b >>> 0;
    const c = this.c >>> 0;
    const d = this.d >>> 0;
    let t = (a + b) | 0;
    this.a = b ^ (b >>> 9);
    this.b = (c + (c << 3)) | 0;
    const rotated = (c << 21) | (c >>> 11);
    this.d = (d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (rotated + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    const lo = Math.ceil(min);
    const hi = Math.floor(max);
    if (hi <= lo) return lo;
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick needs a non-empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  bool(): boolean {
    return this.next() < 0.5;
  }

  fork(label: string): Rng {
    // Same as hash128(`${a},${b},${c},${d}|${label}`): the seed prefix is absorbed once per stream, since
    // synthesis forks the same stream once per property, item and retry.
    if (this.forkLanes === undefined) {
      const seed = this.seed;
      this.forkLanes = absorb(HASH_SEED, `${seed[0]},${seed[1]},${seed[2]},${seed[3]}|`);
    }
    return new Sfc32(finish(absorb(this.forkLanes, label)));
  }
}

/** Creates a stream from a seed; a number and its decimal text (`42`, `"42"`) give the same stream. */
export function createRng(seed: number | string): Rng {
  return new Sfc32(hash128(String(seed)));
}
