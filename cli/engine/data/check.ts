/**
 * A small interpreting JSON Schema 2020-12 validator used inside the data stage to accept or reject
 * candidate values (examples, generated values, violations). It mirrors Ajv's behaviour for the keywords
 * OpenAPI descriptions use (including Ajv's `multipleOf` arithmetic and the `ajv-formats` "full" formats)
 * without compiling code per schema, so checking thousands of small candidates stays cheap.
 * Not covered: `unevaluatedProperties`/`unevaluatedItems`, `$dynamicRef`, refs other than
 * `#/components/schemas/<name>` (an unresolvable ref accepts everything).
 */
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { codePointLength, compilePattern, deepEqual, isOfType, isPlainObject } from './json.ts';
import { isHiddenInView, lookupRef, type SchemaMap } from './resolve.ts';

/** What a check needs besides the schema. */
export interface CheckEnv {
  schemas: SchemaMap;
  /** When set, properties hidden in this view are not required (OpenAPI readOnly/writeOnly). */
  view?: 'request' | 'response';
  /**
   * Memo of (value object → schemas it conforms to), so that checking a parent does not re-check children
   * that were already checked against the same schema object. Values must not be mutated once checked.
   */
  verified?: WeakMap<object, WeakSet<object>>;
}

type FormatCheck = (value: unknown) => boolean;

function compileFormat(def: unknown): { type: 'string' | 'number'; test: FormatCheck } | undefined {
  if (def instanceof RegExp) return { type: 'string', test: (v) => def.test(v as string) };
  if (typeof def === 'function') return { type: 'string', test: (v) => Boolean(def(v)) };
  if (isPlainObject(def)) {
    const validate = def.validate;
    const type = def.type === 'number' ? 'number' : 'string';
    if (validate instanceof RegExp) return { type, test: (v) => validate.test(v as string) };
    if (typeof validate === 'function') return { type, test: (v) => Boolean(validate(v)) };
  }
  return undefined;
}

const FORMAT_CHECKS = new Map<string, { type: 'string' | 'number'; test: FormatCheck }>();
for (const [name, def] of Object.entries(fullFormats)) {
  const check = compileFormat(def);
  if (check) FORMAT_CHECKS.set(name, check);
}

/** Formats that ajv-formats actually checks, with the value type they apply to. */
export function checkedFormat(format: string): 'string' | 'number' | undefined {
  return FORMAT_CHECKS.get(format)?.type;
}

const FORMAT_RESULTS = new Map<string, Map<unknown, boolean>>();
const FORMAT_RESULTS_LIMIT = 20_000;

/** Whether `value` satisfies `format` (unknown formats always pass, as in Ajv with `strict: false`). */
export function satisfiesFormat(format: string, value: unknown): boolean {
  const check = FORMAT_CHECKS.get(format);
  if (!check) return true;
  if (check.type === 'number' ? typeof value !== 'number' : typeof value !== 'string') return true;
  // Synthesis checks the same few values again and again (every parent re-checks its children), and some
  // format regexes (uri, date-time) are costly: results are remembered per format, within a bound.
  let seen = FORMAT_RESULTS.get(format);
  if (!seen) {
    seen = new Map();
    FORMAT_RESULTS.set(format, seen);
  }
  let ok = seen.get(value);
  if (ok === undefined) {
    ok = check.test(value);
    if (seen.size >= FORMAT_RESULTS_LIMIT) seen.clear();
    seen.set(value, ok);
  }
  return ok;
}

/** Ajv's multipleOf test: the quotient must be an integer in floating point. */
export function isMultipleOf(value: number, divisor: number): boolean {
  const q = value / divisor;
  return Number.isFinite(q) && q === Math.trunc(q);
}

// Deep enough for any real value; a ref cycle that consumes no value (allOf → $ref → allOf…) stops here
// instead of overflowing the stack (seen on amazonaws timestream-query).
const MAX_DEPTH = 64;

function checkNumber(s: JsonSchemaObject, v: number): boolean {
  if (typeof s.minimum === 'number' && v < s.minimum) return false;
  if (typeof s.maximum === 'number' && v > s.maximum) return false;
  if (typeof s.exclusiveMinimum === 'number' && v <= s.exclusiveMinimum) return false;
  if (typeof s.exclusiveMaximum === 'number' && v >= s.exclusiveMaximum) return false;
  if (typeof s.multipleOf === 'number' && !isMultipleOf(v, s.multipleOf)) return false;
  return true;
}

function checkString(s: JsonSchemaObject, v: string): boolean {
  if (typeof s.minLength === 'number' || typeof s.maxLength === 'number') {
    const length = codePointLength(v);
    if (typeof s.minLength === 'number' && length < s.minLength) return false;
    if (typeof s.maxLength === 'number' && length > s.maxLength) return false;
  }
  if (typeof s.pattern === 'string') {
    const re = compilePattern(s.pattern);
    if (re && !re.test(v)) return false;
  }
  return true;
}

/** `type` as a keyword value: one name or a list (no array is allocated for the common single name). */
function matchesType(type: string | readonly string[], value: unknown): boolean {
  if (typeof type === 'string') return isOfType(value, type);
  for (const t of type) if (isOfType(value, t)) return true;
  return false;
}

const NO_PROPERTIES: Readonly<Record<string, JsonSchema>> = Object.freeze({});
const NO_NAMES: readonly string[] = Object.freeze([]);

class Checker {
  constructor(private readonly env: CheckEnv) {}

  check(schema: JsonSchema, value: unknown, depth: number): boolean {
    if (schema === true) return true;
    if (schema === false) return false;
    if (typeof schema !== 'object' || schema === null) return true;
    if (depth > MAX_DEPTH) return false;
    if (typeof value === 'object' && value !== null && this.env.verified?.get(value)?.has(schema))
      return true;
    const s = schema;
    if (typeof s.$ref === 'string') {
      const target = lookupRef(s.$ref, this.env.schemas);
      if (target !== undefined && !this.check(target, value, depth + 1)) return false;
    }
    if (s.type !== undefined && !matchesType(s.type, value)) return false;
    if (s.const !== undefined && !deepEqual(s.const, value)) return false;
    if (Array.isArray(s.enum) && !s.enum.some((e) => deepEqual(e, value))) return false;
    if (typeof value === 'number' && !checkNumber(s, value)) return false;
    if (typeof value === 'string' && !checkString(s, value)) return false;
    if (typeof s.format === 'string' && !satisfiesFormat(s.format, value)) return false;
    if (Array.isArray(value) && !this.checkArray(s, value, depth)) return false;
    if (isPlainObject(value) && !this.checkObject(s, value, depth)) return false;
    return this.checkComposition(s, value, depth);
  }

  private checkComposition(s: JsonSchemaObject, value: unknown, depth: number): boolean {
    if (Array.isArray(s.allOf) && !s.allOf.every((sub) => this.check(sub, value, depth + 1))) return false;
    if (Array.isArray(s.anyOf) && !s.anyOf.some((sub) => this.check(sub, value, depth + 1))) return false;
    if (Array.isArray(s.oneOf)) {
      let matches = 0;
      for (const sub of s.oneOf) if (this.check(sub, value, depth + 1) && ++matches > 1) return false;
      if (matches !== 1) return false;
    }
    if (s.not !== undefined && this.check(s.not, value, depth + 1)) return false;
    if (s.if !== undefined) {
      const branch = this.check(s.if as JsonSchema, value, depth + 1) ? s.then : s.else;
      if (branch !== undefined && !this.check(branch as JsonSchema, value, depth + 1)) return false;
    }
    return true;
  }

  private checkArray(s: JsonSchemaObject, v: unknown[], depth: number): boolean {
    if (typeof s.minItems === 'number' && v.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && v.length > s.maxItems) return false;
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : [];
    for (let i = 0; i < v.length; i++) {
      const sub = i < prefix.length ? prefix[i] : s.items;
      if (sub !== undefined && !this.check(sub, v[i], depth + 1)) return false;
    }
    if (s.uniqueItems === true) {
      for (let i = 0; i < v.length; i++) {
        for (let j = i + 1; j < v.length; j++) if (deepEqual(v[i], v[j])) return false;
      }
    }
    if (s.contains !== undefined) {
      const count = v.filter((item) => this.check(s.contains as JsonSchema, item, depth + 1)).length;
      const min = typeof s.minContains === 'number' ? s.minContains : 1;
      if (count < min) return false;
      if (typeof s.maxContains === 'number' && count > s.maxContains) return false;
    }
    return true;
  }

  private checkObject(s: JsonSchemaObject, v: Record<string, unknown>, depth: number): boolean {
    const keys = Object.keys(v);
    if (typeof s.minProperties === 'number' && keys.length < s.minProperties) return false;
    if (typeof s.maxProperties === 'number' && keys.length > s.maxProperties) return false;
    const props = s.properties ?? NO_PROPERTIES;
    for (const name of s.required ?? NO_NAMES) {
      if (Object.hasOwn(v, name)) continue;
      const prop = props[name];
      const { view } = this.env;
      if (view && prop !== undefined && isHiddenInView(prop, view, this.env.schemas)) continue;
      return false;
    }
    const patterns = isPlainObject(s.patternProperties) ? Object.entries(s.patternProperties) : [];
    for (const key of keys) {
      const value = v[key];
      let matched = false;
      if (Object.hasOwn(props, key)) {
        matched = true;
        if (!this.check(props[key] as JsonSchema, value, depth + 1)) return false;
      }
      for (const [pattern, sub] of patterns) {
        if (compilePattern(pattern)?.test(key)) {
          matched = true;
          if (!this.check(sub as JsonSchema, value, depth + 1)) return false;
        }
      }
      if (
        !matched &&
        s.additionalProperties !== undefined &&
        !this.check(s.additionalProperties, value, depth + 1)
      ) {
        return false;
      }
      if (s.propertyNames !== undefined && !this.check(s.propertyNames as JsonSchema, key, depth + 1))
        return false;
    }
    return this.checkDependencies(s, v, depth);
  }

  private checkDependencies(s: JsonSchemaObject, v: Record<string, unknown>, depth: number): boolean {
    if (isPlainObject(s.dependentRequired)) {
      for (const [key, needs] of Object.entries(s.dependentRequired)) {
        if (Object.hasOwn(v, key) && Array.isArray(needs) && needs.some((n) => !Object.hasOwn(v, n)))
          return false;
      }
    }
    if (isPlainObject(s.dependentSchemas)) {
      for (const [key, sub] of Object.entries(s.dependentSchemas)) {
        if (Object.hasOwn(v, key) && !this.check(sub as JsonSchema, v, depth + 1)) return false;
      }
    }
    return true;
  }
}

/** Whether `value` is valid against `schema` (refs resolved through `env.schemas`). */
export function conforms(schema: JsonSchema, value: unknown, env: CheckEnv): boolean {
  if (value === undefined) return false;
  const ok = new Checker(env).check(schema, value, 0);
  if (ok && env.verified && typeof value === 'object' && value !== null && typeof schema === 'object') {
    let schemas = env.verified.get(value);
    if (!schemas) {
      schemas = new WeakSet();
      env.verified.set(value, schemas);
    }
    schemas.add(schema);
  }
  return ok;
}
