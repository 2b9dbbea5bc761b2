/**
 * The output port of a real run: format folders written atomically under the output folder, with the
 * manifest (write-output.ts); files SpecMint did not write survive. A folder SpecMint did not write is only
 * written into with `--force`, or when `confirmReplace` (an interactive prompt) says yes — asked in
 * `prepare`, before any licence is requested.
 */
import type { Format } from '../../../shared/plans.ts';
import { SpecMintError } from '../../errors.ts';
import type { OutputPort } from '../ports.ts';
import { checkOutput } from './check-output.ts';
import { assertWritable, recoverInterruptedWrite, writeOutput } from './write-output.ts';

/** Options of {@link fileOutput}. */
export interface FileOutputOptions {
  outDir: string;
  /**
   * Write into a folder SpecMint did not write, and replace files it did not write at the paths it writes.
   * Every other file in the folder is kept.
   */
  force: boolean;
  /** Asked when the folder is not SpecMint's and `force` is off; `true` acts as `force`. */
  confirmReplace?: (formats: readonly Format[]) => Promise<boolean>;
}

/** Writes to and compares with the output folder on disk. */
export function fileOutput(options: FileOutputOptions): OutputPort {
  let force = options.force;
  // The output root's own entries are listed once, with the first format checked.
  let rootListed = false;
  return {
    async prepare(formats) {
      await recoverInterruptedWrite(options.outDir);
      try {
        await assertWritable(options.outDir, force);
      } catch (error) {
        const exists = error instanceof SpecMintError && error.code === 'OUTPUT_EXISTS';
        if (!exists || !options.confirmReplace || !(await options.confirmReplace(formats))) throw error;
        force = true;
      }
    },
    write: (outputs, facts, signal) =>
      writeOutput({ outDir: options.outDir, outputs, manifest: facts, force, ...(signal ? { signal } : {}) }),
    check: (outputs) => {
      const root = !rootListed;
      rootListed = true;
      return checkOutput(options.outDir, outputs, { root });
    },
  };
}
