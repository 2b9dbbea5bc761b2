/** Result of {@link RateLimiter.consume}. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for `Retry-After`). */
  retryAfterSeconds: number;
}

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
  /** Most keys tracked; the oldest are dropped beyond. @default 50000 */
  maxKeys?: number;
  clock?: () => number;
}

/** An in-process fixed-window counter per key (account, client IP). */
export class RateLimiter {
  readonly #windows = new Map<string, { start: number; count: number }>();
  readonly #options: Required<RateLimiterOptions>;

  constructor(options: RateLimiterOptions) {
    this.#options = { maxKeys: 50_000, clock: Date.now, ...options };
  }

  /** Counts one request for `key` and says whether it is within the limit. */
  consume(key: string): RateDecision {
    return this.#count(key, 1);
  }

  /** Whether `key` is already over the limit, without counting a request. */
  peek(key: string): RateDecision {
    return this.#count(key, 0);
  }

  #count(key: string, weight: number): RateDecision {
    const { max, windowMs, maxKeys, clock } = this.#options;
    const now = clock();
    let window = this.#windows.get(key);
    if (!window || now - window.start >= windowMs) {
      if (weight === 0) return { allowed: true, retryAfterSeconds: 0 };
      this.#windows.delete(key);
      if (this.#windows.size >= maxKeys) this.#windows.delete(this.#windows.keys().next().value as string);
      window = { start: now, count: 0 };
      this.#windows.set(key, window);
    }
    window.count += weight;
    const retryAfterSeconds = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
    return { allowed: weight === 0 ? window.count < max : window.count <= max, retryAfterSeconds };
  }
}
