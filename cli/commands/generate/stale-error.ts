import type { CheckResult } from '../../engine/emit/write-output.ts';
import { EXIT, SpecMintError } from '../../errors.ts';

const MAX_LISTED = 20;

/** `--check` found files that differ from what would be generated. Exit 3. */
export class StaleError extends SpecMintError {
  /** What differs; printed under `error.details` with `--json`. */
  readonly details: CheckResult;

  constructor(outDir: string, result: CheckResult) {
    const lines = [
      ...result.changed.map((path) => `  changed  ${path}`),
      ...result.missing.map((path) => `  missing  ${path}`),
      ...result.extra.map((path) => `  extra    ${path}`),
    ];
    const listed = lines.slice(0, MAX_LISTED);
    if (lines.length > MAX_LISTED) listed.push(`  … and ${lines.length - MAX_LISTED} more`);
    super(
      `Generated tests in ${outDir} are stale: ${lines.length} file${lines.length === 1 ? '' : 's'} differ.\n${listed.join('\n')}`,
      EXIT.STALE,
      {
        code: 'STALE',
        hint: 'Run the same command without --check to regenerate them, then commit the result.',
      },
    );
    this.name = 'StaleError';
    this.details = result;
  }
}

/** True when nothing differs. Files SpecMint does not manage (`notManaged`) never count. */
export function isUpToDate(result: CheckResult): boolean {
  return result.changed.length === 0 && result.missing.length === 0 && result.extra.length === 0;
}
