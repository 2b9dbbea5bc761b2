/**
 * The files a generation writes for one format, with their paths inside the format's folder (as a suite's
 * README runs them), for the run-for-real tests that write a suite and run it against a server of their own.
 */

import type { GenerationSettings } from '../../cli/engine/generation-settings.ts';
import { generateInMemory } from '../../cli/engine/library.ts';
import type { RenderedFile } from '../../cli/engine/render/types.ts';
import type { Format } from '../../shared/plans.ts';

export async function formatFiles(
  spec: string,
  format: Format,
  overrides: Partial<Omit<GenerationSettings, 'spec' | 'formats'>> = {},
): Promise<RenderedFile[]> {
  const { outputs } = await generateInMemory(spec, { ...overrides, formats: [format] });
  const prefix = `${format}/`;
  return (outputs[0]?.files ?? []).map((file) => ({
    ...file,
    path: file.path.startsWith(prefix) ? file.path.slice(prefix.length) : file.path,
  }));
}
