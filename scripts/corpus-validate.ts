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
import type { TestPlan } from '../cli/engine/plan/types.ts';
import type { FormatOutput } from '../cli/engine/ports.ts';
import { joinText } from '../cli/engine/render/common/file-text.ts';
import type { ValidationKind } from '../cli/engine/render/format-module.ts';
import { getRenderer } from '../cli/engine/render/registry.ts';
import type { SqlDialect } from '../cli/engine/render/sql/format.ts';
import type { RenderedFile, RenderOptions } from '../cli/engine/render/types.ts';
import {
  CHECK_DEFINITIONS,
  type CheckName,
  type CheckResult,
  definitionOf,
  folderOf,
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
 * The files to validate: every rendered format under `<format>/`, and for each check a format renders with
 * its own option values (`sql:mysql`), that format rendered again under `<format>/<variant>/`.
 */
export function validationFiles(
  plan: TestPlan,
  outputs: readonly FormatOutput[],
  render: RenderOptions = { generatorVersion: '0.0.0-corpus' },
): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const output of outputs) {
    const variants = CHECK_DEFINITIONS.filter((check) => check.format === output.format && check.options);
    if (variants.length === 0) {
      files.push(...output.files);
      continue;
    }
    for (const check of variants) {
      const rendered = getRenderer(output.format).render(plan, {
        ...render,
        formatOptions: { ...render.formatOptions, ...check.options },
      });
      for (const file of rendered.files)
        files.push({ path: `${folderOf(check.name)}/${file.path}`, contents: file.contents });
    }
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

/**
 * How each kind of check runs on a folder of output. `typescript` suites are type-checked many specs per tsc
 * process (typeCheckSpecs), so there is nothing to run for them here; CommonJS suites are parsed here and
 * type-checked there too.
 */
const RUN_KIND: Record<
  ValidationKind,
  ((dir: string, check: CheckName) => CheckResult | Promise<CheckResult>) | undefined
> = {
  'json-plan': (dir) => checkJsonPlan(dir),
  typescript: undefined,
  'javascript-commonjs': (dir) => checkJestParse(dir),
  python: (dir) => checkPytest(dir),
  'postman-collection': (dir) => checkPostman(dir),
  'k6-script': (dir) => checkK6(dir),
  sql: (dir, check) => checkSql(dir, definitionOf(check).options?.sqlDialect as SqlDialect),
};

/**
 * Runs `checks` over the outputs written to `dir`, except tsc's type checks (see {@link typeCheckSpecs});
 * CommonJS suites are parsed here. Checks run one after another.
 */
export async function validateSpecOutputs(dir: string, checks: readonly CheckName[]): Promise<SpecChecks> {
  const results: SpecChecks = {};
  for (const check of checks) {
    const run = RUN_KIND[definitionOf(check).kind];
    if (run) results[check] = await guard(() => run(join(dir, folderOf(check)), check));
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
