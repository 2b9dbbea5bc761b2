/**
 * The shape of `specmint.config.json` after normalisation. Every field is optional; flags and env beat
 * it, and it beats the defaults. Described for editors by `specmint.config.schema.json`.
 */
import type { AiProvider } from '../../shared/contracts.ts';
import type { Format } from '../../shared/plans.ts';
import type { Depth } from '../engine/data/depth.ts';
import type { Category } from '../engine/plan/types.ts';
import { allFormatOptions } from '../engine/render/formats.ts';

/** The config file name, looked up in the current directory. */
export const CONFIG_FILE = 'specmint.config.json';

/** A normalised `specmint.config.json`. Paths are absolute (resolved against the file's folder). */
export interface ProjectConfig {
  /** Absolute path of the file it came from. */
  file: string;
  /** `$schema`, kept as written. */
  schema?: string;
  /** Spec path (absolute) or URL. */
  spec?: string;
  formats?: Format[];
  /** Output folder (absolute). */
  out?: string;
  seed?: number;
  tags?: string[];
  operations?: string[];
  categories?: Category[];
  /** Inputs per case (`generate --depth`). */
  depth?: Depth;
  /** Path parameter values naming resources that exist, by parameter name. */
  pathParams?: Record<string, string>;
  ai?: { provider: AiProvider; model?: string; baseUrl?: string };
  /** Values of the formats' own options, by key (top-level keys in the file, e.g. `sqlDialect`). */
  formatOptions?: Record<string, string>;
  /** Licence server URL (SPECMINT_API_URL beats it). */
  apiUrl?: string;
}

/** Keys a config file may hold: SpecMint's own, then each format option's (`sqlDialect`). */
export const CONFIG_KEYS: readonly string[] = [
  '$schema',
  'spec',
  'formats',
  'out',
  'seed',
  'tags',
  'operations',
  'categories',
  'depth',
  'pathParams',
  'ai',
  'apiUrl',
  ...allFormatOptions().map((option) => option.key),
];

/** One problem in a config file, located by JSON pointer. */
export interface ConfigProblem {
  /** Name of the rule that found it. */
  rule: string;
  /** JSON pointer into the file (`/formats/1`). */
  pointer: string;
  message: string;
}
