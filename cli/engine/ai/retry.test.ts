import { describe, expect, test } from 'vitest';
import { ProviderError } from './providers/types.ts';
import { withRetries } from './retry.ts';

describe('withRetries', () => {
  test('retries retryable errors, honouring Retry-After, then succeeds', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        calls += 1;
        if (calls === 1)
          throw new ProviderError('rate-limit', 'slow down', { status: 429, retryAfterMs: 20 });
        if (calls === 2) throw new ProviderError('overloaded', 'busy', { status: 529 });
        return 'ok';
      },
      { maxRetries: 3, baseDelayMs: 10, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays[0]).toBe(20);
    // Second retry: 10 ms doubled, ±25 % jitter.
    expect(delays[1]).toBeGreaterThanOrEqual(15);
    expect(delays[1]).toBeLessThanOrEqual(25);
  });

  test('does not retry final errors', async () => {
    let calls = 0;
    const failing = withRetries(
      async () => {
        calls += 1;
        throw new ProviderError('auth', 'bad key', { status: 401 });
      },
      { maxRetries: 3 },
    );
    await expect(failing).rejects.toMatchObject({ kind: 'auth' });
    expect(calls).toBe(1);
  });

  test('gives up after maxRetries, and on a Retry-After longer than allowed', async () => {
    let calls = 0;
    await expect(
      withRetries(
        async () => {
          calls += 1;
          throw new ProviderError('overloaded', 'busy', { status: 503 });
        },
        { maxRetries: 2, baseDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ kind: 'overloaded' });
    expect(calls).toBe(3);
    await expect(
      withRetries(
        async () => {
          throw new ProviderError('rate-limit', 'wait', { status: 429, retryAfterMs: 120_000 });
        },
        { maxRetries: 2 },
      ),
    ).rejects.toThrow(/asked to retry after 120 s/);
  });
});
