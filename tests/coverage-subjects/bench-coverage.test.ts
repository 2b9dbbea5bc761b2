/**
 * Keeps `npm run bench:coverage` from rotting: one subject, end to end at `quick` (plan, render, run the
 * generated vitest suite against the subject under V8 coverage, c8 report), as the script does it.
 */
import { describe, expect, it } from 'vitest';
import { measureCoverage } from '../../scripts/bench-coverage.ts';

describe('bench:coverage', () => {
  it('measures the triangle subject at quick: the suite passes, and coverage is partial', async () => {
    const row = await measureCoverage({ subject: 'triangle', depth: 'quick' });
    expect(row.failures).toEqual([]);
    expect(row.passed).toBe(row.cases);
    expect(row.cases).toBeGreaterThan(10);
    // The triangle has far more branches than one input per case reaches, and more than one line runs.
    expect(row.lines.total).toBeGreaterThan(50);
    expect(row.lines.covered).toBeGreaterThan(20);
    expect(row.lines.covered).toBeLessThan(row.lines.total);
    expect(row.branches.covered).toBeGreaterThan(5);
    expect(row.branches.covered).toBeLessThan(row.branches.total);
  }, 120_000);
});
