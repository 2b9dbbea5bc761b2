/** What statuses a case may expect, derived from what the operation declares. */
import type { IrOperation } from '../ir/types.ts';

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
