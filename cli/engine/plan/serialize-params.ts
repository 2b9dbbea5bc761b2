/**
 * Serialises parameter values the way OpenAPI's `style`/`explode` say, so renderers only concatenate.
 * @see https://spec.openapis.org/oas/v3.1.0#style-examples
 */
import type { IrParameter } from '../ir/types.ts';
import type { VarRef } from './types.ts';

/** Path parts: literal (already percent-encoded) strings and captured variables. */
export type PathPart = string | VarRef;

/** True when `value` is a reference to a variable captured by an earlier step. */
export function isVarRef(value: unknown): value is VarRef {
  return (
    typeof value === 'object' && value !== null && typeof (value as { $var?: unknown }).$var === 'string'
  );
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/** RFC 3986 unreserved characters stay; everything else is percent-encoded. */
function encodePathValue(text: string, allowReserved: boolean): string {
  return allowReserved ? encodeURI(text) : encodeURIComponent(text);
}

function entriesOf(value: object): Array<[string, unknown]> {
  return Object.entries(value as Record<string, unknown>);
}

/**
 * A `simple`-style value (path and header parameters): each value passes through `encode`, the delimiters
 * (`,` and `=`) do not.
 */
function simpleText(value: unknown, explode: boolean, encode: (text: string) => string = (t) => t): string {
  if (Array.isArray(value)) return value.map((v) => encode(scalarText(v))).join(',');
  if (value !== null && typeof value === 'object') {
    return entriesOf(value)
      .map(([k, v]) =>
        explode ? `${encode(k)}=${encode(scalarText(v))}` : `${encode(k)},${encode(scalarText(v))}`,
      )
      .join(',');
  }
  return encode(scalarText(value));
}

/**
 * Substitutes one path parameter into its template slot.
 * Returns the encoded text for a literal value, or the {@link VarRef} itself (label/matrix prefixes become
 * literal parts around it).
 */
export function serializePathParam(param: IrParameter, value: unknown): PathPart[] {
  const prefix = param.style === 'label' ? '.' : param.style === 'matrix' ? `;${param.name}=` : '';
  if (isVarRef(value)) return prefix ? [prefix, value] : [value];
  const encode = (text: string): string => encodePathValue(text, param.allowReserved);
  if (param.style === 'label') {
    if (Array.isArray(value))
      return [`.${value.map((v) => encode(scalarText(v))).join(param.explode ? '.' : ',')}`];
    return [`.${simpleText(value, param.explode, encode)}`];
  }
  if (param.style === 'matrix') {
    if (Array.isArray(value) && param.explode) {
      return [value.map((v) => `;${param.name}=${encode(scalarText(v))}`).join('')];
    }
    return [`;${param.name}=${simpleText(value, param.explode, encode)}`];
  }
  return [simpleText(value, param.explode, encode)];
}

/** Splits a path template into literal parts and parameter slots, substituting each parameter's value. */
export function buildPath(template: string, values: Map<string, PathPart[]>): PathPart[] {
  const parts: PathPart[] = [];
  const pattern = /\{([^}]+)\}/g;
  let last = 0;
  for (let match = pattern.exec(template); match !== null; match = pattern.exec(template)) {
    if (match.index > last) parts.push(template.slice(last, match.index));
    const name = match[1] ?? '';
    parts.push(...(values.get(name) ?? [encodeURIComponent(`{${name}}`)]));
    last = match.index + match[0].length;
  }
  if (last < template.length) parts.push(template.slice(last));
  return mergeLiterals(parts);
}

function mergeLiterals(parts: PathPart[]): PathPart[] {
  const merged: PathPart[] = [];
  for (const part of parts) {
    const previous = merged[merged.length - 1];
    if (typeof part === 'string' && typeof previous === 'string') merged[merged.length - 1] = previous + part;
    else merged.push(part);
  }
  return merged;
}

/** Query pairs (unencoded) for one query parameter, per style and explode. */
export function serializeQueryParam(param: IrParameter, value: unknown): Array<[string, string]> {
  if (param.contentType) return [[param.name, JSON.stringify(value)]];
  if (Array.isArray(value)) {
    if (param.style === 'form' && param.explode) return value.map((v) => [param.name, scalarText(v)]);
    const separator = param.style === 'spaceDelimited' ? ' ' : param.style === 'pipeDelimited' ? '|' : ',';
    return [[param.name, value.map(scalarText).join(separator)]];
  }
  if (value !== null && typeof value === 'object') {
    if (param.style === 'deepObject') {
      return entriesOf(value).map(([k, v]) => [`${param.name}[${k}]`, scalarText(v)]);
    }
    if (param.explode) return entriesOf(value).map(([k, v]) => [k, scalarText(v)]);
    return [
      [
        param.name,
        entriesOf(value)
          .flatMap(([k, v]) => [k, scalarText(v)])
          .join(','),
      ],
    ];
  }
  return [[param.name, scalarText(value)]];
}

/** The header value of a header parameter (`simple` style). */
export function serializeHeaderParam(param: IrParameter, value: unknown): string {
  if (param.contentType) return JSON.stringify(value);
  return simpleText(value, param.explode);
}

/** The cookie value of a cookie parameter (`form` style). */
export function serializeCookieParam(param: IrParameter, value: unknown): string {
  if (param.contentType) return JSON.stringify(value);
  if (Array.isArray(value)) return value.map(scalarText).join(',');
  if (value !== null && typeof value === 'object') {
    return entriesOf(value)
      .flatMap(([k, v]) => [k, scalarText(v)])
      .join(',');
  }
  return scalarText(value);
}
