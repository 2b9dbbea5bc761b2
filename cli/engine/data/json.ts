/** Small JSON helpers shared by the data stage: equality, pointers, type names, regex cache. */
import { setFlagsFromString } from 'node:v8';

/** Structural equality of JSON values (as JSON Schema `enum`, `const` and `uniqueItems` compare). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ob = b as Record<string, unknown>;
  return ka.every((k) => Object.hasOwn(ob, k) && deepEqual((a as Record<string, unknown>)[k], ob[k]));
}

/** The JSON Schema type name of a value (`integer` for whole numbers). */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** Whether `value` is an instance of JSON Schema type `type`. */
export function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

/** A plain object value (not null, not an array). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** String length in code points, as JSON Schema (and Ajv) count it. */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    length++;
    const code = text.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) i++;
    }
  }
  return length;
}

/** Appends one reference token to a JSON pointer. @see https://www.rfc-editor.org/rfc/rfc6901 */
export function appendPointer(pointer: string, token: string): string {
  return `${pointer}/${token.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

// A backtracking regex engine can take exponential time on a nested quantifier: beezup.com's URL pattern
// `^(https?:\/\/)?([\da-z\.-]+)\.([a-z\.]{2,6})([\/\w \.-]*)*\/?$` against its own example (which holds a
// `%`) never returned. With this V8 flag, a match that backtracks more than 50,000 times is finished by V8's
// linear-time engine instead: same answer, bounded time. That engine takes no `u` flag and no
// backreferences or lookarounds, so such patterns keep the unbounded engine (see CompiledPattern).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

/**
 * What a pattern means differently with and without the `u` flag, even on a value with no surrogates:
 * `\u{41}`, `\p{L}`, and astral characters (`a😀?` needs a lone surrogate without the flag), literal or
 * escaped as a surrogate pair.
 */
const UNICODE_ONLY_SYNTAX = /\\[pP]|\\u\{|\\u[dD][89a-fA-F]|[\ud800-\udfff]/;
/** A UTF-16 surrogate: the one thing in a value the `u` flag changes how a pattern sees. */
const SURROGATE = /[\ud800-\udfff]/;

/** A schema `pattern`, tested with ECMAScript semantics (as Ajv tests it: with the `u` flag where valid). */
export class CompiledPattern {
  /**
   * @param unicode the pattern with the `u` flag, `null` when it is only valid without it.
   * @param plain the pattern without the flag, when that means the same for a value with no surrogates.
   */
  constructor(
    private readonly unicode: RegExp | null,
    private readonly plain: RegExp | null,
  ) {}

  test(value: string): boolean {
    // Without the `u` flag the match can fall back to the linear-time engine.
    if (this.plain && (!this.unicode || !SURROGATE.test(value))) return this.plain.test(value);
    return (this.unicode as RegExp).test(value);
  }
}

const patternCache = new Map<string, CompiledPattern | null>();

/**
 * The compiled `pattern`, cached. Ajv compiles patterns with the `u` flag; patterns that are only valid
 * without it (common in real specs) are compiled without it. `null` when the pattern does not compile.
 */
export function compilePattern(pattern: string): CompiledPattern | null {
  let compiled = patternCache.get(pattern);
  if (compiled !== undefined) return compiled;
  const unicode = regExpOrNull(pattern, 'u');
  // A pattern valid with `u` means the same without it on a value with no surrogates, unless it has
  // unicode-only syntax.
  const plain = unicode && UNICODE_ONLY_SYNTAX.test(pattern) ? null : regExpOrNull(pattern, '');
  compiled = unicode || plain ? new CompiledPattern(unicode, plain) : null;
  patternCache.set(pattern, compiled);
  return compiled;
}

function regExpOrNull(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

/** Deep copy of a JSON value. */
export function cloneJson<T>(value: T): T {
  return typeof value !== 'object' || value === null ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * False when `value` holds an integer beyond ±2^53: the spec's text had a number that parsing rounded
 * (int64's 9223372036854775807 reads as 9223372036854775808), so sending it would send another value, one
 * the schema may forbid. Such an example or default is left for a synthesised value.
 */
export function holdsExactNumbers(value: unknown): boolean {
  if (typeof value === 'number') return !Number.isInteger(value) || Number.isSafeInteger(value);
  if (Array.isArray(value)) return value.every(holdsExactNumbers);
  if (isPlainObject(value)) return Object.values(value).every(holdsExactNumbers);
  return true;
}

/**
 * The first of the spec's examples that can be sent as it is: its numbers survived parsing and its own schema
 * (`accepts`) takes it. An example the schema rejects is a contradiction of the spec, never a valid value.
 */
export function sendableExample(
  examples: readonly unknown[] | undefined,
  accepts: (value: unknown) => boolean,
): { value: unknown } | undefined {
  for (const example of examples ?? [])
    if (holdsExactNumbers(example) && accepts(example)) return { value: example };
  return undefined;
}
