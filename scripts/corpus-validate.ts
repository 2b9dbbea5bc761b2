/**
 * Checks for real that what SpecMint renders for one spec compiles, loads or validates, format by format:
 *
 * - json: the plan parses, has the TestPlan shape, and its schemas compile in Ajv 2020 (`json-plan.ts`);
 * - vitest, playwright: tsc type-checks the suite under its own tsconfig; jest: V8 compiles every file as
 *   CommonJS and tsc checks it with `checkJs` (`javascript.ts`, `type-check.ts`);
 * - pytest: every `.py` file compiles (`python.ts`);
 * - postman: the collection validates against the v2.1 schema and every script parses (`postman.ts`);
 * - k6: the script parses as an ES module whose imports k6 can load (`javascript.ts`);
 * - sql: schema.sql + data.sql load into PostgreSQL (PGlite), SQLite (sqlite3) and MySQL (`sql.ts`).
 *
 * The outputs are written to a folder per spec first ({@link writeValidationFiles}); each check reads them
 * from there and returns pass/fail with the first error. tsc is expensive to start, so the corpus run
 * type-checks many specs per tsc process ({@link typeCheckSpecs}); {@link validateSpec} does one spec.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SQL_DIALECTS } from '../cli/config/config-types.ts';
import { type GeneratedSuites, renderPlan } from '../cli/engine/pipeline.ts';
import { joinText } from '../cli/engine/render/common/file-text.ts';
import type { RenderedFile, RenderOptions } from '../cli/engine/render/types.ts';
import {
  type CheckName,
  type CheckResult,
  dialectOf,
  guard,
  mergeResults,
  type SpecChecks,
  TSC_CHECKS,
} from './corpus-validate/checks.ts';
import { checkJestParse, checkK6 } from './corpus-validate/javascript.ts';
import { checkJsonPlan } from './corpus-validate/json-plan.ts';
import { checkPostman } from './corpus-validate/postman.ts';
import { checkPytest } from './corpus-validate/python.ts';
import { checkSql, closeSql } from './corpus-validate/sql.ts';
import { typeCheckSpecs } from './corpus-validate/type-check.ts';

export {
  CHECKS,
  type CheckName,
  type CheckResult,
  checksFor,
  type SpecChecks,
} from './corpus-validate/checks.ts';
export { probeMysql } from './corpus-validate/sql.ts';
export { typeCheckSpecs } from './corpus-validate/type-check.ts';

/**
 * The files to validate: every rendered format under `<format>/`, except SQL, which is rendered again
 * once per dialect under `sql/<dialect>/` (the `sql` output itself is one dialect's).
 */
export function validationFiles(
  suites: GeneratedSuites,
  render: Partial<RenderOptions> = {},
): RenderedFile[] {
  const files = suites.outputs.filter((o) => o.format !== 'sql').flatMap((o) => o.files);
  if (!suites.outputs.some((o) => o.format === 'sql')) return files;
  for (const dialect of SQL_DIALECTS) {
    const { outputs } = renderPlan(suites.plan, {
      formats: ['sql'],
      render: { ...render, sqlDialect: dialect },
    });
    for (const file of outputs[0]?.files ?? [])
      files.push({ path: `sql/${dialect}/${file.path.slice('sql/'.length)}`, contents: file.contents });
  }
  return files;
}

/** Replaces `dir` with exactly `files` (paths relative to it). */
export function writeValidationFiles(dir: string, files: readonly RenderedFile[]): void {
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, joinText(file.contents));
  }
}

/** One check that runs on its own (not one of tsc's batched ones). */
function runCheck(dir: string, check: CheckName): Promise<CheckResult> {
  const dialect = dialectOf(check);
  if (dialect) return guard(() => checkSql(join(dir, 'sql', dialect), dialect));
  const formatDir = join(dir, check);
  switch (check) {
    case 'json':
      return guard(() => checkJsonPlan(formatDir));
    case 'pytest':
      return guard(() => checkPytest(formatDir));
    case 'postman':
      return guard(() => checkPostman(formatDir));
    case 'k6':
      return guard(() => checkK6(formatDir));
    case 'jest':
      return guard(() => checkJestParse(formatDir));
    default:
      throw new Error(`${check} is checked by typeCheckSpecs`);
  }
}

/**
 * Runs `checks` over the outputs written to `dir`, except tsc's type checks of vitest, jest and playwright
 * (see {@link typeCheckSpecs}); jest is parsed here. Checks run one after another.
 */
export async function validateSpecOutputs(dir: string, checks: readonly CheckName[]): Promise<SpecChecks> {
  const results: SpecChecks = {};
  for (const check of checks) {
    if (check === 'vitest' || check === 'playwright') continue;
    results[check] = await runCheck(dir, check);
  }
  return results;
}

/** Merges per-spec results with the same spec's tsc results. */
export function mergeSpecChecks(a: SpecChecks, b: SpecChecks): SpecChecks {
  const merged: SpecChecks = { ...a };
  for (const [check, result] of Object.entries(b) as Array<[CheckName, CheckResult]>)
    merged[check] = mergeResults(merged[check], result);
  return merged;
}

/** Every check of one spec whose outputs are in `dir`, including its own tsc run. */
export async function validateSpec(dir: string, checks: readonly CheckName[]): Promise<SpecChecks> {
  const own = await validateSpecOutputs(dir, checks);
  if (!checks.some((check) => (TSC_CHECKS as readonly string[]).includes(check))) return own;
  const typed = (await typeCheckSpecs({ root: dirname(dir), specs: [basename(dir)] })).get(basename(dir));
  const wanted = Object.entries(typed ?? {}).filter(([check]) => checks.includes(check as CheckName));
  return mergeSpecChecks(own, Object.fromEntries(wanted));
}

/** Releases what the checks keep open in this process (the PGlite instance). */
export async function closeValidation(): Promise<void> {
  await closeSql();
}
