/**
 * What the engine asks of the world while it generates: progress to show, a licence to ask for, AI cases to
 * add, files to write. The CLI plugs in the terminal, the licence server, the user's AI provider and the disk
 * (cli/commands/generate/); tests, benchmarks and the corpus script plug in memory and nothing else.
 */
import type { AiRequest, Usage } from '../../shared/contracts.ts';
import type { Format } from '../../shared/plans.ts';
import type { Depth } from './data/depth.ts';
import type { ApiIr } from './ir/types.ts';
import type { PlanDiagnostic, TestPlan } from './plan/types.ts';
import type { RenderedFile } from './render/types.ts';

/** A long step in progress (a spinner on a terminal; a line at the end otherwise). */
export interface StageProgress {
  update(text: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  /** Ends the step without a line. */
  stop(): void;
}

/** Where progress, warnings and debug lines go. */
export interface ProgressPort {
  start(text: string): StageProgress;
  warn(text: string): void;
  debug(text: string): void;
  /** How a path is shown (relative to the working directory on a terminal). */
  path(path: string): string;
}

/** What a licence is asked for (step 2 of the entitlement protocol, DESIGN.md). */
export interface LicenceRequest {
  specHash: string;
  specTitle: string;
  operationCount: number;
  formats: Format[];
  ai: AiRequest | null;
}

/** What the generation reports when its files are written. */
export interface CompletionReport {
  files: number;
  tests: number;
  durationMs: number;
}

/** A granted, verified licence for one generation. */
export interface Licence {
  plan: Usage['plan'];
  usage: Usage;
  /** The generation counts against the quota once completed (a new spec this period). */
  charged: boolean;
  /** Confirms the generation (its files are written): step 4's completion report. */
  complete(report: CompletionReport): Promise<void>;
  /** Gives the reservation back: the generation wrote nothing. Never throws. */
  release(): Promise<void>;
  /** Frees connections; called once, whatever happened. */
  close(): Promise<void>;
}

/** Asks the licence server for a licence; throws typed errors (exit 4/5) when refused or unreachable. */
export interface LicencePort {
  request(request: LicenceRequest): Promise<Licence>;
}

/** Adds validated AI-proposed cases to a plan (or gives it back unchanged when the provider fails). */
export interface AiPort {
  enhance(input: { ir: ApiIr; plan: TestPlan; progress: ProgressPort }): Promise<TestPlan>;
}

/** One rendered format: files with paths relative to the output root (`vitest/tests/pets.test.ts`). */
export interface FormatOutput {
  format: Format;
  files: RenderedFile[];
  renderedCases: number;
  /** Cases the format could not express, and other notes. */
  diagnostics: PlanDiagnostic[];
}

/** The facts a written output folder records about itself (its manifest, without the file hashes). */
export interface OutputFacts {
  version: string;
  specHash: string;
  seed: number;
  /** The depth the suites were generated at (a re-run or `--check` without `--depth` uses it again). */
  depth: Depth;
  pathParams?: Record<string, string>;
}

/** What `--check` found: files that differ, are missing, or would no longer be generated. */
export interface CheckResult {
  changed: string[];
  missing: string[];
  /** Files SpecMint wrote (per its manifest) that it would no longer write: the next run drops them. */
  extra: string[];
  /**
   * What SpecMint does not manage and left alone (relative to the output folder; a folder ends in `/`): files
   * a user added, folders such as `node_modules/`, a format's hooks file. Never compared, never stale.
   */
  notManaged: string[];
}

/** Where the rendered formats go. */
export interface OutputPort {
  /**
   * Called before a licence is asked for: throws when the output cannot be written (a folder SpecMint did
   * not write, without --force), so such a run costs nothing.
   */
  prepare(formats: readonly Format[]): Promise<void>;
  /**
   * Writes the formats as they are rendered (one at a time) and returns the written paths. Nothing is left
   * half-written when it throws or `signal` aborts. Only files SpecMint owns are replaced or deleted: a
   * `once` file is written only when absent, and any other file it did not write is kept as it is.
   */
  write(
    outputs: AsyncIterable<FormatOutput> | Iterable<FormatOutput>,
    facts: OutputFacts,
    signal?: AbortSignal,
  ): Promise<string[]>;
  /**
   * Compares what would be written with what is there (`--check`); called once per format. A `once` file is
   * never compared; what SpecMint does not manage is listed in `notManaged` (the output root's entries with
   * the first call).
   */
  check(outputs: Iterable<FormatOutput>): Promise<CheckResult>;
}

/** Everything {@link runGeneration} talks to. */
export interface GenerationPorts {
  progress: ProgressPort;
  /** Where files go (write and check modes). */
  output: OutputPort;
  /** Asked for a licence before anything is written; absent when the engine runs as a library (tests). */
  licence?: LicencePort;
  /** Absent: no AI cases. */
  ai?: AiPort;
  /** The spec when its source is `-`. */
  stdin?: NodeJS.ReadableStream;
  /** Ctrl-C: the run stops at the next stage boundary or slice and leaves the output as it was. */
  signal?: AbortSignal;
}
