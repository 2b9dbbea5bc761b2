/**
 * Turns one proposal into a planned test case, or says why it is rejected:
 * - positive: every parameter and the body validate against the operation's schemas, and the expected
 *   status is a success status the operation declares;
 * - negative: the request is invalid in exactly the location it names in `violates` (that location fails,
 *   and fixing it alone makes the request valid), and the expected status is a 4xx.
 * Accepted cases are built with the planner's own step builders (same setup steps, auth and serialisation).
 */
import type { ApiIr, IrParameter } from '../ir/types.ts';
import { keyOf, type PlannedCase } from '../plan/case-ids.ts';
import { caseWithSetup, describeOp, expectedForValid } from '../plan/cases-basic.ts';
import type { OperationContext } from '../plan/operation-context.ts';
import { paramKey, pickBodyMedia, type StepInput, usableParameters } from '../plan/request-builder.ts';
import { isVarRef } from '../plan/serialize-params.ts';
import { declaresStatus, rejectionExpectation } from '../plan/statuses.ts';
import type { StepExpectation } from '../plan/types.ts';
import { decodeJsonText, type Proposal } from './proposal-schema.ts';
import { checkBodyViolation, paramLocation, type RequestDraft, requestProblems } from './request-check.ts';

/** The outcome for one proposal. */
export type Validation = { ok: true; planned: PlannedCase } | { ok: false; reason: string };

/** What validation needs about the operation. */
export interface ValidationContext {
  ir: ApiIr;
  octx: OperationContext;
}

const reject = (reason: string): Validation => ({ ok: false, reason });

/** `201`, `4XX` … upper-cased; undefined when it is not a status. */
export function normaliseStatus(raw: string): string | undefined {
  const status = raw.trim().toUpperCase();
  return /^[1-5]([0-9]{2}|XX)$/.test(status) ? status : undefined;
}

/** One line of printable text, at most 120 characters. */
export function cleanTitle(raw: string): string {
  const text = raw
    .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** `body/tags/0` → `{ location: 'body', tokens: ['tags', '0'] }`; also accepts `/body/…`, `#/…` and `body.tags`. */
export function parseViolates(raw: string): { location: string; tokens: string[] } | undefined {
  let text = raw.trim().replace(/^#/, '').replace(/^\/+/, '');
  if (!text.includes('/') && text.includes('.')) text = text.replace(/\./g, '/');
  const parts = text.split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const head = parts[0]?.toLowerCase();
  if (!head) return undefined;
  const location = head === 'requestbody' ? 'body' : head;
  return { location, tokens: parts.slice(1).filter((t) => t !== '') };
}

function findParam(params: IrParameter[], location: string, name: string): IrParameter | undefined {
  const exact = params.find((p) => p.in === location && p.name === name);
  if (exact || location !== 'header') return exact;
  return params.find((p) => p.in === 'header' && p.name.toLowerCase() === name.toLowerCase());
}

interface Built {
  draft: RequestDraft;
  violatedParam?: IrParameter;
}

function buildDraft(
  ctx: ValidationContext,
  proposal: Proposal,
  violates: ReturnType<typeof parseViolates>,
): Built | string {
  const { octx } = ctx;
  const declared = usableParameters(octx.op);
  const params: Record<string, unknown> = {};
  let violatedParam: IrParameter | undefined;
  if (violates && violates.location !== 'body') {
    violatedParam = findParam(declared, violates.location, violates.tokens.join('/'));
    if (!violatedParam)
      return `violates names ${violates.location}/${violates.tokens.join('/')}, which the operation does not declare`;
  }
  for (const given of proposal.params) {
    const param = findParam(declared, given.in, given.name);
    if (!param) return `unknown parameter ${given.in}/${given.name} (not declared by the operation)`;
    const key = paramKey(param);
    if (Object.hasOwn(params, key)) return `parameter ${paramLocation(param)} is given twice`;
    const decoded = decodeJsonText(given.value, { bareStrings: true });
    if (decoded.ok) params[key] = decoded.value;
  }
  for (const param of declared.filter((p) => p.in === 'path')) {
    const key = paramKey(param);
    const own = octx.params[key];
    const isTarget = violatedParam === param;
    // A path parameter bound to a resource made by a setup step keeps that binding unless it is the target.
    if (isVarRef(own) && !isTarget) params[key] = own;
    else if (!Object.hasOwn(params, key)) {
      if (isTarget) return 'path parameters cannot be left out (the URL would change)';
      params[key] = own;
    }
    if (isTarget && params[key] === '')
      return 'an empty path parameter changes the route instead of violating it';
  }
  if (proposal.body === null) return { draft: { params, body: { present: false } }, violatedParam };
  const text = pickBodyMedia(octx.op)?.kind === 'text';
  const body = decodeJsonText(proposal.body, { bareStrings: text });
  if (!body.ok) return `body ${body.error}`;
  return { draft: { params, body: { present: true, value: body.value } }, violatedParam };
}

function stepInput(octx: OperationContext, draft: RequestDraft, expect: StepExpectation): StepInput {
  const choice = octx.body?.choice ?? pickBodyMedia(octx.op);
  return {
    params: draft.params,
    body: draft.body.present && choice ? { choice, value: draft.body.value } : undefined,
    auth: octx.validAuth,
    expect,
  };
}

function validatePositive(ctx: ValidationContext, proposal: Proposal, status: string): Validation {
  const { octx } = ctx;
  if (!/^[23]/.test(status) || !declaresStatus(octx.op, status)) {
    return reject(
      `positive case expects ${status}, which is not a success status the operation declares (${octx.success.join(', ') || 'none'})`,
    );
  }
  if (proposal.violates !== null && proposal.violates.trim() !== '')
    return reject('positive case names a violation');
  const built = buildDraft(ctx, proposal, undefined);
  if (typeof built === 'string') return reject(built);
  const problems = requestProblems(ctx.ir, octx.op, built.draft);
  if (problems.length > 0) {
    return reject(
      `positive case is invalid: ${problems.map((p) => `${p.location}: ${p.message}`).join('; ')}`,
    );
  }
  // A path parameter nothing creates may name a missing resource: its 4xx answers are acceptable too.
  const unbound = expectedForValid(octx).status.filter((s) => s.startsWith('4'));
  const expect: StepExpectation = {
    ...expectedForValid(octx),
    status: [status, ...unbound.filter((s) => s !== status)],
  };
  const title = `${describeOp(octx.op)}: ${cleanTitle(proposal.title)}`;
  return {
    ok: true,
    planned: caseWithSetup(
      octx,
      { category: 'contract', title, key: keyOf(proposal.title) },
      stepInput(octx, built.draft, expect),
    ),
  };
}

function validateNegative(ctx: ValidationContext, proposal: Proposal, status: string): Validation {
  const { octx, ir } = ctx;
  if (!status.startsWith('4'))
    return reject(`negative case expects ${status}; a schema violation must expect a 4xx`);
  if (proposal.violates === null || proposal.violates.trim() === '')
    return reject('negative case does not name the location it violates');
  const violates = parseViolates(proposal.violates);
  const locations = ['body', 'path', 'query', 'header', 'cookie'];
  if (!violates || !locations.includes(violates.location)) {
    return reject(`violates "${proposal.violates}" must start with body/, path/, query/, header/ or cookie/`);
  }
  const built = buildDraft(ctx, proposal, violates);
  if (typeof built === 'string') return reject(built);
  const problems = requestProblems(ir, octx.op, built.draft);
  if (problems.length === 0)
    return reject(`the request is valid, so it violates nothing (claimed: ${proposal.violates})`);
  const target = built.violatedParam ? paramLocation(built.violatedParam) : 'body';
  const elsewhere = problems.filter((p) => p.location !== target);
  if (elsewhere.length > 0) {
    return reject(
      `besides ${target}, the request is also invalid at ${elsewhere.map((p) => p.location).join(', ')}`,
    );
  }
  if (!problems.some((p) => p.location === target))
    return reject(`${target} is valid; the claimed violation is not there`);
  if (target === 'body' && !built.draft.body.present && violates.tokens.length > 0) {
    return reject(`the body is missing, but violates names body/${violates.tokens.join('/')}`);
  }
  if (target === 'body' && built.draft.body.present) {
    const schema = pickBodyMedia(octx.op)?.media.schema;
    if (schema !== undefined) {
      const reason = checkBodyViolation({
        ir,
        schema,
        body: built.draft.body.value,
        tokens: violates.tokens,
        baseline: octx.body?.value,
      });
      if (reason) return reject(reason);
    }
  }
  const title = `${describeOp(octx.op)}: ${cleanTitle(proposal.title)}`;
  return {
    ok: true,
    planned: caseWithSetup(
      octx,
      { category: 'negative', title, key: keyOf(proposal.title) },
      stepInput(octx, built.draft, rejectionExpectation(octx.op)),
    ),
  };
}

/** Validates one proposal for the operation of `ctx.octx`. Pure and deterministic. */
export function validateProposal(ctx: ValidationContext, proposal: Proposal): Validation {
  const status = normaliseStatus(proposal.expectStatus);
  if (!status) return reject(`expectStatus "${proposal.expectStatus}" is not an HTTP status`);
  if (cleanTitle(proposal.title) === '') return reject('the title is empty');
  return proposal.kind === 'positive'
    ? validatePositive(ctx, proposal, status)
    : validateNegative(ctx, proposal, status);
}
