/**
 * Conditional requests (RFC 9110 §13): `If-Match`, `If-None-Match`, `If-Modified-Since`, `If-Unmodified-Since`
 * and `If-Range` carry a precondition about the resource's current state (its ETag, its last change). A value
 * made up here names no state the server holds, so the precondition may fail: a valid request that sends one
 * may meet the declared 412 (or a 304 for a read). The typical request leaves an optional one out (the
 * request is then unconditional, as the spec allows); an input class that sends one accepts those statuses.
 */
import type { IrOperation, IrParameter } from '../ir/types.ts';
import { paramKey } from './request-builder.ts';

const PRECONDITIONS = new Set([
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
  'if-range',
]);

/** Whether `param` is a precondition header. */
export function isPrecondition(param: IrParameter): boolean {
  return param.in === 'header' && PRECONDITIONS.has(param.name.toLowerCase());
}

/**
 * The statuses a valid request of `op` sending `params` may also get because a precondition it sends may not
 * hold: the declared 412 and 304 (the 304 of a conditional read), when it sends one.
 */
export function preconditionStatuses(op: IrOperation, params: Record<string, unknown>): string[] {
  const sends = op.parameters.some((param) => isPrecondition(param) && params[paramKey(param)] !== undefined);
  if (!sends) return [];
  return op.responses
    .map((response) => response.status)
    .filter((status) => status === '412' || status === '304');
}
