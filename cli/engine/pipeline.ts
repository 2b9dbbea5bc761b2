/**
 * The engine's first stage, which run-generation.ts starts with: load → validate → build IR (prepareSpec).
 * Planning is plan/plan-tests.ts, rendering one format render/render-format.ts; writing is the output port's
 * job.
 */
import { buildIr } from './ir/build-ir.ts';
import type { ApiIr, Diagnostic } from './ir/types.ts';
import type { TestPlan } from './plan/types.ts';
import { type LoadedSpec, type LoadSpecOptions, loadSpec } from './spec/load-spec.ts';

export interface PreparedSpec {
  spec: LoadedSpec;
  ir: ApiIr;
  /** Loading and IR warnings. */
  diagnostics: Diagnostic[];
}

/** Loads, validates and builds the IR. Throws `SpecError` (exit 1) for a broken spec. */
export async function prepareSpec(
  source: string,
  options: LoadSpecOptions & {
    /** Told the loaded spec before its IR is built (the render helper thread can hash it meanwhile). */
    loaded?: (spec: LoadedSpec) => void;
  } = {},
): Promise<PreparedSpec> {
  const spec = await loadSpec(source, options);
  options.loaded?.(spec);
  const { ir, diagnostics } = buildIr(spec);
  return { spec, ir, diagnostics: [...spec.diagnostics, ...diagnostics] };
}

/** Number of planned cases per category. */
export function countByCategory(plan: TestPlan): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of plan.cases) counts[c.category] = (counts[c.category] ?? 0) + 1;
  return counts;
}
