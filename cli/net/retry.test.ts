import { describe, expect, test } from 'vitest';
import { backoffDelay, parseRetryAfter, retry } from './retry.ts';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  test.each([
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': '0' }, 0],
    [{ 'retry-after-ms': '150', 'retry-after': '9' }, 150],
    [{ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }, 5000],
    [{ 'retry-after': 'Wed, 31 Dec 2025 23:59:00 GMT' }, 0],
    [{ 'retry-after': 'soon' }, undefined],
    [{ 'retry-after': '' }, undefined],
    [{}, undefined],
  ])('%j → %s (Headers and plain records alike)', (entries, expected) => {
    expect(parseRetryAfter(new Headers(entries), NOW)).toBe(expected);
    expect(parseRetryAfter(entries, NOW)).toBe(expected);
  });

  test('no headers at all', () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  test('doubles from the base, within ±25 %, up to the cap', () => {
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const delay = backoffDelay(attempt, 100, 1000);
      const raw = Math.min(1000, 100 * 2 ** attempt);
      expect(delay).toBeGreaterThanOrEqual(raw * 0.75);
      expect(delay).toBeLessThanOrEqual(raw * 1.25);
    }
  });
});

describe('retry', () => {
  test('tries again while the policy says so, then gives the value', async () => {
    const seen: number[] = [];
    const value = await retry(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 2) throw new Error(`fail ${attempt}`);
        return 'ok';
      },
      { attempts: 5, decide: (outcome) => (outcome.ok ? { retry: false } : { retry: true, delayMs: 1 }) },
    );
    expect(value).toBe('ok');
    expect(seen).toEqual([0, 1, 2]);
  });

  test('stops at the attempt limit with the last error, and can retry on a value too', async () => {
    let calls = 0;
    await expect(
      retry(
        async () => {
          calls += 1;
          throw new Error(`fail ${calls}`);
        },
        { attempts: 3, decide: () => ({ retry: true, delayMs: 1 }) },
      ),
    ).rejects.toThrow('fail 3');
    const values: number[] = [];
    const last = await retry(
      async (attempt) => {
        values.push(attempt);
        return attempt;
      },
      {
        attempts: 4,
        decide: (outcome) =>
          outcome.ok && outcome.value < 2 ? { retry: true, delayMs: 1 } : { retry: false },
      },
    );
    expect(last).toBe(2);
    expect(values).toEqual([0, 1, 2]);
  });

  test('an abort while waiting ends with the last outcome', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = retry(
      async () => {
        throw new Error('down');
      },
      { attempts: 3, signal: controller.signal, decide: () => ({ retry: true, delayMs: 60_000 }) },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow('down');
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
