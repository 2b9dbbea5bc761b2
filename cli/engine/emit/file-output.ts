/**
 * The output port of a real run: format folders written atomically under the output folder, with the
 * manifest (write-output.ts). A folder SpecMint did not write is only replaced with `--force`, or when
 * `confirmReplace` (an interactive prompt) says yes — asked in `prepare`, before any licence is requested.
 */
import type { Format } from '../../../shared/plans.ts';
import { SpecMintError } from '../../errors.ts';
import type { OutputPort } from '../ports.ts';
import { assertWritable, checkOutput, recoverInterruptedWrite, writeOutput } from './write-output.ts';

/** Options of {@link fileOutput}. */
export interface FileOutputOptions {
  outDir: string;
  /** Replace format folders in a folder SpecMint did not write. */
  force: boolean;
  /** Asked when the folder is not SpecMint's and `force` is off; `true` replaces the formats' folders. */
  confirmReplace?: (formats: readonly Format[]) => Promise<boolean>;
}

/** Writes to and compares with the output folder on disk. */
export function fileOutput(options: FileOutputOptions): OutputPort {
  let force = options.force;
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
    check: (outputs) => checkOutput(options.outDir, outputs),
  };
}
