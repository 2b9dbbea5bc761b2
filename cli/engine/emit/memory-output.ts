/**
 * An output port that keeps the rendered files in memory: for tests, benchmarks and the corpus script, which
 * run the same pipeline as `specmint generate` without touching the disk.
 */
import type { FormatOutput, OutputPort } from '../ports.ts';

/** Options of {@link memoryOutput}. */
export interface MemoryOutputOptions {
  /**
   * Called with each format's output as it is written. Without it every output is kept in `outputs`; with
   * it nothing is kept (a caller that only measures, or checks each format, holds one format at a time).
   */
  onOutput?: (output: FormatOutput) => void | Promise<void>;
}

/** An {@link OutputPort} whose `outputs` are the formats written, in order. */
export interface MemoryOutput extends OutputPort {
  readonly outputs: FormatOutput[];
}

/**
 * Collects what a generation writes. `check` compares against nothing: every file is missing, except a
 * `once` file, which `--check` never compares.
 */
export function memoryOutput(options: MemoryOutputOptions = {}): MemoryOutput {
  const outputs: FormatOutput[] = [];
  return {
    outputs,
    prepare: async () => undefined,
    async write(rendered, _facts, signal) {
      const paths: string[] = [];
      for await (const output of rendered) {
        signal?.throwIfAborted();
        if (options.onOutput) await options.onOutput(output);
        else outputs.push(output);
        paths.push(...output.files.map((file) => file.path));
      }
      return paths.sort();
    },
    check: async (rendered) => {
      const missing: string[] = [];
      for (const output of rendered) missing.push(...output.files.filter((f) => !f.once).map((f) => f.path));
      return { changed: [], missing, extra: [], notManaged: [] };
    },
  };
}
