/**
 * The engine as a library: {@link runGeneration} with defaults for every setting and the files kept in memory.
 * The golden tests, benchmarks and the corpus script generate through this, so they run exactly the
 * pipeline `specmint generate` runs (without a licence, a terminal or the disk).
 */
import { FORMATS } from '../../shared/plans.ts';
import { memoryOutput } from './emit/memory-output.ts';
import type { GenerationSettings } from './generation-settings.ts';
import { CATEGORIES } from './plan/types.ts';
import type { FormatOutput, ProgressPort } from './ports.ts';
import { defaultFormatOptions } from './render/formats.ts';
import { type GenerationResult, runGeneration } from './run-generation.ts';

/** Progress that shows nothing (warnings still reach the result). */
export const SILENT_PROGRESS: ProgressPort = {
  start: () => ({ update() {}, succeed() {}, fail() {}, stop() {} }),
  warn() {},
  debug() {},
  path: (path) => path,
};

/** Complete settings for `spec`: every format and category, seed 1, write mode, defaults for the rest. */
export function librarySettings(
  spec: string,
  overrides: Partial<Omit<GenerationSettings, 'spec'>> = {},
): GenerationSettings {
  return {
    spec,
    formats: [...FORMATS],
    outDir: '.',
    seed: 1,
    tags: [],
    operations: [],
    categories: [...CATEGORIES],
    // Tests and benchmarks plan one input per case unless they ask for more (`generate` defaults to standard).
    depth: 'quick',
    pathParams: {},
    ai: null,
    mode: 'write',
    force: false,
    ...overrides,
    formatOptions: { ...defaultFormatOptions(), ...overrides.formatOptions },
  };
}

/** Options of {@link generateInMemory}. */
export interface InMemoryOptions {
  progress?: ProgressPort;
  /** Each format as it is rendered; without it, all are kept and returned. */
  onOutput?: (output: FormatOutput) => void | Promise<void>;
}

/** Runs a whole generation of `spec` and gives back what it would write. */
export async function generateInMemory(
  spec: string,
  overrides: Partial<Omit<GenerationSettings, 'spec'>> = {},
  options: InMemoryOptions = {},
): Promise<{ result: GenerationResult; outputs: FormatOutput[] }> {
  const output = memoryOutput(options.onOutput ? { onOutput: options.onOutput } : {});
  const result = await runGeneration(librarySettings(spec, overrides), {
    progress: options.progress ?? SILENT_PROGRESS,
    output,
  });
  return { result, outputs: output.outputs };
}
