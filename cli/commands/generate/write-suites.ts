/**
 * Writes the rendered suites atomically (engine emit stage). A folder SpecMint did not write is only
 * replaced with `--force` — or, in an interactive session, after the user confirms.
 */
import { SPECMINT_VERSION } from '../../../shared/version.ts';
import type { FormatOutput } from '../../engine/pipeline.ts';
import { SpecMintError } from '../../errors.ts';
import type { Spinner } from '../../ui/spinner.ts';
import type { Ui } from '../../ui/ui.ts';
import type { CompleteSettings } from './complete-settings.ts';
import { displayPath } from './summary.ts';

/** Options of {@link writeSuites}. */
export interface WriteSuitesOptions {
  ui: Ui;
  settings: CompleteSettings;
  /** The rendered formats, as a fresh lazy iterable per call (a declined overwrite asks again). */
  outputs: () => Iterable<FormatOutput>;
  specHash: string;
}

/**
 * `outputs` as they are consumed, with the spinner naming the format being rendered (`Writing ./tests:
 * pytest (2/8)`): rendering happens as each format is asked for, and a large spec takes a while per format.
 */
export function* withFormatProgress<T>(
  outputs: Iterable<T>,
  formats: readonly string[],
  step: Spinner,
  verb: string,
): Generator<T, void, undefined> {
  let index = 0;
  const show = () => {
    if (index < formats.length && formats.length > 0)
      step.update(`${verb}: ${formats[index]} (${index + 1}/${formats.length})`);
  };
  show();
  for (const output of outputs) {
    yield output;
    index += 1;
    show();
  }
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Writes the files; returns their paths relative to the output folder. */
export async function writeSuites(options: WriteSuitesOptions): Promise<string[]> {
  const { ui, settings } = options;
  const { writeOutput } = await import('../../engine/emit/write-output.ts');
  const verb = `Writing ${displayPath(settings.outDir)}`;
  const step = ui.spinner(verb);
  const write = (force: boolean) =>
    writeOutput({
      outDir: settings.outDir,
      outputs: withFormatProgress(options.outputs(), settings.formats, step, verb),
      manifest: {
        version: SPECMINT_VERSION,
        specHash: options.specHash,
        seed: settings.seed,
        ...(Object.keys(settings.pathParams).length > 0
          ? { pathParams: sortedRecord(settings.pathParams) }
          : {}),
      },
      force,
    });
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
