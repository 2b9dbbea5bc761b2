/** A limit: at most `max` requests per fixed window of `windowMs`. */
export interface RateRule {
  max: number;
  windowMs: number;
}

/** Result of {@link RateStore.consume} and {@link RateStore.peek}. */
export interface RateDecision {
  allowed: boolean;
  /** Seconds until the window resets (for `Retry-After`), at least 1. */
  retryAfterSeconds: number;
}

/**
 * Fixed-window counters shared by every instance of the server: in the database (PostgreSQL, or PGlite
 * for the embedded single-process default) or in Redis when REDIS_URL is set. Every operation is atomic
 * in the store, so N instances allow exactly what one would.
 */
export interface RateStore {
  readonly kind: 'database' | 'redis';
  /** Counts one request for `key`; allowed while the window's count stays within `rule.max`. */
  consume(key: string, rule: RateRule): Promise<RateDecision>;
  /** Whether `key` still has room in its window, without counting anything. */
  peek(key: string, rule: RateRule): Promise<RateDecision>;
  /** Takes back one counted request (a sign-in that turned out to be genuine). */
  refund(key: string): Promise<void>;
  /** Stops timers and closes connections the store owns. */
  close(): Promise<void>;
}

/** Seconds until `resetAt` (ms), at least 1. */
export function secondsUntil(resetAt: number, now: number): number {
  return Math.max(1, Math.ceil((resetAt - now) / 1000));
}
