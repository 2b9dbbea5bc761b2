/**
 * Which plan cases a JS suite can run faithfully, and why not for the rest (reported as diagnostics
 * instead of rendering a test that could not do what the plan says).
 */
import type { PlanDiagnostic, TestCase, TestPlan, TestStep } from '../../plan/types.ts';
import { isVarRef } from '../common/var-ref.ts';
import { toSchemeSpec } from './contract.ts';

/** The cases to render and the diagnostics for the ones left out. */
export interface CaseSelection {
  cases: TestCase[];
  diagnostics: PlanDiagnostic[];
}

/** Splits the plan's cases into renderable ones and diagnostics (one per case left out, naming it). */
export function selectCases(plan: TestPlan, format: string): CaseSelection {
  const cases: TestCase[] = [];
  const diagnostics: PlanDiagnostic[] = [];
  const seen = new Set<string>();
  const operations = new Set(plan.operations.map((op) => op.id));
  for (const testCase of plan.cases) {
    const reason = seen.has(testCase.id)
      ? 'a case with the same id was already rendered'
      : unsupportedReason(testCase, plan, operations);
    seen.add(testCase.id);
    if (reason === undefined) {
      cases.push(testCase);
    } else {
      diagnostics.push({
        severity: 'warning',
        code: 'CASE_NOT_RENDERED',
        message: `${format}: case ${testCase.id} not rendered: ${reason}`,
        operationId: testCase.operationId,
      });
    }
  }
  return { cases, diagnostics };
}

function unsupportedReason(testCase: TestCase, plan: TestPlan, operations: Set<string>): string | undefined {
  if (testCase.steps.length === 0) return 'it has no steps';
  const captured = new Set<string>();
  for (const [index, step] of testCase.steps.entries()) {
    const reason = stepReason(step, plan, operations, captured);
    if (reason !== undefined) return `step ${index + 1}: ${reason}`;
    for (const name of Object.keys(step.capture ?? {})) captured.add(name);
  }
  return undefined;
}

function stepReason(
  step: TestStep,
  plan: TestPlan,
  operations: Set<string>,
  captured: Set<string>,
): string | undefined {
  if (!operations.has(step.operationId))
    return `operation ${step.operationId} is not in the plan's operations`;
  if (!/^[A-Za-z]+$/.test(step.method)) return `invalid HTTP method "${step.method}"`;
  if (step.expect.status.length === 0) return 'no expected status';
  const missing = usedVariables(step).find((name) => !captured.has(name));
  if (missing !== undefined) return `variable "${missing}" is not captured by an earlier step`;
  // The runtime captures before it compares, so a check may use what the same step captures.
  const ownCaptures = new Set([...captured, ...Object.keys(step.capture ?? {})]);
  const unknown = [
    ...(step.expect.bodyEquals ?? []).map((check) => check.equals),
    step.expect.itemsMatch?.equals ?? null,
  ]
    .flatMap((value) => variablesIn(value))
    .find((name) => !ownCaptures.has(name));
  if (unknown !== undefined) return `body check uses variable "${unknown}", which no step captures`;
  if (step.auth.mode === 'none') return undefined;
  let authorizationHeaders = 0;
  for (const key of step.auth.schemes) {
    const scheme = Object.hasOwn(plan.securitySchemes, key) ? plan.securitySchemes[key] : undefined;
    if (!scheme) return `security scheme "${key}" is not in the plan`;
    const spec = toSchemeSpec(scheme);
    if ('unsupported' in spec) return spec.unsupported;
    if (spec.kind !== 'apiKey') authorizationHeaders += 1;
  }
  if (authorizationHeaders > 1) return 'it needs two credentials in one Authorization header';
  return undefined;
}

/** Names of the variables a step's path, query and body refer to. */
function usedVariables(step: TestStep): string[] {
  return variablesIn([step.path, step.query.map(([, value]) => value), step.body?.value ?? null]);
}

/** Variable names in `value`, depth first, appended to `out` (one list for the whole walk). */
function variablesIn(value: unknown, out: string[] = []): string[] {
  if (isVarRef(value)) out.push(value.$var);
  else if (Array.isArray(value)) for (const item of value) variablesIn(item, out);
  else if (value !== null && typeof value === 'object')
    for (const item of Object.values(value)) variablesIn(item, out);
  return out;
}
