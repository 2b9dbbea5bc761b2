/**
 * Contract and auth cases: one valid request per operation, and the same request without and with wrong
 * credentials for secured operations.
 */
import type { IrOperation } from '../ir/types.ts';
import type { PlannedCase } from './case-ids.ts';
import type { OperationContext } from './operation-context.ts';
import { buildStep, type StepInput } from './request-builder.ts';
import { acceptanceExpectation, authExpectation } from './statuses.ts';
import type { Category, StepAuth, StepExpectation, TestStep } from './types.ts';

/** `POST /pets`. */
export function describeOp(op: IrOperation): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

/**
 * Statuses a valid request may get. When a path parameter names a resource nothing creates, the resource may
 * not exist, so the declared 4xx statuses are acceptable too.
 */
export function expectedForValid(octx: OperationContext): StepExpectation {
  if (octx.unboundPathParams.length === 0) return acceptanceExpectation(octx.op);
  const clientErrors = octx.op.responses.map((r) => r.status).filter((s) => s.startsWith('4'));
  return acceptanceExpectation(octx.op, clientErrors);
}

/** A case made of the operation's setup steps and one final step; `key` says what it tests (see case-ids.ts). */
export function caseWithSetup(
  octx: OperationContext,
  meta: { category: Category; title: string; key: string },
  step: StepInput,
): PlannedCase {
  const steps: TestStep[] = [...octx.setup, buildStep(octx.op, step)];
  return {
    key: meta.key,
    category: meta.category,
    operationId: octx.op.id,
    title: meta.title,
    tags: octx.op.tags,
    steps,
  };
}

/** The valid request of the operation, with `overrides` applied. */
export function validInput(octx: OperationContext, overrides: Partial<StepInput> = {}): StepInput {
  return {
    params: octx.params,
    body: octx.body ? { choice: octx.body.choice, value: octx.body.value } : undefined,
    auth: octx.validAuth,
    expect: expectedForValid(octx),
    ...overrides,
  };
}

export function planContractCases(octx: OperationContext): PlannedCase[] {
  if (octx.success.length === 0) return [];
  const source = octx.body && octx.body.choice.media.examples.length > 0 ? ' (from the example)' : '';
  const title = `${describeOp(octx.op)} accepts a valid request${source} and answers as declared`;
  return [caseWithSetup(octx, { category: 'contract', title, key: 'typical' }, validInput(octx))];
}

export function planAuthCases(octx: OperationContext): PlannedCase[] {
  if (!octx.authRequired) return [];
  const variants: Array<{ auth: StepAuth; title: string; key: string }> = [
    {
      auth: { mode: 'none', schemes: octx.validAuth.schemes },
      title: 'without credentials',
      key: 'no_credentials',
    },
    {
      auth: { mode: 'invalid', schemes: octx.validAuth.schemes },
      title: 'with invalid credentials',
      key: 'invalid_credentials',
    },
  ];
  return variants.map((variant) =>
    caseWithSetup(
      octx,
      {
        category: 'auth',
        title: `${describeOp(octx.op)} rejects a request ${variant.title}`,
        key: variant.key,
      },
      validInput(octx, { auth: variant.auth, expect: authExpectation(octx.op) }),
    ),
  );
}
