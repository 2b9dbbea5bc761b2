import { describe, expect, it } from 'vitest';
import { failureView, lookupView } from '../../server/web/routes/device-routes.tsx';

describe('device page states', () => {
  it('maps better-auth answers to pages', () => {
    expect(lookupView({ status: 'pending', client_id: 'specmint-cli', scope: null }, 'C')).toMatchObject({
      kind: 'review',
    });
    expect(lookupView({ status: 'pending' }, 'C')).toEqual({ kind: 'other-account', code: 'C' });
    expect(lookupView({ status: 'approved', client_id: 'specmint-cli' }, 'C').kind).toBe('used');
    expect(lookupView({ status: 'denied' }, 'C').kind).toBe('used');
    expect(failureView({ status: 400, body: { error: 'expired_token' } }, 'C')?.kind).toBe('expired');
    expect(
      failureView(
        { status: 400, body: { error: 'invalid_request', error_description: 'Invalid user code' } },
        'C',
      )?.kind,
    ).toBe('unknown');
    expect(
      failureView(
        {
          status: 400,
          body: { error: 'invalid_request', error_description: 'Device code already processed' },
        },
        'C',
      )?.kind,
    ).toBe('used');
    expect(failureView({ status: 403, body: {} }, 'C')?.kind).toBe('other-account');
    expect(failureView({ status: 429, body: null }, 'C', 600)).toEqual({ kind: 'rate-limited', minutes: 10 });
    expect(failureView({ status: 500, body: null }, 'C')).toBeNull();
  });
});
