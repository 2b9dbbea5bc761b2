/**
 * Values only the server issues, which a suite cannot make up:
 * - preconditions of a conditional request (RFC 9110 §13): `If-Match`, `If-None-Match`, `If-Modified-Since`,
 *   `If-Unmodified-Since`, `If-Range` hold the resource's current ETag or last change; a made-up one may not
 *   hold, and the request may meet the declared 412 (or a 304 for a read);
 * - pagination cursors (`cursor`, `pageToken`, `next_token`, `starting_after`…, or a string parameter the
 *   spec calls opaque): a made-up one may be refused with the declared 4xx.
 * The typical request leaves an optional one out (the request is then unconditional, or asks for the first
 * page, as the spec allows); an input class that sends one accepts those statuses.
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

/** Names of pagination cursors, normalised (lower case, no separators). */
const CURSORS = new Set([
  'cursor',
  'pagecursor',
  'pagetoken',
  'nextpagetoken',
  'nexttoken',
  'continuation',
  'continuationtoken',
  'startingafter',
  'endingbefore',
  'marker',
]);

/** Whether `param` is a precondition header. */
export function isPrecondition(param: IrParameter): boolean {
  return param.in === 'header' && PRECONDITIONS.has(param.name.toLowerCase());
}

/** Whether `param` is a pagination cursor: named as one, or a query string the spec calls opaque. */
export function isCursor(param: IrParameter): boolean {
  if (param.in !== 'query') return false;
  if (CURSORS.has(param.name.toLowerCase().replace(/[^a-z]/g, ''))) return true;
  return typeof param.description === 'string' && /\bopaque\b/i.test(param.description);
}

/** Whether the suite cannot make up a value of `param` that the server would take as its own. */
export function isIssuedValue(param: IrParameter): boolean {
  return isPrecondition(param) || isCursor(param);
}

/**
 * The statuses a valid request of `op` sending `params` may also get because it sends a value only the server
 * issues: the declared 412 and 304 for a precondition, the declared 4xx for a cursor.
 */
export function issuedValueStatuses(op: IrOperation, params: Record<string, unknown>): string[] {
  const sent = op.parameters.filter((param) => isIssuedValue(param) && params[paramKey(param)] !== undefined);
  if (sent.length === 0) return [];
  const declared = op.responses.map((response) => response.status);
  const wanted = new Set<string>();
  for (const param of sent) {
    const matches = isPrecondition(param)
      ? (status: string) => status === '412' || status === '304'
      : (status: string) => status.startsWith('4');
    for (const status of declared) if (matches(status)) wanted.add(status);
  }
  return [...wanted];
}
