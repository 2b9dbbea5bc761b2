import { describe, expect, it } from 'vitest';
import { formatPrice, planFeatures } from '../../server/web/components/plan-cards.tsx';
import { describeUsage, niceMax } from '../../server/web/components/usage-chart.tsx';
import { readBillingAnswer } from '../../server/web/data/billing-redirect.ts';
import { parseHistoryFilters } from '../../server/web/data/load-dashboard.ts';
import { fillDays } from '../../server/web/data/usage-by-day.ts';
import { PLANS } from '../../shared/plans.ts';

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

describe('history filters', () => {
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

describe('plans on the pages come from shared/plans.ts', () => {
  it('prices and quotas', () => {
    expect(formatPrice(PLANS.pro)).toBe('$29');
    expect(planFeatures(PLANS.free)[0]?.text).toBe(
      `${PLANS.free.generationsPerPeriod} distinct specs per period`,
    );
    expect(planFeatures(PLANS.enterprise).every((feature) => feature.included)).toBe(true);
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
