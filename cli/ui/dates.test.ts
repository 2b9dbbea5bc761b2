import { describe, expect, it } from 'vitest';
import { describeReset } from './dates.ts';

describe('describeReset', () => {
  it.each([
    ['2027-01-01T00:00:00.000Z', '2026-12-06T10:00:00.000Z', 'resets on 1 January 2027 (in 26 days)'],
    ['2027-01-01T00:00:00.000Z', '2026-12-31T23:00:00.000Z', 'resets on 1 January 2027 (tomorrow)'],
    ['2026-12-06T18:00:00.000Z', '2026-12-06T10:00:00.000Z', 'resets on 6 December 2026 (today)'],
  ])('%s seen at %s', (end, now, text) => {
    expect(describeReset(end, new Date(now))).toBe(text);
  });
});
