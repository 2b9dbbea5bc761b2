/** What statuses a case may expect, derived from what the operation declares. */
import type { IrOperation } from '../ir/types.ts';
import type { StepExpectation } from './types.ts';

/** Declared success statuses (`200`, `201`, `2XX`); `['2XX']` when only `default` is declared. */
export function successStatuses(op: IrOperation): string[] {
  const declared = op.responses.map((r) => r.status).filter((s) => s.startsWith('2'));
  if (declared.length > 0) return declared;
  if (op.responses.some((r) => r.status === 'default')) return ['2XX'];
  const redirects = op.responses.map((r) => r.status).filter((s) => s.startsWith('3'));
  return redirects;
}

/** True when the operation declares `status` exactly, by class, or through `default`. */
export function declaresStatus(op: IrOperation, status: string): boolean {
  return op.responses.some(
    (r) => r.status === status || r.status === `${status[0]}XX` || r.status === 'default',
  );
}

/** The declared success response with a JSON object body, preferring 201 then 200. */
export function successJsonResponse(op: IrOperation) {
  const order = (status: string): number => (status === '201' ? 0 : status === '200' ? 1 : 2);
  return op.responses
    .filter((r) => r.status.startsWith('2'))
    .sort((a, b) => order(a.status) - order(b.status))
    .map((r) => ({ response: r, media: r.contents.find((c) => isJsonMediaType(c.mediaType)) }))
    .find((entry) => entry.media !== undefined);
}

/** `application/json`, `application/problem+json`, `application/vnd.x+json; charset=utf-8` … */
export function isJsonMediaType(mediaType: string): boolean {
  const base = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  return base === 'application/json' || base.endsWith('+json') || base === '*/*' || base === 'application/*';
}

/**
 * The statuses an operation's spec is silent about for one kind of rejection: when it declares none of
 * `answers` (nor their class, nor `default`), an undeclared status of `lenient` only warns (see
 * StepExpectation.lenientStatuses). Empty when the spec declares one: then it is clear, and strict.
 */
function silentAbout(op: IrOperation, answers: readonly string[], lenient: string[]): string[] {
  const declared = op.responses.map((r) => r.status);
  if (declared.includes('default')) return [];
  if (answers.some((status) => declared.includes(status) || declared.includes(`${status[0]}XX`))) return [];
  return lenient;
}

/** Expectation of a request that breaks one rule the spec states: any 4xx (`negative_data_rejection`). */
export function rejectionExpectation(
  op: IrOperation,
  options: { formatOnly?: boolean } = {},
): StepExpectation {
  const lenient = silentAbout(op, ['400', '422'], ['4XX']);
  return {
    status: ['4XX'],
    check: options.formatOnly ? 'negative_format_rejection' : 'negative_data_rejection',
    ...(lenient.length > 0 ? { lenientStatuses: lenient } : {}),
    validateBody: true,
  };
}

/** Expectation of a request without valid credentials (`auth_enforced`). */
export function authExpectation(op: IrOperation): StepExpectation {
  const lenient = silentAbout(op, ['401', '403'], ['401', '403']);
  return {
    status: ['401', '403'],
    check: 'auth_enforced',
    ...(lenient.length > 0 ? { lenientStatuses: lenient } : {}),
    validateBody: true,
  };
}

/** Expectation of a read after the resource was deleted (`use_after_delete`). */
export function goneExpectation(op: IrOperation): StepExpectation {
  const lenient = silentAbout(op, ['404', '410'], ['404', '410']);
  return {
    status: ['404', '410'],
    check: 'use_after_delete',
    ...(lenient.length > 0 ? { lenientStatuses: lenient } : {}),
    validateBody: true,
  };
}

/**
 * Words of a 422's description that name a rule about the state of things a valid request may break: a
 * balance, an age, a stock, a time, a transition ("The balance is lower than the amount", "The customer is
 * younger than 18", "Timestamps must not be in the future"). Not existence ("does not exist", "unknown"): the
 * suite creates what its requests name, or already accepts the 4xx where it makes an id up.
 */
const STATE_RULE =
  /\b(?:insufficient|balance|funds|not enough|exceeds?|exceeded|limit|quota|stock|available|availability|already|duplicate|in use|taken|younger|older|age|underage|adult|expired|closed|locked|frozen|suspended|transition|mismatch|conflicts?|future|past|overlaps?|capacity|sold out|still)\b/i;

/** Whether `op` declares a 422 described as a rule about the state of things ({@link STATE_RULE}). */
function declaresStateRule(op: IrOperation): boolean {
  const response = op.responses.find((r) => r.status === '422');
  return response !== undefined && STATE_RULE.test(response.description);
}

/**
 * Statuses a valid request may get (`positive_data_acceptance`): the declared successes, plus a declared
 * 409 (a conflict with what exists), 429 (rate limiting) or 422 described as a rule about the state of things
 * ({@link declaresStateRule}), which the spec itself says a valid request can meet; `extra` adds more (the
 * declared 4xx of a resource that may not exist).
 */
export function acceptanceExpectation(op: IrOperation, extra: readonly string[] = []): StepExpectation {
  const declared = op.responses.map((r) => r.status);
  const status = [
    ...successStatuses(op),
    ...['409', '429'].filter((s) => declared.includes(s)),
    ...(declaresStateRule(op) ? ['422'] : []),
    ...extra,
  ];
  return { status: [...new Set(status)], check: 'positive_data_acceptance', validateBody: true };
}
