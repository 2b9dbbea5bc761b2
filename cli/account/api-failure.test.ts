import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES } from '../../shared/api-errors.ts';
import type { HttpResult } from '../net/http-client.ts';
import { apiFailureFrom, EXIT_BY_API_CODE } from './api-failure.ts';

function answer(status: number, code: string, extra: Record<string, unknown> = {}): HttpResult {
  const body = { error: { code, message: `${code} happened`, requestId: 'req-1', ...extra } };
  return {
    status,
    headers: { 'retry-after': '7' },
    body,
    text: JSON.stringify(body),
    url: 'http://s.test/v1/generations',
  };
}

describe('apiFailureFrom', () => {
  it.each([
    [401, 'UNAUTHENTICATED', 4, 'specmint login'],
    [402, 'QUOTA_EXCEEDED', 4, 'http://s.test/pricing'],
    [403, 'FEATURE_NOT_IN_PLAN', 4, 'specmint formats'],
    [409, 'TOKEN_LIMIT_REACHED', 4, 'tokens revoke'],
    [403, 'FORBIDDEN', 4, undefined],
    [429, 'RATE_LIMITED', 5, 'Retry in 7 s'],
    [503, 'BILLING_NOT_CONFIGURED', 5, 'Stripe'],
    [500, 'INTERNAL', 5, undefined],
    [400, 'VALIDATION_FAILED', 1, undefined],
    [404, 'NOT_FOUND', 1, undefined],
  ])('HTTP %i %s → exit %i', (status, code, exitCode, hint) => {
    const failure = apiFailureFrom(answer(status, code), 'http://s.test');
    expect(failure.exitCode).toBe(exitCode);
    expect(failure.code).toBe(code);
    expect(failure.message).toContain(`${code} happened`);
    expect(failure.message).toContain('req-1');
    if (hint) expect(failure.hint).toContain(hint);
  });

  it('EMAIL_NOT_VERIFIED exits 4 and says where the verification link went', () => {
    const failure = apiFailureFrom(
      answer(403, 'EMAIL_NOT_VERIFIED', { details: { email: 'ann@example.test' } }),
      'http://s.test',
    );
    expect(failure.exitCode).toBe(4);
    expect(failure.hint).toBe(
      'Verify your e-mail: we sent a link to ann@example.test. Open it, then run this again. ' +
        'No e-mail? Get a new link at http://s.test/check-email.',
    );
  });

  it('prefers the upgrade URL the server gives', () => {
    const failure = apiFailureFrom(
      answer(402, 'QUOTA_EXCEEDED', { upgradeUrl: 'https://pay.test/up' }),
      'http://s.test',
    );
    expect(failure.hint).toContain('https://pay.test/up');
    expect(failure.upgradeUrl).toBe('https://pay.test/up');
  });

  it('handles answers that are not the error envelope', () => {
    const failure = apiFailureFrom(
      {
        status: 502,
        headers: {},
        body: undefined,
        text: '<html>Bad gateway</html>',
        url: 'http://s.test/v1/me',
      },
      'http://s.test',
    );
    expect(failure.exitCode).toBe(5);
    expect(failure.message).toContain('HTTP 502');
    expect(failure.message).toContain('http://s.test/v1/me');
  });
});

describe('a refused token is named', () => {
  it('says which SPECMINT_TOKEN was revoked and how to make a new one', () => {
    const token = `smk_FoZPab12${'x'.repeat(35)}`;
    const failure = apiFailureFrom(answer(401, 'UNAUTHENTICATED'), 'http://s.test', { token });
    expect(failure.exitCode).toBe(4);
    expect(failure.message).toContain('SPECMINT_TOKEN (smk_FoZPab12…) was revoked');
    expect(failure.message).not.toContain(token);
    expect(failure.hint).toContain('specmint tokens create --name ci');
  });

  it('says a stored login has ended', () => {
    const failure = apiFailureFrom(answer(401, 'UNAUTHENTICATED'), 'http://s.test', { token: 'session-1' });
    expect(failure.message).toContain('Your login to http://s.test has expired or was ended');
    expect(failure.message).not.toContain('session-1');
    expect(failure.hint).toContain('specmint login');
  });
});

describe('EXIT_BY_API_CODE', () => {
  it('maps every server error code to an exit code of DESIGN.md', () => {
    expect(Object.keys(EXIT_BY_API_CODE).sort()).toEqual(Object.keys(API_ERROR_CODES).sort());
    for (const [code, exit] of Object.entries(EXIT_BY_API_CODE)) {
      const status = API_ERROR_CODES[code as keyof typeof API_ERROR_CODES];
      expect(apiFailureFrom(answer(status, code), 'http://s.test').exitCode).toBe(exit);
    }
  });
});
