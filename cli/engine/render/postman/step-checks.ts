/**
 * The named checks of one step (docs/checks.md), as a request's Tests tab lists them for
 * specmint.checkResponse: check name → its parameters (`true` when it has none), in the order they are reported.
 */
import type { PlanOperation, TestStep } from '../../plan/types.ts';

/** The checks that apply to the step's response, with what each needs. */
export function stepChecks(operation: PlanOperation, step: TestStep): Record<string, unknown> {
  const { expect } = step;
  // A method the path does not declare belongs to no operation: no conformance checks, and 501 Not Implemented
  // is no server error there (docs/checks.md, unsupported_method).
  if (expect.check === 'unsupported_method')
    return { not_a_server_error: { allow: ['501'] }, unsupported_method: { expect: expect.status } };
  const checks: Record<string, unknown> = { not_a_server_error: true };
  checks[expect.check] = { expect: expect.status };
  const lenient = expect.lenientStatuses ?? [];
  checks.status_code_conformance = lenient.length > 0 ? { lenient } : true;
  if (expect.validateBody) {
    checks.content_type_conformance = true;
    checks.response_schema_conformance = true;
  }
  if (operation.responses.some((response) => (response.headers ?? []).length > 0))
    checks.response_headers_conformance = true;
  if (expect.bodyEquals && expect.bodyEquals.length > 0) checks.read_after_write = expect.bodyEquals;
  if (expect.itemsMatch) checks.filter_consistency = expect.itemsMatch;
  if (expect.sameAs) checks.idempotence = expect.sameAs;
  return checks;
}
