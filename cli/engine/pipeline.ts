/**
 * The engine's stage functions that run-generation.ts strings together: load → validate → build IR
 * (prepareSpec), then render the planned cases format by format (renderFormats). Pure apart from loading the
 * spec; writing is the output port's job.
 */
import type { Format } from '../../shared/plans.ts';
import { buildIr } from './ir/build-ir.ts';
import type { ApiIr, Diagnostic } from './ir/types.ts';
import type { TestPlan } from './plan/types.ts';
import type { FormatOutput } from './ports.ts';
import { renderFormat } from './render/render-format.ts';
import type { RenderOptions } from './render/types.ts';
import { type LoadedSpec, loadSpec } from './spec/load-spec.ts';

export interface PreparedSpec {
  spec: LoadedSpec;
  ir: ApiIr;
  /** Loading and IR warnings. */
  diagnostics: Diagnostic[];
}

/** Loads, validates and builds the IR. Throws `SpecError` (exit 1) for a broken spec. */
export async function prepareSpec(
  source: string,
  options: { stdin?: NodeJS.ReadableStream; timeoutMs?: number } = {},
): Promise<PreparedSpec> {
  const spec = await loadSpec(source, options);
  const { ir, diagnostics } = buildIr(spec);
  return { spec, ir, diagnostics: [...spec.diagnostics, ...diagnostics] };
}

/** Options of {@link renderFormats}. */
export interface RenderFormatsOptions {
  formats: readonly Format[];
  render: RenderOptions;
}

/**
 * Renders the requested formats one at a time, as they are asked for. A caller that writes each format
 * before asking for the next holds one format's files at a time: all eight formats of Microsoft Graph
 * beta together (some 2.5 GB of text) would not fit in Node's default heap. Deterministic for the same plan.
 */
export function* renderFormats(
  plan: TestPlan,
  options: RenderFormatsOptions,
): Generator<FormatOutput, void, undefined> {
  for (const format of options.formats) yield renderFormat(format, plan, options.render);
}

/** Number of planned cases per category. */
export function countByCategory(plan: TestPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of plan.cases) counts[c.category] = (counts[c.category] ?? 0) + 1;
  return counts;
}
