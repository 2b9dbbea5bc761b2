export type Vars = Map<string, unknown>; // values captured by the steps of one case, by name

/** A value captured by an earlier step of the same case. */
export interface VarRef {
  $var: string;
}

/** Every check, by the name its failures carry (docs/checks.md; the planner's CHECK_NAMES). */
export const CHECK_NAMES = [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'positive_data_acceptance',
  'negative_data_rejection',
  'negative_format_rejection',
  'auth_enforced',
  'use_after_delete',
  'unsupported_method',
  'read_after_write',
  'filter_consistency',
  'idempotence',
] as const;

/** A check's name. */
export type CheckName = (typeof CHECK_NAMES)[number];

/** Checks that run only when SPECMINT_CHECKS names them. */
export const CHECKS_OFF_BY_DEFAULT: readonly string[] = ['negative_format_rejection'];

/** How many characters of a body a failure shows. */
export const BODY_LIMIT = 2000;

/** `text` cut after `limit` characters, saying how many were left out. */
export function cut(text: string, limit: number = BODY_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

/** A value as JSON text (`undefined` for a missing one). */
export function jsonText(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}

/** The media type of a Content-Type header, without parameters, in lower case. */
export function mediaTypeOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

/** Whether a status matches an expected one: exact ('201') or a class ('4XX'). */
export function statusMatches(pattern: string, status: number): boolean {
  const upper = pattern.toUpperCase();
  if (/^[1-5]XX$/.test(upper)) return String(status).charAt(0) === upper.charAt(0);
  return upper === String(status);
}

/** 'a 2xx status or 404' for ['2XX', '404']. */
export function expectedText(patterns: readonly string[]): string {
  const shown = patterns.map((p) => (/^[1-5]XX$/i.test(p) ? `a ${p.toLowerCase()} status` : p));
  return shown.length > 0 ? shown.join(' or ') : 'no status';
}

/** Whether a declared media type or range (any, image/any, application/any+json) covers the actual one. */
export function mediaMatches(declared: string, actual: string): boolean {
  const range = mediaTypeOf(declared);
  if (range === '*/*' || range === actual) return true;
  const [type, subtype] = range.split('/');
  const [actualType, actualSubtype] = actual.split('/');
  if (!type || !subtype || !actualType || !actualSubtype || type !== actualType) return false;
  if (subtype === '*') return true;
  if (subtype.startsWith('*+')) return actualSubtype.endsWith(subtype.slice(1));
  return subtype === 'json' && actualSubtype.endsWith('+json');
}

/** Whether a media type is JSON: application/json or any type with a +json suffix. */
export function isJson(mediaType: string): boolean {
  return /^[a-z0-9!#$&^_.+-]+\/([a-z0-9!#$&^_.-]+\+)?json$/.test(mediaType);
}

/** The value at a JSON pointer (RFC 6901), or undefined when a part is missing. */
export function pointerGet(doc: unknown, pointer: string): unknown {
  if (pointer === '') return doc;
  if (!pointer.startsWith('/')) return undefined;
  let current = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      current = /^(0|[1-9][0-9]*)$/.test(key) ? current[Number(key)] : undefined;
    } else if (current !== null && typeof current === 'object' && Object.hasOwn(current, key)) {
      current = (current as Record<string, unknown>)[key];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Deep equality of JSON values (own keys in any order; arrays in order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every(
    (key) =>
      Object.hasOwn(b, key) &&
      deepEqual((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  );
}

function isVarRef(value: unknown): value is VarRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$var' && typeof (value as VarRef).$var === 'string';
}

function lookup(vars: Vars, name: string): unknown {
  if (!vars.has(name)) throw new Error(`variable "${name}" was not captured by an earlier step`);
  return vars.get(name);
}

/** `value` with every {@link VarRef} replaced by the captured value; throws for one not captured yet. */
export function substitute(value: unknown, vars: Vars): unknown {
  if (isVarRef(value)) return lookup(vars, value.$var);
  if (Array.isArray(value)) return value.map((item) => substitute(item, vars));
  if (value !== null && typeof value === 'object') {
    // fromEntries keeps a "__proto__" key as data (an assignment would set the prototype).
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, vars)]));
  }
  return value;
}

/** How a captured value is written into a path, query or form field. */
export function scalarText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A URL without a default port, with lower-case scheme and host, and '/' for an empty path. */
function normalisedUrl(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(.*)$/i.exec(text);
  if (!match) return text;
  const scheme = (match[1] ?? '').toLowerCase();
  let host = (match[2] ?? '').toLowerCase();
  if ((scheme === 'http' && host.endsWith(':80')) || (scheme === 'https' && host.endsWith(':443'))) {
    host = host.slice(0, host.lastIndexOf(':'));
  }
  return `${scheme}://${host}${match[3] || '/'}${match[4] ?? ''}`;
}

/** Base64 text in the standard alphabet without padding: the same bytes in either RFC 4648 alphabet compare equal. */
function base64Digits(text: string): string {
  return text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
}

/** A value in the form two equal values of a `format` share (read_after_write compares these). */
export function normalise(value: unknown, format: string | undefined): unknown {
  if (typeof value !== 'string' || !format) return value;
  const text = value.trim();
  if (format === 'date-time') {
    const time = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    return Number.isNaN(time) ? value : `instant:${time}`;
  }
  if (format === 'date') return /^\d{4}-\d{2}-\d{2}$/.test(text) ? text : value;
  if (format === 'email' || format === 'idn-email') {
    const at = text.lastIndexOf('@');
    return at < 0 ? text : `${text.slice(0, at)}@${text.slice(at + 1).toLowerCase()}`;
  }
  if (['uri', 'url', 'iri', 'uri-reference', 'iri-reference'].includes(format)) return normalisedUrl(text);
  if (format === 'hostname' || format === 'idn-hostname') return text.toLowerCase().replace(/\.$/, '');
  if (format === 'uuid') return text.toLowerCase();
  if (format === 'byte') return base64Digits(text);
  return value;
}

/**
 * Whether `actual` holds what was sent (`expected`): objects by the properties sent, arrays the same items in
 * any order, values of a `format` after normalising.
 */
export function holds(actual: unknown, expected: unknown, format?: string): boolean {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) return false;
    const left = [...actual];
    return expected.every((item) => {
      const at = left.findIndex((candidate) => holds(candidate, item, format));
      if (at < 0) return false;
      left.splice(at, 1);
      return true;
    });
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    const have = actual as Record<string, unknown>;
    return Object.entries(expected).every(
      ([key, item]) => Object.hasOwn(have, key) && holds(have[key], item, format),
    );
  }
  if (format && typeof actual === 'string' && typeof expected === 'string') {
    return normalise(actual, format) === normalise(expected, format);
  }
  return actual === expected;
}

/**
 * filter_consistency: strings compared exactly, numbers and booleans by value; a query's text form of a number
 * or boolean ('3', 'true') equals that number or boolean.
 */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'string' && typeof actual === 'boolean') return String(actual) === expected;
  if (typeof expected === 'string' && typeof actual === 'number') {
    return /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(expected) && Number(expected) === actual;
  }
  return deepEqual(actual, expected);
}

function pointerPart(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** JSON pointers where two documents differ (none at or under an ignored pointer). */
export function differences(left: unknown, right: unknown, ignore: readonly string[], at = ''): string[] {
  if (ignore.includes(at)) return [];
  const isObject = (value: unknown): value is Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value);
  if (isObject(left) && isObject(right)) {
    const found: string[] = [];
    for (const key of [...new Set([...Object.keys(left), ...Object.keys(right)])].sort()) {
      const child = `${at}/${pointerPart(key)}`;
      if (!Object.hasOwn(left, key) || !Object.hasOwn(right, key)) {
        if (!ignore.includes(child)) found.push(child);
      } else {
        found.push(...differences(left[key], right[key], ignore, child));
      }
    }
    return found;
  }
  if (Array.isArray(left) && Array.isArray(right) && left.length === right.length) {
    return left.flatMap((item, index) => differences(item, right[index], ignore, `${at}/${index}`));
  }
  return deepEqual(left, right) ? [] : [at || '(the whole body)'];
}

/** A header's text as its schema's type ('3' → 3 for an integer; 'a,b' → ['a', 'b'] for an array). */
export function coerceHeader(value: string, schema: unknown, resolve: (schema: unknown) => unknown): unknown {
  const resolved = resolve(schema);
  if (resolved === null || typeof resolved !== 'object') return value;
  const shape = resolved as { type?: unknown; items?: unknown; properties?: Record<string, unknown> };
  const types = Array.isArray(shape.type) ? shape.type : shape.type === undefined ? [] : [shape.type];
  const text = value.trim();
  for (const type of types) {
    if (type === 'integer' && /^[-+]?\d+$/.test(text)) return Number(text);
    if (type === 'number' && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return Number(text);
    if (type === 'boolean' && /^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    if (type === 'array') {
      return text === ''
        ? []
        : text.split(',').map((part) => coerceHeader(part.trim(), shape.items, resolve));
    }
    if (type === 'object') {
      const parts = text === '' ? [] : text.split(',').map((part) => part.trim());
      const pairs = parts.every((part) => part.includes('='))
        ? parts.map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)])
        : parts.flatMap((part, index) => (index % 2 === 0 ? [[part, parts[index + 1] ?? '']] : []));
      return Object.fromEntries(
        pairs.map(([key = '', item = '']) => [key, coerceHeader(item, shape.properties?.[key], resolve)]),
      );
    }
    if (type === 'null' && text === '') return null;
  }
  return value;
}

/** SPECMINT_CHECKS or SPECMINT_EXCLUDE_CHECKS names a check that does not exist. */
export class ChecksError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChecksError';
  }
}

function checkList(env: Record<string, string | undefined>, variable: string): string[] {
  const names = (env[variable] ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const known: readonly string[] = CHECK_NAMES;
  const unknown = names.filter((name) => name !== 'all' && !known.includes(name));
  if (unknown.length > 0) {
    throw new ChecksError(
      `${variable} names unknown check${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')};` +
        ` known checks: ${CHECK_NAMES.join(', ')} (or all)`,
    );
  }
  return names.includes('all') ? [...CHECK_NAMES] : names;
}

/**
 * The checks a run performs: SPECMINT_CHECKS (default: all but the off-by-default ones) less
 * SPECMINT_EXCLUDE_CHECKS. Throws {@link ChecksError} for an unknown name.
 */
export function selectedChecks(env: Record<string, string | undefined>): Set<string> {
  const chosen = checkList(env, 'SPECMINT_CHECKS');
  const excluded = checkList(env, 'SPECMINT_EXCLUDE_CHECKS');
  const base =
    chosen.length > 0 ? chosen : CHECK_NAMES.filter((name) => !CHECKS_OFF_BY_DEFAULT.includes(name));
  return new Set(base.filter((name) => !excluded.includes(name)));
}

/** SPECMINT_REPORTS=1 asks for reports, SPECMINT_REPORTS=0 never; otherwise CI decides. */
export function reportsEnabled(env: Record<string, string | undefined>): boolean {
  const off = ['', '0', 'false', 'no', 'off'];
  const flag = (env.SPECMINT_REPORTS ?? '').trim().toLowerCase();
  if (flag !== '') return !off.includes(flag);
  return !off.includes((env.CI ?? '').trim().toLowerCase());
}

/**
 * A text a step made up for the server to keep unique, with its shape (`classes` or `uuid`): sent renamed in
 * each run, in that step and the later steps of its case (the plan's `UniqueText`).
 */
export type UniqueSpec = [text: string, shape: string];

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The characters a character of `text` may become, or undefined for one kept. */
function renameClass(char: string, shape: string, index: number): string | undefined {
  const hex = shape === 'uuid';
  if (hex && (index === 14 || index === 19)) return undefined;
  if (DIGITS.includes(char)) return DIGITS;
  const lower = hex ? LOWER.slice(0, 6) : LOWER;
  const upper = hex ? UPPER.slice(0, 6) : UPPER;
  if (lower.includes(char)) return lower;
  if (upper.includes(char)) return upper;
  return undefined;
}

/** `text` as a run with `salt` sends it: each digit or letter another of its kind (see the plan's UniqueText). */
export function renamedText(text: string, shape: string, salt: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    const members = renameClass(char, shape, i);
    if (members === undefined) {
      out += char;
      continue;
    }
    let k = 0;
    for (let j = 0; j < salt.length; j++) k += salt.charCodeAt(j) * (i + j + 1);
    out += members.charAt((members.indexOf(char) + 1 + (k % (members.length - 1))) % members.length);
  }
  return out;
}

let salt: string | undefined;

/** This run's salt: SPECMINT_RUN_ID when set (to send the values of a run again), else random. */
export function runSalt(): string {
  salt ??= process.env.SPECMINT_RUN_ID || Math.random().toString(36).slice(2, 10) || 'run';
  return salt;
}

/** Made-up texts and what this run sends instead: `[text, renamed]`. */
export type Renames = Array<[string, string]>;

/**
 * `value` with every renamed text replaced in its strings (a text of six characters or more wherever it
 * occurs, a shorter one only as a whole string); captured variables are left alone.
 */
export function renameValue(value: unknown, renames: Renames): unknown {
  if (renames.length === 0) return value;
  if (typeof value === 'string') {
    let out = value;
    for (const [from, to] of renames) {
      if (from.length >= 6) out = out.split(from).join(to);
      else if (out === from) out = to;
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => renameValue(item, renames));
  if (value !== null && typeof value === 'object' && !isVarRef(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renameValue(item, renames)]));
  }
  return value;
}
