import { describe, expect, it } from 'vitest';
import { formatPrice, planFeatures } from '../../server/web/components/plan-cards.tsx';
import { describeUsage, niceMax } from '../../server/web/components/usage-chart.tsx';
import { readBillingAnswer } from '../../server/web/data/billing-redirect.ts';
import { parseHistoryFilters } from '../../server/web/data/load-dashboard.ts';
import { fillDays } from '../../server/web/data/usage-by-day.ts';
import { isPagePath } from '../../server/web/register-web-routes.ts';
import { failureView, lookupView } from '../../server/web/routes/device-routes.tsx';
import { csrfTokenFor, verifyCsrfToken } from '../../server/web/security/csrf-token.ts';
import { DEFAULT_NEXT, safeNextPath } from '../../server/web/security/safe-next.ts';
import { normaliseUserCode, validateSignIn, validateSignUp } from '../../server/web/validation.ts';
import { PLANS } from '../../shared/plans.ts';

describe('safeNextPath (open-redirect guard)', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/device?user_code=ABCD-EFGH', '/device?user_code=ABCD-EFGH'],
    ['/settings#sessions', '/settings#sessions'],
    ['/a/../settings', '/settings'],
    [undefined, DEFAULT_NEXT],
    ['', DEFAULT_NEXT],
    ['//evil.com', DEFAULT_NEXT],
    ['//evil.com/path', DEFAULT_NEXT],
    ['https://evil.com', DEFAULT_NEXT],
    ['http://licence.test/dashboard', DEFAULT_NEXT],
    ['/\\evil.com', DEFAULT_NEXT],
    ['\\\\evil.com', DEFAULT_NEXT],
    ['/\t/evil.com', DEFAULT_NEXT],
    ['/\n/evil.com', DEFAULT_NEXT],
    ['javascript:alert(1)', DEFAULT_NEXT],
    ['dashboard', DEFAULT_NEXT],
    [`/${'a'.repeat(3000)}`, DEFAULT_NEXT],
  ])('%j → %j', (next, expected) => {
    expect(safeNextPath(next)).toBe(expected);
  });
});

describe('CSRF tokens', () => {
  const secret = 'x'.repeat(32);
  it('are bound to the browser cookie and the session', () => {
    const token = csrfTokenFor({ secret, cookieValue: 'cookie-a', sessionId: 's1' });
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: 's1', given: token })).toBe(true);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-b', sessionId: 's1', given: token })).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: 's2', given: token })).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: null, given: token })).toBe(false);
    expect(
      verifyCsrfToken({ secret: 'y'.repeat(32), cookieValue: 'cookie-a', sessionId: 's1', given: token }),
    ).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: undefined, sessionId: 's1', given: token })).toBe(false);
    expect(verifyCsrfToken({ secret, cookieValue: 'cookie-a', sessionId: 's1', given: undefined })).toBe(
      false,
    );
  });
});

describe('usage chart data', () => {
  it('fills every UTC day of the period and keeps the counts', () => {
    const days = fillDays(
      { start: new Date('2026-02-01T00:00:00Z'), end: new Date('2026-03-01T00:00:00Z') },
      [{ day: '2026-02-03', charged: 2, free: 1 }],
    );
    expect(days).toHaveLength(28);
    expect(days[0]).toEqual({ day: '2026-02-01', charged: 0, free: 0 });
    expect(days[2]).toEqual({ day: '2026-02-03', charged: 2, free: 1 });
    expect(days.at(-1)?.day).toBe('2026-02-28');
  });

  it('caps very long periods and picks readable axis maxima', () => {
    expect(fillDays({ start: new Date('2026-01-01Z'), end: new Date('2027-01-01Z') }, [])).toHaveLength(62);
    expect([0, 1, 2, 3, 7, 12, 99, 101].map(niceMax)).toEqual([1, 1, 2, 5, 10, 20, 100, 200]);
    expect(describeUsage([{ day: '2026-02-01', charged: 1, free: 2 }])).toBe(
      '1 new spec charged and 2 free re-runs between 2026-02-01 and 2026-02-01.',
    );
  });
});

describe('plans on the pages come from shared/plans.ts', () => {
  it('prices and quotas', () => {
    expect(formatPrice(PLANS.pro)).toBe('$29');
    expect(planFeatures(PLANS.free)[0]?.text).toBe(
      `${PLANS.free.generationsPerPeriod} distinct specs per period`,
    );
    expect(planFeatures(PLANS.enterprise).every((feature) => feature.included)).toBe(true);
  });
});

describe('form validation', () => {
  it('reports every problem of the sign-up form at once', () => {
    expect(validateSignUp({ name: '', email: 'nope', password: 'short' })).toEqual({
      name: 'Enter your name.',
      email: 'Enter an email address like name@example.com.',
      password: 'Use at least 8 characters.',
    });
    expect(validateSignUp({ name: 'A', email: 'a@b.co', password: '12345678' })).toEqual({});
    expect(validateSignIn({ email: 'a@b.co', password: '' })).toEqual({ password: 'Enter your password.' });
  });

  it('normalises user codes like better-auth', () => {
    expect(normaliseUserCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normaliseUserCode('<script>')).toBe('SCRIPT');
    expect(normaliseUserCode(undefined)).toBe('');
  });

  it('parses history filters, ignoring invalid ones with a message', () => {
    expect(parseHistoryFilters({ q: 'pet', format: 'pytest', from: '2026-01-01' }).query).toMatchObject({
      q: 'pet',
      outputFormat: 'pytest',
      from: '2026-01-01',
      limit: 10,
    });
    const bad = parseHistoryFilters({ format: 'cobol', from: 'yesterday' });
    expect(bad.error).toContain('outputFormat');
    expect(bad.query).toEqual({ limit: 10 });
  });
});

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

describe('billing buttons', () => {
  const json = (body: unknown, status: number) =>
    new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  it('follows a Stripe URL and explains a server without billing', async () => {
    expect(await readBillingAnswer(json({ url: 'https://checkout.stripe.com/c/1' }, 200))).toEqual({
      ok: true,
      url: 'https://checkout.stripe.com/c/1',
    });
    const notConfigured = await readBillingAnswer(
      json({ error: { code: 'BILLING_NOT_CONFIGURED', message: 'x', requestId: 'r' } }, 503),
    );
    expect(notConfigured).toMatchObject({
      ok: false,
      status: 503,
      message: expect.stringContaining('not set up'),
    });
    expect(await readBillingAnswer(json({ url: 'javascript:alert(1)' }, 200))).toMatchObject({ ok: false });
  });
});

describe('page routing', () => {
  it('owns only the page paths', () => {
    expect(['/', '/pricing', '/device', '/dashboard/tokens', '/assets/x.css'].every(isPagePath)).toBe(true);
    expect(['/v1/me', '/api/auth/device', '/healthz', '/openapi.json', '/dashboards'].some(isPagePath)).toBe(
      false,
    );
  });
});
