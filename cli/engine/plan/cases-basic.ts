/**
 * Contract and auth cases: one valid request per operation, and the same request without and with wrong
 * credentials for secured operations.
 */
import type { IrOperation } from '../ir/types.ts';
import type { PlannedCase } from './case-ids.ts';
import { issuedValueStatuses } from './issued-values.ts';
import type { OperationContext } from './operation-context.ts';
import { reversedRangeAllowance } from './range-order.ts';
import { holdsMadeUpReference } from './reference-slots.ts';
import { buildStep, type StepInput } from './request-builder.ts';
import { acceptanceExpectation, authExpectation } from './statuses.ts';
import type { Category, StepAuth, StepExpectation, TestStep } from './types.ts';
import { uniqueSetup } from './unique-values.ts';

/** `POST /pets`. */
export function describeOp(op: IrOperation): string {
  return `${op.method.toUpperCase()} ${op.path}`;
}

/**
 * Statuses a valid request may get. When a path parameter or a body property names a resource nothing creates
 * (operation-context.ts), or the body holds a made-up id below its top level where the typical body holds one
 * a setup step made (reference-slots.ts), the resource may not exist, so the declared 4xx statuses are
 * acceptable too; so is a declared 412 (or 304) when it sends a precondition header, a declared 4xx when it sends a cursor (issued-values.ts); when
 * the request's range ends before it starts (or where it starts), a validation error is (range-order.ts).
 */
export function expectedForValid(
  octx: OperationContext,
  input: Pick<StepInput, 'params' | 'body'> = { params: octx.params, body: octx.body },
): StepExpectation {
  const sent = input.body?.value;
  const refersToUnknown =
    sent !== null &&
    typeof sent === 'object' &&
    (octx.unboundReferences.some((name) => namesSomething((sent as Record<string, unknown>)[name])) ||
      holdsMadeUpReference(sent, octx.referenceSlots));
  const clientErrors =
    octx.unboundPathParams.length === 0 && !refersToUnknown
      ? []
      : octx.op.responses.map((r) => r.status).filter((s) => s.startsWith('4'));
  const expectation = acceptanceExpectation(octx.op, [
    ...clientErrors,
    ...issuedValueStatuses(octx.op, input.params ?? {}),
  ]);
  const reversed = reversedRangeAllowance(octx.op, input.params, input.body?.value, octx.bodyProperties);
  if (!reversed) return expectation;
  return {
    ...expectation,
    status: [...new Set([...expectation.status, ...reversed.status])],
    ...(reversed.lenientStatuses ? { lenientStatuses: reversed.lenientStatuses } : {}),
  };
}

/** Whether a reference property's value names something: not left out, not `null`, not an empty list. */
function namesSomething(value: unknown): boolean {
  return value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
}

/** A case made of the operation's setup steps and one final step; `key` says what it tests (see case-ids.ts). */
export function caseWithSetup(
  octx: OperationContext,
  meta: { category: Category; title: string; key: string },
  step: StepInput,
): PlannedCase {
  // Each case's setup sends values of its own: a server may keep some of them unique (unique-values.ts).
  const setup =
    octx.setup.length === 0
      ? []
      : uniqueSetup(octx.ctx, octx.setup, () => octx.rng.fork(`unique:${meta.key}`));
  const steps: TestStep[] = [...setup, buildStep(octx.op, step)];
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
  const input = {
    params: octx.params,
    body: octx.body ? { choice: octx.body.choice, value: octx.body.value } : undefined,
    auth: octx.validAuth,
    ...overrides,
  };
  return { ...input, expect: overrides.expect ?? expectedForValid(octx, input) };
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
