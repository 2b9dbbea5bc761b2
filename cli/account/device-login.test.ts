import { describe, expect, it } from 'vitest';
import type { DeviceCodeResponse } from '../../shared/contracts.ts';
import { NotEntitledError } from './account-errors.ts';
import type { DevicePoll } from './api-client.ts';
import { runDeviceLogin } from './device-login.ts';

const CODE: DeviceCodeResponse = {
  device_code: 'dev-123',
  user_code: 'ABCD2345',
  verification_uri: 'http://localhost/device',
  verification_uri_complete: 'http://localhost/device?user_code=ABCD2345',
  expires_in: 60,
  interval: 5,
};

function pending(
  error: 'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'invalid_grant',
): DevicePoll {
  return { ok: false, error: { error } };
}

/** Runs the flow over a scripted server with a virtual clock; records each sleep. */
async function run(answers: DevicePoll[], code: DeviceCodeResponse = CODE) {
  let clock = 0;
  const sleeps: number[] = [];
  const polled: string[] = [];
  const shown: DeviceCodeResponse[] = [];
  const promise = runDeviceLogin({
    api: {
      deviceCode: async () => code,
      pollDeviceToken: async (deviceCode) => {
        polled.push(deviceCode);
        const answer = answers.shift();
        if (!answer) throw new Error('polled too often');
        return answer;
      },
    },
    onCode: (shownCode) => {
      shown.push(shownCode);
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    now: () => clock,
  });
  return { promise, sleeps, polled, shown };
}

describe('runDeviceLogin', () => {
  it('polls at the interval until approved', async () => {
    const token = { access_token: 'session-token', token_type: 'Bearer', expires_in: 3600 };
    const { promise, sleeps, polled, shown } = await run([
      pending('authorization_pending'),
      pending('authorization_pending'),
      { ok: true, token },
    ]);
    await expect(promise).resolves.toEqual(token);
    expect(shown).toEqual([CODE]);
    expect(sleeps).toEqual([5000, 5000, 5000]);
    expect(polled).toEqual(['dev-123', 'dev-123', 'dev-123']);
  });

  it('adds 5 seconds for every slow_down (RFC 8628 §3.5)', async () => {
    const token = { access_token: 't', token_type: 'Bearer', expires_in: 1 };
    const { promise, sleeps } = await run([
      pending('slow_down'),
      pending('slow_down'),
      pending('authorization_pending'),
      { ok: true, token },
    ]);
    await promise;
    expect(sleeps).toEqual([5000, 10_000, 15_000, 15_000]);
  });

  it('treats a 429 while polling as slow_down: waits for Retry-After, then polls at interval + 5 s', async () => {
    const token = { access_token: 't', token_type: 'Bearer', expires_in: 1 };
    const { promise, sleeps } = await run([
      pending('authorization_pending'),
      { ok: false, error: { error: 'slow_down' }, retryAfterSeconds: 30 },
      pending('authorization_pending'),
      { ok: true, token },
    ]);
    await expect(promise).resolves.toEqual(token);
    expect(sleeps).toEqual([5000, 5000, 30_000, 10_000]);
  });

  it('a short Retry-After never polls faster than the grown interval', async () => {
    const token = { access_token: 't', token_type: 'Bearer', expires_in: 1 };
    const { promise, sleeps } = await run([
      { ok: false, error: { error: 'slow_down' }, retryAfterSeconds: 1 },
      { ok: true, token },
    ]);
    await promise;
    expect(sleeps).toEqual([5000, 10_000]);
  });

  it('says which code expired and after how long', async () => {
    const { promise } = await run([pending('expired_token')], { ...CODE, expires_in: 900 });
    const failure = (await promise.catch((caught: unknown) => caught)) as NotEntitledError;
    expect(failure.exitCode).toBe(4);
    expect(failure.message).toBe('The login code ABCD-2345 expired: it was not approved within 15 minutes.');
    expect(failure.hint).toContain('specmint login');
  });

  it.each([
    ['expired_token', 'LOGIN_EXPIRED'],
    ['access_denied', 'LOGIN_DENIED'],
    ['invalid_grant', 'LOGIN_FAILED'],
  ] as const)('stops on %s with exit 4', async (error, code) => {
    const { promise } = await run([pending('authorization_pending'), pending(error)]);
    const failure = await promise.catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(NotEntitledError);
    expect((failure as NotEntitledError).exitCode).toBe(4);
    expect((failure as NotEntitledError).code).toBe(code);
  });

  it('gives up when the code expires while pending', async () => {
    const { promise, polled } = await run(
      Array.from({ length: 20 }, () => pending('authorization_pending')),
      { ...CODE, expires_in: 12 },
    );
    await expect(promise).rejects.toMatchObject({ code: 'LOGIN_EXPIRED' });
    expect(polled.length).toBe(2);
  });
});
