/**
 * What a format is: one folder under `render/<format>/` whose `format.ts` declares everything the rest of
 * SpecMint needs to know about it (help text, options and their config schema, whether it shows sample data,
 * how the corpus validator checks its output, how the tests run it for real) and whose `index.ts` adds the
 * renderer. The registries (`formats.ts` for the facts, `registry.ts` for the renderers) are exhaustive
 * `Record<Format, …>` maps: a format in shared/plans.ts without a module is a type error, not an exit 70.
 */
import type { Format } from '../../../shared/plans.ts';
import type { TestPlan } from '../plan/types.ts';
import type { RenderOptions, RenderResult } from './types.ts';

/**
 * A setting of one format: a `--<flag> <value>` on `generate` and a top-level key of specmint.config.json
 * (flags beat the file). Its value reaches the renderer as `RenderOptions.formatOptions[key]`.
 */
export interface FormatOption {
  /** Config key and `formatOptions` key, camelCase: `sqlDialect`. */
  key: string;
  /** Flag without the dashes, kebab-case: `sql-dialect`. */
  flag: string;
  /** Placeholder in help: `--sql-dialect <dialect>`. */
  valueName: string;
  /** The values it takes. */
  values: readonly string[];
  /** The value when none is given; one of {@link values}. */
  default: string;
  /** One line for help and the config schema, without the default. */
  description: string;
}

/**
 * How `npm run corpus:validate` checks a format's output: parse, compile or load it for real. Each kind has
 * one implementation in scripts/corpus-validate/ (an exhaustive map there).
 */
export type ValidationKind =
  | 'json-plan'
  | 'typescript'
  | 'javascript-commonjs'
  | 'python'
  | 'postman-collection'
  | 'k6-script'
  | 'sql';

/** One named corpus check of a format's output, rendered with the given option values. */
export interface FormatCheck {
  /** Name in the corpus report: the format, or `format:variant` (`sql:mysql`). */
  name: string;
  kind: ValidationKind;
  /** Option values the output is rendered with for this check (`{sqlDialect: 'mysql'}`). */
  options?: Readonly<Record<string, string>>;
}

/**
 * How the tests run a generated suite for real against the reference server (tests/run/): each kind has one
 * runner there (an exhaustive map), and every format that declares one must pass on the correct server and
 * fail on every seeded fault it can see.
 */
export type RunnerKind = 'vitest' | 'jest' | 'playwright' | 'pytest' | 'newman' | 'k6';

/** The facts about a format (cheap to import: no renderer code). */
export interface FormatInfo {
  format: Format;
  /** One line for `specmint formats`, help text and READMEs. */
  description: string;
  /** The command that runs the generated suite from its folder; absent for data-only formats. */
  runCommand?: string;
  /** Whether the output shows the plan's synthesised sample rows (others get a plan without them). */
  sampleData: boolean;
  /** Settings of this format (flags and config keys). */
  options: readonly FormatOption[];
  /** Corpus checks of its output. */
  checks: readonly FormatCheck[];
  /** How the tests run it for real; absent when it makes no requests (data-only formats). */
  runner?: RunnerKind;
}

/** A format: its facts plus the renderer. */
export interface FormatModule extends FormatInfo {
  /**
   * Turns a plan into files. No file or network I/O, no clock, no unseeded randomness: the same plan and
   * options give byte-identical files. Cases it cannot express are reported in `diagnostics` by id.
   */
  render(plan: TestPlan, options: RenderOptions): RenderResult;
}
