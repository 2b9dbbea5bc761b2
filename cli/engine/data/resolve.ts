/**
 * Schema resolution for synthesis: `$ref` lookup in the IR's named schemas and "flattening" — a schema with
 * its `$ref` target and `allOf` members merged into one object of combined constraints (stricter bound wins,
 * required lists united, property schemas combined). Whatever cannot be merged losslessly stays in a residual
 * `allOf`, which generation ignores but the final conformance check still applies.
 * @see https://json-schema.org/draft/2020-12/json-schema-core#section-10.2.1.1 (allOf)
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { deepEqual } from './json.ts';

/** Named schemas, as in `ApiIr.schemas`. */
export type SchemaMap = Record<string, JsonSchema>;

const REF_PREFIX = '#/components/schemas/';

function refToken(ref: string): string | undefined {
  if (!ref.startsWith(REF_PREFIX)) return undefined;
  const token = ref.slice(REF_PREFIX.length);
  return token.includes('/') ? undefined : token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** The component name a `$ref` points at (percent-decoded), or undefined for refs of another form. */
export function refName(ref: string): string | undefined {
  const token = refToken(ref);
  if (token === undefined) return undefined;
  try {
    return decodeURIComponent(token);
  } catch {
    return token;
  }
}

/** The schema a `$ref` points at (`undefined` when it does not resolve); names are tried raw, then decoded. */
export function lookupRef(ref: string, schemas: SchemaMap): JsonSchema | undefined {
  // The validator resolves the same few refs millions of times: remember each ref's token (unescaping it
  // is the costly part). The token is looked up again, so a map changed since still answers correctly.
  let token = refTokens.get(ref);
  if (token === undefined) {
    token = refToken(ref) ?? null;
    if (refTokens.size >= REF_TOKEN_LIMIT) refTokens.clear();
    refTokens.set(ref, token);
  }
  if (token === null) return undefined;
  if (Object.hasOwn(schemas, token)) return schemas[token];
  const name = refName(ref);
  return name !== undefined && Object.hasOwn(schemas, name) ? schemas[name] : undefined;
}

/** Refs seen → their token (`null`: not a component ref). Bounded so a long-lived process cannot grow it. */
const refTokens = new Map<string, string | null>();
const REF_TOKEN_LIMIT = 100_000;

const MIN_KEYS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains'];
const MAX_KEYS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains'];
const OR_KEYS = ['readOnly', 'writeOnly', 'uniqueItems', 'deprecated'];
const MAP_KEYS = ['properties', 'patternProperties', 'dependentSchemas'];
const SUB_KEYS = ['items', 'additionalProperties', 'propertyNames', 'contains', 'unevaluatedProperties'];
/** Kept from the first schema that has them; a differing second value is only checked (residual). */
const RESIDUAL_KEYS = ['pattern', 'format', 'const', 'oneOf', 'anyOf', 'not', 'if', 'then', 'else'];

function typeList(type: unknown): string[] | undefined {
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : undefined;
}

function intersectTypes(a: string[], b: string[]): string[] {
  const out = new Set<string>();
  for (const t of a) {
    if (b.includes(t)) out.add(t);
    else if (t === 'integer' && b.includes('number')) out.add('integer');
    else if (t === 'number' && b.includes('integer')) out.add('integer');
  }
  return out.size > 0 ? [...out] : a;
}

function both(a: JsonSchema, b: JsonSchema): JsonSchema {
  if (a === false || b === false) return false;
  if (a === true) return b;
  if (b === true) return a;
  return { allOf: [a, b] };
}

function mergeMaps(a: Record<string, JsonSchema>, b: Record<string, JsonSchema>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = { ...a };
  for (const [key, sub] of Object.entries(b)) {
    out[key] = Object.hasOwn(out, key) ? both(out[key] as JsonSchema, sub) : sub;
  }
  return out;
}

/** Merges two flat schemas (conjunction). `a` wins for annotations such as `example`. */
export function mergeSchemas(a: JsonSchemaObject, b: JsonSchemaObject): JsonSchemaObject {
  const out: JsonSchemaObject = { ...b, ...a };
  const residual: JsonSchema[] = Array.isArray(a.allOf) ? [...a.allOf] : [];
  if (Array.isArray(b.allOf)) residual.push(...b.allOf);
  const ta = typeList(a.type);
  const tb = typeList(b.type);
  if (ta && tb) out.type = intersectTypes(ta, tb);
  for (const key of MIN_KEYS) {
    if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.max(a[key], b[key]);
  }
  for (const key of MAX_KEYS) {
    if (typeof a[key] === 'number' && typeof b[key] === 'number') out[key] = Math.min(a[key], b[key]);
  }
  for (const key of OR_KEYS) if (a[key] === true || b[key] === true) out[key] = true;
  if (a.enum && b.enum) out.enum = a.enum.filter((v) => b.enum?.some((w) => deepEqual(v, w)));
  if (a.required || b.required) out.required = [...new Set([...(a.required ?? []), ...(b.required ?? [])])];
  for (const key of MAP_KEYS) {
    const ma = a[key] as Record<string, JsonSchema> | undefined;
    const mb = b[key] as Record<string, JsonSchema> | undefined;
    if (ma && mb) out[key] = mergeMaps(ma, mb);
  }
  for (const key of SUB_KEYS) {
    if (a[key] !== undefined && b[key] !== undefined)
      out[key] = both(a[key] as JsonSchema, b[key] as JsonSchema);
  }
  const da = a.dependentRequired as Record<string, string[]> | undefined;
  const db = b.dependentRequired as Record<string, string[]> | undefined;
  if (da && db) {
    const merged: Record<string, string[]> = { ...da };
    for (const [k, v] of Object.entries(db)) merged[k] = [...new Set([...(merged[k] ?? []), ...v])];
    out.dependentRequired = merged;
  }
  if (typeof a.multipleOf === 'number' && typeof b.multipleOf === 'number' && a.multipleOf !== b.multipleOf) {
    const [small, large] =
      a.multipleOf < b.multipleOf ? [a.multipleOf, b.multipleOf] : [b.multipleOf, a.multipleOf];
    const ratio = large / small;
    out.multipleOf = large;
    if (Math.abs(ratio - Math.round(ratio)) > 1e-9) residual.push({ multipleOf: small });
  }
  for (const key of RESIDUAL_KEYS) {
    if (a[key] !== undefined && b[key] !== undefined && !deepEqual(a[key], b[key]))
      residual.push({ [key]: b[key] });
  }
  if (residual.length > 0) out.allOf = residual;
  else delete out.allOf;
  return out;
}

type FlatCache = WeakMap<object, JsonSchemaObject | false>;
const caches = new WeakMap<SchemaMap, FlatCache>();

interface FlatWalk {
  schemas: SchemaMap;
  cache: FlatCache;
  /** Set when a cyclic allOf/$ref chain was cut below: such results depend on the path and are not cached. */
  cut: boolean;
}

function flattenWith(
  schema: JsonSchema,
  visiting: readonly string[],
  walk: FlatWalk,
): JsonSchemaObject | false {
  if (schema === true) return {};
  if (schema === false || typeof schema !== 'object' || schema === null) return false;
  const cached = walk.cache.get(schema);
  if (cached !== undefined) return cached;
  const outerCut = walk.cut;
  walk.cut = false;
  const { $ref, allOf, ...own } = schema;
  let result: JsonSchemaObject | false = own;
  if (typeof $ref === 'string') {
    const name = refName($ref);
    const target = lookupRef($ref, walk.schemas);
    if (name === undefined || target === undefined || visiting.includes(name)) {
      // Unresolvable or cyclic through allOf: keep it for the conformance check only.
      result = { ...own, allOf: [{ $ref }] };
      if (name !== undefined && target !== undefined) walk.cut = true;
    } else {
      result = mergeFlat(result, flattenWith(target, [...visiting, name], walk));
    }
  }
  for (const part of Array.isArray(allOf) ? allOf : []) {
    if (result === false) break;
    result = mergeFlat(result, flattenWith(part, visiting, walk));
  }
  if (!walk.cut) walk.cache.set(schema, result);
  walk.cut ||= outerCut;
  return result;
}

function mergeFlat(a: JsonSchemaObject | false, b: JsonSchemaObject | false): JsonSchemaObject | false {
  if (a === false || b === false) return false;
  return mergeSchemas(a, b);
}

/**
 * The schema with `$ref` targets and `allOf` members merged in (`false` for an unsatisfiable schema).
 * Cached per schema object and schema map; callers must not mutate the result.
 */
export function flattenSchema(schema: JsonSchema, schemas: SchemaMap): JsonSchemaObject | false {
  let cache = caches.get(schemas);
  if (!cache) {
    cache = new WeakMap();
    caches.set(schemas, cache);
  }
  return flattenWith(schema, [], { schemas, cache, cut: false });
}

const STRING_HINTS = ['minLength', 'maxLength', 'pattern'];
const NUMBER_HINTS = ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'];
const OBJECT_HINTS = ['properties', 'required', 'additionalProperties', 'patternProperties', 'minProperties'];
const ARRAY_HINTS = ['items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'contains'];

/**
 * The types a flat schema allows: its `type`, else what its keywords imply; `undefined` when anything goes.
 */
export function schemaTypes(flat: JsonSchemaObject): string[] | undefined {
  const declared = typeList(flat.type);
  if (declared) return declared;
  if (OBJECT_HINTS.some((k) => flat[k] !== undefined)) return ['object'];
  if (ARRAY_HINTS.some((k) => flat[k] !== undefined)) return ['array'];
  if (STRING_HINTS.some((k) => flat[k] !== undefined)) return ['string'];
  if (NUMBER_HINTS.some((k) => flat[k] !== undefined)) return ['number'];
  return undefined;
}

/**
 * Whether a property is left out of the given view: `readOnly` ones in requests, `writeOnly` ones in
 * responses (looking through `$ref` and `allOf`).
 * @see https://spec.openapis.org/oas/v3.1.0#fixed-fields-20 (readOnly, writeOnly)
 */
export function isHiddenInView(
  schema: JsonSchema,
  view: 'request' | 'response',
  schemas: SchemaMap,
): boolean {
  const flat = flattenSchema(schema, schemas);
  if (flat === false) return false;
  return view === 'request' ? flat.readOnly === true : flat.writeOnly === true;
}
