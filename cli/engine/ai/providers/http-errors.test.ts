import { describe, expect, test } from 'vitest';
import { toProviderError } from './http-errors.ts';

const headers = (entries: Record<string, string>) => new Headers(entries);

describe('toProviderError', () => {
  test.each([
    [{ status: 429, headers: headers({ 'retry-after': '1' }), message: 'slow down' }, 'rate-limit', true],
    [{ status: 529, message: 'Overloaded' }, 'overloaded', true],
    [{ status: 500, message: 'boom' }, 'overloaded', true],
    [{ status: 401, message: 'bad key' }, 'auth', false],
    [{ status: 404, message: 'no such model' }, 'request', false],
    [new TypeError('fetch failed'), 'connection', true],
  ])('%j → %s', (error, kind, retryable) => {
    const mapped = toProviderError(error, 'X');
    expect(mapped.kind).toBe(kind);
    expect(mapped.retryable).toBe(retryable);
  });

  test('keeps Retry-After', () => {
    expect(toProviderError({ status: 429, headers: headers({ 'retry-after': '3' }) }, 'X').retryAfterMs).toBe(
      3000,
    );
  });
});
