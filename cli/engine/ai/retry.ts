/**
 * Retries of provider calls: exponential backoff with jitter on rate limits, overload (5xx, Anthropic 529),
 * timeouts, dropped connections and malformed answers; the server's `Retry-After` wins over the backoff.
 * Authentication and other request errors are final.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError } from './providers/types.ts';

/** Options of {@link withRetries}. */
export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff delay; doubles each retry. @default 500 */
  baseDelayMs?: number;
  /** Longest backoff delay. @default 8000 */
  maxDelayMs?: number;
  /** Longest `Retry-After` honoured; a longer one ends the retries. @default 60000 */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  /** Called before each wait. */
  onRetry?: (info: { error: ProviderError; attempt: number; delayMs: number }) => void;
}

/** The backoff before retry number `attempt` (0-based), with ±25 % jitter. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const raw = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(raw * (0.75 + Math.random() * 0.5));
}

/** Runs `task` until it succeeds, a final error occurs, or the retries are used up (last error thrown). */
export async function withRetries<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await task(attempt);
    } catch (thrown) {
      const error =
        thrown instanceof ProviderError
          ? thrown
          : new ProviderError('connection', (thrown as Error).message ?? String(thrown));
      if (!error.retryable || attempt >= options.maxRetries || options.signal?.aborted) throw error;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter) {
        throw new ProviderError(
          error.kind,
          `${error.message} (asked to retry after ${Math.ceil(error.retryAfterMs / 1000)} s)`,
          {
            status: error.status,
            retryAfterMs: error.retryAfterMs,
          },
        );
      }
      const delayMs =
        error.retryAfterMs ?? backoffDelay(attempt, options.baseDelayMs ?? 500, options.maxDelayMs ?? 8000);
      options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, undefined, { signal: options.signal });
    }
  }
}
