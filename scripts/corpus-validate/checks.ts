/**
 * The checks the corpus validator runs and their results, as the formats declare them (each format's
 * `checks` in cli/engine/render/<format>/format.ts): one check per format, except where a format is checked
 * once per value of an option (`sql:postgres`, `sql:mysql`, `sql:sqlite`).
 */
import type { FormatCheck, ValidationKind } from '../../cli/engine/render/format-module.ts';
import { FORMAT_INFO } from '../../cli/engine/render/formats.ts';
import { FORMATS, type Format } from '../../shared/plans.ts';

/** A check with the format it belongs to. */
export interface CheckDefinition extends FormatCheck {
  format: Format;
}

/** Every check, in format order. */
export const CHECK_DEFINITIONS: readonly CheckDefinition[] = FORMATS.flatMap((format) =>
  FORMAT_INFO[format].checks.map((check) => ({ ...check, format })),
);

/** A check's name: the format, or `format:variant`. */
export type CheckName = string;

/** Every check's name, in report order. */
export const CHECKS: readonly CheckName[] = CHECK_DEFINITIONS.map((check) => check.name);

/** The kinds tsc checks, many specs per process (`type-check.ts`); CommonJS suites are also parsed per spec. */
const TSC_KINDS: readonly ValidationKind[] = ['typescript', 'javascript-commonjs'];

/** The checks tsc runs (their folder is the format's). */
export const TSC_CHECKS: readonly CheckName[] = CHECK_DEFINITIONS.filter((check) =>
  TSC_KINDS.includes(check.kind),
).map((check) => check.name);
export type TscCheck = CheckName;

/** The definition of `check`; throws for a name no format declares. */
export function definitionOf(check: CheckName): CheckDefinition {
  const found = CHECK_DEFINITIONS.find((definition) => definition.name === check);
  if (!found) throw new Error(`no format declares the corpus check "${check}"`);
  return found;
}

/** The format a check belongs to. */
export function formatOf(check: CheckName): Format {
  return definitionOf(check).format;
}

/**
 * The folder, relative to a spec's validation folder, that a check reads: the format's own output, or
 * `format/variant` for a check rendered with its own option values (`sql/mysql`).
 */
export function folderOf(check: CheckName): string {
  return check.replace(':', '/');
}

export type CheckResult =
  | { status: 'passed' }
  | { status: 'failed'; error: string }
  /** The check could not run here (e.g. no MySQL server): neither a pass nor a failure. */
  | { status: 'skipped'; reason: string };

/** Results of one spec's checks; a check that does not apply (format not rendered) is absent. */
export type SpecChecks = Partial<Record<CheckName, CheckResult>>;

export const PASSED: CheckResult = { status: 'passed' };

/** The checks that apply when `formats` were rendered. */
export function checksFor(formats: readonly Format[]): CheckName[] {
  return CHECK_DEFINITIONS.filter((check) => formats.includes(check.format)).map((check) => check.name);
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
