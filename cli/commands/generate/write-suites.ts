/**
 * Writes the rendered suites atomically (engine emit stage). A folder SpecMint did not write is only
 * replaced with `--force` — or, in an interactive session, after the user confirms.
 */
import { SPECMINT_VERSION } from '../../../shared/version.ts';
import type { FormatOutput } from '../../engine/pipeline.ts';
import { SpecMintError } from '../../errors.ts';
import type { Ui } from '../../ui/ui.ts';
import type { CompleteSettings } from './complete-settings.ts';
import { displayPath } from './summary.ts';

/** Options of {@link writeSuites}. */
export interface WriteSuitesOptions {
  ui: Ui;
  settings: CompleteSettings;
  outputs: FormatOutput[];
  specHash: string;
}

/** Writes the files; returns their paths relative to the output folder. */
export async function writeSuites(options: WriteSuitesOptions): Promise<string[]> {
  const { ui, settings } = options;
  const { writeOutput } = await import('../../engine/emit/write-output.ts');
  const write = (force: boolean) =>
    writeOutput({
      outDir: settings.outDir,
      outputs: options.outputs,
      manifest: { version: SPECMINT_VERSION, specHash: options.specHash, seed: settings.seed },
      force,
    });
  const step = ui.spinner(`Writing ${displayPath(settings.outDir)}`);
  try {
    const files = await write(settings.force);
    step.stop();
    return files;
  } catch (error) {
    step.stop();
    if (!(error instanceof SpecMintError) || error.code !== 'OUTPUT_EXISTS' || !ui.interactive) throw error;
    const { askConfirm } = await import('../../ui/prompts.ts');
    const replace = await askConfirm({
      message: `${displayPath(settings.outDir)} was not written by SpecMint. Replace the ${settings.formats.join(', ')} folder(s) in it?`,
      default: false,
    });
    if (!replace) throw error;
    return write(true);
  }
}
