/**
 * The checks the corpus validator runs and their results. One check per output format, except `sql`, which
 * is loaded once per dialect (`--sql-dialect postgres|mysql|sqlite`).
 */
import { SQL_DIALECTS, type SqlDialect } from '../../cli/config/config-types.ts';
import type { Format } from '../../shared/plans.ts';

/** Every check, in report order. */
export const CHECKS = [
  'json',
  'vitest',
  'jest',
  'playwright',
  'pytest',
  'postman',
  'k6',
  'sql:postgres',
  'sql:mysql',
  'sql:sqlite',
] as const satisfies ReadonlyArray<Format | `sql:${SqlDialect}`>;

export type CheckName = (typeof CHECKS)[number];

/** The SQL checks, one per dialect. */
export const SQL_CHECKS = SQL_DIALECTS.map((dialect) => `sql:${dialect}` as const);

/** The checks tsc runs, many specs per process (`type-check.ts`); jest is also parsed per spec. */
export const TSC_CHECKS = ['vitest', 'jest', 'playwright'] as const;
export type TscCheck = (typeof TSC_CHECKS)[number];

export type CheckResult =
  | { status: 'passed' }
  | { status: 'failed'; error: string }
  /** The check could not run here (e.g. no MySQL server): neither a pass nor a failure. */
  | { status: 'skipped'; reason: string };

/** Results of one spec's checks; a check that does not apply (format not rendered) is absent. */
export type SpecChecks = Partial<Record<CheckName, CheckResult>>;

export const PASSED: CheckResult = { status: 'passed' };

/** The format a check belongs to. */
export function formatOf(check: CheckName): Format {
  return (check.startsWith('sql:') ? 'sql' : check) as Format;
}

/** The SQL dialect of an `sql:<dialect>` check. */
export function dialectOf(check: CheckName): SqlDialect | undefined {
  return check.startsWith('sql:') ? (check.slice(4) as SqlDialect) : undefined;
}

/** The checks that apply when `formats` were rendered. */
export function checksFor(formats: readonly Format[]): CheckName[] {
  return CHECKS.filter((check) => formats.includes(formatOf(check)));
}

/** A failure whose message is the first line of `message` (shortened), prefixed with `where` when given. */
export function failed(message: string, where?: string): CheckResult {
  const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
  const short = line.length > 300 ? `${line.slice(0, 297)}...` : line;
  return { status: 'failed', error: where ? `${where}: ${short}` : short };
}

/** Combines two results of the same check: a failure wins, then a pass, then a skip. */
export function mergeResults(a: CheckResult | undefined, b: CheckResult): CheckResult {
  if (!a) return b;
  const rank = { failed: 2, passed: 1, skipped: 0 } as const;
  return rank[b.status] > rank[a.status] ? b : a;
}

/** Runs `check`, turning a thrown error into a failure. */
export async function guard(check: () => Promise<CheckResult> | CheckResult): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}
