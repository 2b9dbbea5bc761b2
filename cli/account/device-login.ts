/**
 * The device side of the OAuth 2.0 Device Authorization Grant (RFC 8628) against better-auth's
 * `/api/auth/device/*` endpoints: ask for a code, show it, then poll the token endpoint at the server's
 * interval until the user approves in the browser.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8628#section-3.5 (polling, `slow_down` adds 5 seconds)
 */
import { setTimeout as sleepMs } from 'node:timers/promises';
import type { DeviceCodeResponse, DeviceTokenResponse } from '../../shared/contracts.ts';
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
  /** Called after each `slow_down` with the new interval in seconds. */
  onSlowDown?: (intervalSeconds: number) => void;
  /** @default timers/promises setTimeout */
  sleep?: (ms: number) => Promise<unknown>;
  /** @default Date.now */
  now?: () => number;
}

function expired(): NotEntitledError {
  return new NotEntitledError('The login code expired before it was approved.', {
    code: 'LOGIN_EXPIRED',
    hint: 'Run `specmint login` again and approve the code in the browser within the time shown.',
  });
}

/** Runs the flow; resolves the access token, or throws {@link NotEntitledError} (exit 4). */
export async function runDeviceLogin(options: DeviceLoginOptions): Promise<DeviceTokenResponse> {
  const sleep = options.sleep ?? sleepMs;
  const now = options.now ?? Date.now;
  const code = await options.api.deviceCode();
  const deadline = now() + code.expires_in * 1000;
  let intervalSeconds = Math.max(1, code.interval);
  await options.onCode(code);
  for (;;) {
    await sleep(intervalSeconds * 1000);
    if (now() >= deadline) throw expired();
    const poll = await options.api.pollDeviceToken(code.device_code);
    if (poll.ok) return poll.token;
    switch (poll.error.error) {
      case 'authorization_pending':
        continue;
      case 'slow_down':
        intervalSeconds += SLOW_DOWN_STEP_SECONDS;
        options.onSlowDown?.(intervalSeconds);
        continue;
      case 'expired_token':
        throw expired();
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
