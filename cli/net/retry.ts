/**
 * The one retry loop and the one `Retry-After` parser of the CLI: the licence server client
 * (cli/net/http-client.ts) and the AI providers (cli/engine/ai/ask-model.ts) both retry through here, each
 * with its own idea of what is worth retrying.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** What a retry policy decides about one attempt's outcome. */
export type RetryDecision =
  /** Try again after `delayMs`. */
  | { retry: true; delayMs: number }
  /** Stop: return the value / throw the error as it is. */
  | { retry: false };

/** The outcome of one attempt: a value or a thrown error. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** Options of {@link retry}. */
export interface RetryOptions<T> {
  /** Attempts in all, the first one included (1: no retry). */
  attempts: number;
  /** Whether to try again after attempt number `attempt` (0-based), and after how long. */
  decide(outcome: Attempt<T>, attempt: number): RetryDecision;
  /** Stops the waiting; the last outcome is returned or thrown. */
  signal?: AbortSignal;
  /** Called before each wait. */
  onRetry?: (info: { outcome: Attempt<T>; attempt: number; delayMs: number }) => void;
}

/**
 * Runs `task` until the policy stops it or the attempts are used up; gives the last value or throws the
 * last error.
 */
export async function retry<T>(task: (attempt: number) => Promise<T>, options: RetryOptions<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    let outcome: Attempt<T>;
    try {
      outcome = { ok: true, value: await task(attempt) };
    } catch (error) {
      outcome = { ok: false, error };
    }
    const decision =
      attempt + 1 < options.attempts && !options.signal?.aborted
        ? options.decide(outcome, attempt)
        : { retry: false as const };
    if (!decision.retry) {
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
    options.onRetry?.({ outcome, attempt, delayMs: decision.delayMs });
    try {
      await sleep(decision.delayMs, undefined, { signal: options.signal });
    } catch {
      // Aborted while waiting: the last outcome stands.
      if (outcome.ok) return outcome.value;
      throw outcome.error;
    }
  }
}

/** Exponential backoff before retry number `attempt` (0-based): `baseMs` doubled each time, capped, ±25 % jitter. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  maxMs: number = Number.POSITIVE_INFINITY,
): number {
  const raw = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(raw * (0.75 + Math.random() * 0.5));
}

/** A header map: a `Headers`-like object, or a plain record with lower-case names. */
export type HeaderSource =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | undefined>>;

function header(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  return (headers as Record<string, string | undefined>)[name];
}

/**
 * Milliseconds to wait from `retry-after-ms` (OpenAI and Anthropic send it) or `Retry-After` (seconds or an
 * HTTP date); `undefined` when neither is there or readable.
 */
export function parseRetryAfter(
  headers: HeaderSource | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(header(headers, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = header(headers, 'retry-after')?.trim();
  if (raw === undefined || raw === '') return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
