import { describe, expect, it } from 'vitest';
import { DEVICE_POLLERS_PER_ADDRESS, devicePollRateRule } from '../../server/auth/create-auth.ts';
import { EnvError, parseEnv } from '../../server/env.ts';

describe('test-only device-flow timings (SPECMINT_TEST_DEVICE_*)', () => {
  it('are read in seconds', () => {
    expect(
      parseEnv({ SPECMINT_TEST_DEVICE_CODE_TTL: '60', SPECMINT_TEST_DEVICE_POLL_INTERVAL: '1' })
        .deviceFlowTest,
    ).toEqual({ codeTtlSeconds: 60, pollIntervalSeconds: 1 });
    expect(parseEnv({}).deviceFlowTest).toEqual({});
  });

  it('are refused in production and out of range', () => {
    expect(() => parseEnv({ NODE_ENV: 'production', SPECMINT_TEST_DEVICE_CODE_TTL: '60' })).toThrow(
      /for tests; unset them in production/,
    );
    expect(() => parseEnv({ SPECMINT_TEST_DEVICE_CODE_TTL: '3600' })).toThrow(EnvError);
    expect(() => parseEnv({ SPECMINT_TEST_DEVICE_POLL_INTERVAL: '0' })).toThrow(EnvError);
  });
});

/**
 * better-auth's memory limiter (api/rate-limiter, `decideConsume`): an allowed request after a quiet gap
 * of `window` seconds restarts the count at 1; otherwise a request is refused once `count >= max`.
 */
function quietGapLimiter(rule: { window: number; max: number }) {
  let last = Number.NEGATIVE_INFINITY;
  let count = 0;
  return (at: number): boolean => {
    if (at - last >= rule.window) {
      count = 1;
      last = at;
      return true;
    }
    if (count >= rule.max) return false;
    count += 1;
    last = at;
    return true;
  };
}

/** A deterministic pseudo-random sequence in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe('devicePollRateRule', () => {
  it.each([1, 5])(
    'never refuses %i-second polling from up to K terminals behind one address, for hours',
    (interval) => {
      const next = random(interval);
      for (let terminals = 1; terminals <= DEVICE_POLLERS_PER_ADDRESS; terminals += 1) {
        const polls: number[] = [];
        for (let t = 0; t < terminals; t += 1) {
          // Each terminal waits at least the interval (plus up to 30% network and processing time).
          for (let at = next() * interval; at < 3 * 3600; at += interval * (1 + 0.3 * next())) polls.push(at);
        }
        polls.sort((a, b) => a - b);
        const allow = quietGapLimiter(devicePollRateRule(interval));
        const refused = polls.filter((at) => !allow(at));
        expect(refused, `${terminals} terminals`).toEqual([]);
      }
    },
  );

  it('holds a flood from one address to about max / window requests a second', () => {
    const rule = devicePollRateRule(5);
    const allow = quietGapLimiter(rule);
    const flood = Array.from({ length: 1000 }, (_, index) => index * 0.01); // 100 a second for 10 s
    const allowed = flood.filter((at) => allow(at)).length;
    expect(allowed).toBeLessThanOrEqual(10 * (rule.max / rule.window) + rule.max);
    expect(allowed).toBeLessThan(300);
  });
});
