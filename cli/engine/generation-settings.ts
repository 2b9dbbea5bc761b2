/**
 * The settings of one generation, complete and normalised: flags, specmint.config.json, the output folder's
 * manifest and any answers to prompts are merged before the engine sees them (cli/config/
 * resolve-generate-settings.ts), so {@link runGeneration} never asks where a value came from.
 */
import type { AiRequest } from '../../shared/contracts.ts';
import type { Format } from '../../shared/plans.ts';
import type { Depth } from './data/depth.ts';
import type { Category } from './plan/types.ts';

/** What `specmint generate` does with the rendered files. */
export type GenerationMode = 'write' | 'dry-run' | 'check';

export interface GenerationSettings {
  /** Spec path, http(s) URL, or `-` for stdin. */
  spec: string;
  /** Formats to render, in the order they are rendered and written. */
  formats: Format[];
  /** Absolute output folder. */
  outDir: string;
  /** Seed for all synthesised data. */
  seed: number;
  /** Only operations with one of these tags (none: all). */
  tags: string[];
  /** Only these operations (none: all). */
  operations: string[];
  /** Categories to plan. */
  categories: Category[];
  /** How many inputs each case gets (`quick`: one; `standard`: classes combined pairwise; `deep`: more). */
  depth: Depth;
  /** Path parameter values naming resources that exist, by parameter name. */
  pathParams: Record<string, string>;
  /** AI-enhanced cases: provider and model (the key is the AI port's), or `null`. */
  ai: AiRequest | null;
  /** Values of the formats' own options by key (`sqlDialect`), defaults filled in. */
  formatOptions: Record<string, string>;
  mode: GenerationMode;
  /** Replace format folders in an output folder SpecMint did not write. */
  force: boolean;
  /**
   * The version written into generated headers. @default SPECMINT_VERSION (the golden tests pin it, so
   * their files do not change with every release)
   */
  generatorVersion?: string;
}
