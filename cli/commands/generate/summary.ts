/**
 * The end of `specmint generate`: the `--json` object of DESIGN.md and the human summary (operations,
 * tests per category, files, usage left, whether the run was charged).
 */
import { relative, sep } from 'node:path';
import type { Usage } from '../../../shared/contracts.ts';
import type { Format } from '../../../shared/plans.ts';
import type { CheckResult } from '../../engine/emit/write-output.ts';
import { plural } from '../../ui/plural.ts';
import type { Ui } from '../../ui/ui.ts';
import { wrapToTerminal } from '../../ui/wrap.ts';
import { describeUsage } from '../usage-text.ts';

/** `usage` of the JSON result. */
export interface ResultUsage {
  plan: Usage['plan'];
  used: number;
  limit: number | null;
  remaining: number | null;
  charged: boolean;
}

/** The `--json` object of a successful run (DESIGN.md), plus a few extra fields. */
export interface GenerateResult {
  ok: true;
  /** Absolute output folder. */
  outDir: string;
  /** Files written (or that would be written), relative to `outDir`. */
  files: string[];
  operations: number;
  tests: number;
  formats: Format[];
  /** `null` for `--dry-run` and `--check` (no licence server call). */
  usage: ResultUsage | null;
  mode: 'write' | 'dry-run' | 'check';
  testsByCategory: Record<string, number>;
  /**
   * Tests each test-running format wrote (sql and json write none): below `tests` where a format cannot
   * express a case (the warnings name them); k6 repeats only the contract cases.
   */
  testsByFormat: Partial<Record<Format, number>>;
  /** `--depth` and the valid inputs it gave (contract cases). */
  depth: 'quick' | 'standard' | 'deep';
  inputs: number;
  /**
   * Only for `--check`: what differs (all empty when up to date), and under `notManaged` what SpecMint does
   * not manage and left alone (never a reason to fail).
   */
  stale?: CheckResult;
  warnings: string[];
}

/** A path for humans: relative to the working directory when inside it. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  if (rel === '') return '.';
  return rel.startsWith('..') ? path : `.${sep}${rel}`;
}

const NOT_MANAGED_SHOWN = 5;

/** The line `--check` prints about what it left alone: `Not managed by SpecMint (not compared): a, b/ …`. */
export function describeNotManaged(paths: readonly string[]): string {
  const shown = paths.slice(0, NOT_MANAGED_SHOWN).join(', ');
  const more =
    paths.length > NOT_MANAGED_SHOWN
      ? ` and ${paths.length - NOT_MANAGED_SHOWN} more (all under stale.notManaged with --json)`
      : '';
  return `Not managed by SpecMint, left alone and not compared: ${shown}${more}.`;
}

/** Prints the human summary of `result` (stdout; stderr under `--json`). */
export function printSummary(ui: Ui, result: GenerateResult, title: string): void {
  const { style } = ui;
  // On a narrow terminal each line wraps by word, continuation lines indented under it.
  const say = (text: string, hangingIndent = '  ') =>
    ui.result(wrapToTerminal(text, ui.terminal, { hangingIndent }));
  const categories = Object.entries(result.testsByCategory)
    .map(([category, count]) => `${category} ${count}`)
    .join(', ');
  say(
    `${style.bold(title)}: ${plural(result.operations, 'operation')} → ${plural(result.tests, 'test')}${categories ? ` (${categories})` : ''}`,
  );
  const written = result.formats.flatMap((format) => {
    const count = result.testsByFormat[format];
    return count === undefined ? [] : [[format, count] as const];
  });
  if (written.some(([, count]) => count !== result.tests)) {
    const short = written.some(([format, count]) => format !== 'k6' && count < result.tests);
    say(
      `Tests per format: ${written.map(([format, count]) => `${format} ${count}`).join(', ')}${short ? ' (the warnings name the cases a format cannot express)' : ''}${written.some(([format]) => format === 'k6') ? '; k6 repeats the contract cases under load' : ''}.`,
    );
  }
  if (result.inputs > 0) {
    const perOperation = Math.round((result.inputs / Math.max(1, result.operations)) * 10) / 10;
    say(
      `Depth ${result.depth}: ${plural(result.inputs, 'valid input')} (${perOperation} per operation)${result.depth === 'quick' ? '; --depth standard tries every input’s classes' : ''}.`,
    );
  }
  const out = displayPath(result.outDir);
  const byFormat = new Map<string, number>();
  for (const file of result.files) {
    const format = file.split('/')[0] ?? '';
    byFormat.set(format, (byFormat.get(format) ?? 0) + 1);
  }
  const formatList = result.formats.map((f) => `${f} ${byFormat.get(f) ?? 0}`).join(', ');
  if (result.mode === 'dry-run') {
    say(
      `Dry run: would write ${plural(result.files.length, 'file')} to ${out} (${formatList}). Nothing was written or charged.`,
    );
    for (const file of result.files) ui.result(`  ${file}`);
    return;
  }
  if (result.mode === 'check') {
    say(`Up to date: ${plural(result.files.length, 'file')} in ${out} match (${formatList}).`);
    const notManaged = result.stale?.notManaged ?? [];
    if (notManaged.length > 0) say(describeNotManaged(notManaged));
    return;
  }
  say(`Wrote ${plural(result.files.length, 'file')} to ${out} (${formatList}).`);
  for (const format of result.formats) {
    if (result.files.includes(`${format}/README.md`)) {
      say(
        `  ${format}: how to run it → ${displayPath(`${result.outDir}${sep}${format}${sep}README.md`)}`,
        '    ',
      );
    }
  }
  if (result.usage) say(describeUsage(result.usage));
}
