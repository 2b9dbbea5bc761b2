/**
 * Maps what the SDKs throw (their `APIError` family: status + headers, or a connection/timeout error) to a
 * {@link ProviderError}. Both SDKs share the same error shape, so this works by shape rather than class.
 */
import { type HeaderSource, parseRetryAfter } from '../../../net/retry.ts';
import { ProviderError } from './types.ts';

/** Shortens a provider message to one line. */
function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
}

/** How an SDK's own error classes tell a timeout and a caller abort apart (they carry no status). */
export interface SdkErrorClasses {
  isTimeout(error: unknown): boolean;
  isAbort(error: unknown): boolean;
}

/** Converts an SDK error (or anything thrown while calling it) to a {@link ProviderError}. */
export function toProviderError(error: unknown, label: string, classes?: SdkErrorClasses): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: unknown; status?: unknown; headers?: HeaderSource; message?: unknown };
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = oneLine(typeof e?.message === 'string' ? e.message : String(error));
  if (classes?.isTimeout(error) || name === 'TimeoutError') {
    return new ProviderError('timeout', `${label} did not answer in time`);
  }
  if (classes?.isAbort(error) || name === 'AbortError') {
    return new ProviderError('timeout', `${label} request was aborted`);
  }
  if (typeof e?.status !== 'number') {
    return new ProviderError('connection', `${label} could not be reached (${message})`);
  }
  const status = e.status;
  const retryAfterMs = parseRetryAfter(e.headers);
  const text = `${label} answered ${status}: ${message}`;
  if (status === 429) return new ProviderError('rate-limit', text, { status, retryAfterMs });
  if (status >= 500 || status === 408 || status === 409) {
    return new ProviderError('overloaded', text, { status, retryAfterMs });
  }
  if (status === 401 || status === 403) return new ProviderError('auth', text, { status });
  return new ProviderError('request', text, { status });
}
