/** Per-check totals of a validation run, and the table the corpus script prints. */
import { CHECKS, type CheckName, type SpecChecks } from './checks.ts';

/** Totals of one check over every spec that produced output. */
export interface CheckSummary {
  check: CheckName;
  /** Specs whose output was checked (passed + failed). */
  specs: number;
  passed: number;
  failed: number;
  /** Specs the check could not run for, with the reasons (e.g. no MySQL server). */
  skipped: number;
  /** Pass rate in percent of `specs`; `null` when nothing was checked. */
  rate: number | null;
  failures: Array<{ spec: string; error: string }>;
  skipReasons: string[];
}

/** Totals per check, in {@link CHECKS} order; checks that never applied are left out. */
export function summarizeValidation(results: ReadonlyMap<string, SpecChecks>): CheckSummary[] {
  const summaries: CheckSummary[] = [];
  for (const check of CHECKS) {
    const summary: CheckSummary = {
      check,
      specs: 0,
      passed: 0,
      failed: 0,
      skipped: 0,
      rate: null,
      failures: [],
      skipReasons: [],
    };
    for (const [spec, checks] of results) {
      const result = checks[check];
      if (!result) continue;
      if (result.status === 'passed') summary.passed++;
      else if (result.status === 'failed') summary.failures.push({ spec, error: result.error });
      else if (!summary.skipReasons.includes(result.reason)) summary.skipReasons.push(result.reason);
      if (result.status === 'skipped') summary.skipped++;
    }
    summary.failed = summary.failures.length;
    summary.specs = summary.passed + summary.failed;
    summary.rate = summary.specs === 0 ? null : (100 * summary.passed) / summary.specs;
    if (summary.specs + summary.skipped > 0) summaries.push(summary);
  }
  return summaries;
}

/** The per-format table, then the first `maxFailures` failing specs of each check with their first error. */
export function formatValidationTable(summaries: readonly CheckSummary[], maxFailures = 3): string {
  const header = ['format', 'specs with output', 'passed', 'failed', 'rate'];
  const rows = summaries.map((s) => [
    s.check,
    String(s.specs),
    String(s.passed),
    String(s.failed),
    s.rate === null ? '—' : `${s.rate.toFixed(1)} %`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [line(header), ...rows.map(line)];
  for (const s of summaries) {
    if (s.skipped > 0) out.push(`  ${s.check}: ${s.skipped} not checked — ${s.skipReasons.join('; ')}`);
  }
  for (const s of summaries) {
    if (s.failed === 0) continue;
    out.push('', `${s.check}: ${s.failed} failed`);
    for (const { spec, error } of s.failures.slice(0, maxFailures)) out.push(`  ${spec}: ${error}`);
    if (s.failed > maxFailures) out.push(`  … and ${s.failed - maxFailures} more`);
  }
  return out.join('\n');
}
