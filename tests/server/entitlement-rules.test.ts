import { describe, expect, it } from 'vitest';
import { calendarMonthPeriod, currentBillingPeriod } from '../../server/entitlements/billing-period.ts';
import { checkPlanFeatures } from '../../server/entitlements/check-features.ts';
import { toGenerationCsv } from '../../server/entitlements/generation-record.ts';
import { hashRequestBody } from '../../server/entitlements/request-hash.ts';
import { ApiError } from '../../server/http/api-error.ts';
import type { GenerationRequest } from '../../shared/contracts.ts';

describe('billing periods', () => {
  it.each([
    ['2031-01-15T10:00:00Z', '2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z'],
    ['2031-12-31T23:59:59Z', '2031-12-01T00:00:00.000Z', '2032-01-01T00:00:00.000Z'],
    ['2032-02-29T00:00:00Z', '2032-02-01T00:00:00.000Z', '2032-03-01T00:00:00.000Z'],
  ])('%s is in [%s, %s)', (now, start, end) => {
    const period = calendarMonthPeriod(new Date(now));
    expect([period.start.toISOString(), period.end.toISOString()]).toEqual([start, end]);
  });

  it('uses a paid period that contains now, else the calendar month', () => {
    const paid = {
      periodStart: new Date('2031-01-10T00:00:00Z'),
      periodEnd: new Date('2031-02-10T00:00:00Z'),
    };
    expect(currentBillingPeriod(new Date('2031-02-01T00:00:00Z'), paid)).toEqual({
      start: paid.periodStart,
      end: paid.periodEnd,
    });
    expect(currentBillingPeriod(new Date('2031-03-01T00:00:00Z'), paid).start.toISOString()).toBe(
      '2031-03-01T00:00:00.000Z',
    );
  });
});

describe('plan feature checks', () => {
  const request = (extra: Partial<GenerationRequest>): GenerationRequest => ({
    specHash: 'a'.repeat(64),
    specTitle: 't',
    operationCount: 1,
    formats: ['pytest'],
    ai: null,
    cliVersion: '1',
    ...extra,
  });
  it.each([
    ['free', request({}), null],
    ['free', request({ formats: ['pytest', 'sql'] }), 'formats'],
    ['free', request({ ai: { provider: 'openai', model: 'gpt-4.1-mini' } }), 'ai'],
    ['pro', request({ formats: ['sql'], ai: { provider: 'openai', model: 'gpt-4.1-mini' } }), null],
    ['pro', request({ ai: { provider: 'openai', model: 'gpt-5' } }), 'customAiModels'],
    ['enterprise', request({ ai: { provider: 'anthropic', model: 'x', baseUrl: 'https://a.test' } }), null],
  ] as const)('%s %j → %s', (plan, body, blocked) => {
    const run = () => checkPlanFeatures(plan, body, 'https://x/pricing');
    if (blocked === null) expect(run).not.toThrow();
    else {
      try {
        run();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).details).toMatchObject({ feature: blocked });
      }
    }
  });
});

describe('idempotency', () => {
  it('request hashes ignore key order', () => {
    expect(hashRequestBody({ a: 1, b: { c: [1, 2], d: null } })).toBe(
      hashRequestBody({ b: { d: null, c: [1, 2] }, a: 1 }),
    );
    expect(hashRequestBody({ a: [1, 2] })).not.toBe(hashRequestBody({ a: [2, 1] }));
  });
});

describe('history export', () => {
  it('CSV export escapes quotes, commas and formula prefixes', () => {
    const csv = toGenerationCsv([
      {
        id: 'id1',
        specHash: 'a'.repeat(64),
        specTitle: '=cmd|"calc", x',
        operationCount: 1,
        formats: ['pytest', 'k6'],
        ai: null,
        cliVersion: '1',
        charged: true,
        status: 'issued',
        files: null,
        tests: null,
        durationMs: null,
        createdAt: '2031-01-01T00:00:00.000Z',
        completedAt: null,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(
      `id1,2031-01-01T00:00:00.000Z,"'=cmd|""calc"", x",${'a'.repeat(64)},pytest;k6,true,issued,1,,,,,1,,`,
    );
  });
});
