/**
 * Retries of provider calls: exponential backoff with jitter on rate limits, overload (5xx, Anthropic 529),
 * timeouts, dropped connections and malformed answers; the server's `Retry-After` wins over the backoff.
 * Authentication and other request errors are final. The loop itself is the CLI's one (cli/net/retry.ts).
 */
import { backoffDelay, retry } from '../../net/retry.ts';
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

function asProviderError(thrown: unknown): ProviderError {
  return thrown instanceof ProviderError
    ? thrown
    : new ProviderError('connection', (thrown as Error).message ?? String(thrown));
}

/** Runs `task` until it succeeds, a final error occurs, or the retries are used up (last error thrown). */
export async function withRetries<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  try {
    return await retry(task, {
      attempts: options.maxRetries + 1,
      signal: options.signal,
      decide(outcome, attempt) {
        if (outcome.ok) return { retry: false };
        const error = asProviderError(outcome.error);
        if (!error.retryable) return { retry: false };
        if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter) return { retry: false };
        const delayMs =
          error.retryAfterMs ?? backoffDelay(attempt, options.baseDelayMs ?? 500, options.maxDelayMs ?? 8000);
        return { retry: true, delayMs };
      },
      onRetry: ({ outcome, attempt, delayMs }) =>
        options.onRetry?.({
          error: asProviderError((outcome as { error: unknown }).error),
          attempt,
          delayMs,
        }),
    });
  } catch (thrown) {
    const error = asProviderError(thrown);
    if (error.retryable && error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter) {
      throw new ProviderError(
        error.kind,
        `${error.message} (asked to retry after ${Math.ceil(error.retryAfterMs / 1000)} s)`,
        { status: error.status, retryAfterMs: error.retryAfterMs },
      );
    }
    throw error;
  }
}
