/**
 * The device side of the OAuth 2.0 Device Authorization Grant (RFC 8628) against better-auth's
 * `/api/auth/device/*` endpoints: ask for a code, show it, then poll the token endpoint at the server's
 * interval until the user approves in the browser.
 *
 * A 429 from the server's rate limiter while polling is handled as `slow_down` (back off, honour
 * `Retry-After`), never as a failure: the code stays valid until it expires.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5 (polling, `slow_down` adds 5 seconds)
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { DeviceCodeResponse, DeviceTokenResponse } from '../../shared/contracts.ts';
import { plural } from '../ui/plural.ts';
import { groupUserCode } from '../ui/user-code.ts';
import { NotEntitledError } from './account-errors.ts';
import type { DevicePoll } from './api-client.ts';

/** RFC 8628 §3.5: on `slow_down` the interval grows by 5 seconds for all later polls. */
export const SLOW_DOWN_STEP_SECONDS = 5;

/** What {@link runDeviceLogin} needs from the API client. */
export interface DeviceLoginApi {
  deviceCode(): Promise<DeviceCodeResponse>;
  pollDeviceToken(deviceCode: string): Promise<DevicePoll>;
}

/** Options of {@link runDeviceLogin}. */
export interface DeviceLoginOptions {
  api: DeviceLoginApi;
  /** Shows the code (and opens the browser) before polling starts. */
  onCode: (code: DeviceCodeResponse) => Promise<void> | void;
  /**
   * Called after each `slow_down` (or 429, which is treated the same) with the new interval and the wait
   * before the next poll, in seconds.
   */
  onSlowDown?: (intervalSeconds: number, waitSeconds: number) => void;
  /** @default timers/promises setTimeout */
  sleep?: (ms: number) => Promise<unknown>;
  /** @default Date.now */
  now?: () => number;
}

function expired(code: DeviceCodeResponse): NotEntitledError {
  const minutes = Math.round(code.expires_in / 60);
  const lifetime = minutes >= 1 ? plural(minutes, 'minute') : plural(code.expires_in, 'second');
  return new NotEntitledError(
    `The login code ${groupUserCode(code.user_code)} expired: it was not approved within ${lifetime}.`,
    {
      code: 'LOGIN_EXPIRED',
      hint: 'Run `specmint login` again and approve the new code in the browser before it expires.',
    },
  );
}

/** Runs the flow; resolves the access token, or throws {@link NotEntitledError} (exit 4). */
export async function runDeviceLogin(options: DeviceLoginOptions): Promise<DeviceTokenResponse> {
  const sleep = options.sleep ?? sleepMs;
  const now = options.now ?? Date.now;
  const code = await options.api.deviceCode();
  const deadline = now() + code.expires_in * 1000;
  let intervalSeconds = Math.max(1, code.interval);
  let waitSeconds = intervalSeconds;
  await options.onCode(code);
  for (;;) {
    await sleep(waitSeconds * 1000);
    waitSeconds = intervalSeconds;
    if (now() >= deadline) throw expired(code);
    const poll = await options.api.pollDeviceToken(code.device_code);
    if (poll.ok) return poll.token;
    switch (poll.error.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        intervalSeconds += SLOW_DOWN_STEP_SECONDS;
        // A 429 says when to come back; wait at least that long once, then poll at the new interval.
        waitSeconds = Math.max(intervalSeconds, poll.retryAfterSeconds ?? 0);
        options.onSlowDown?.(intervalSeconds, waitSeconds);
        continue;
      case 'expired_token':
        throw expired(code);
      case 'access_denied':
        throw new NotEntitledError('The login was denied in the browser.', {
          code: 'LOGIN_DENIED',
          hint: 'Run `specmint login` again and choose Approve if it was you.',
        });
      default:
        throw new NotEntitledError(
          `The licence server refused the login (${poll.error.error}${poll.error.error_description ? `: ${poll.error.error_description}` : ''}).`,
          { code: 'LOGIN_FAILED', hint: 'Run `specmint login` again.' },
        );
    }
  }
}
