/**
 * Valid-value generation. A schema is flattened (refs and allOf merged), examples are tried first, then a
 * value is built keyword by keyword and checked against the original schema; a failed check is retried
 * with a forked stream, within a per-call budget.
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { conforms } from './check.ts';
import { deriveState, type GenState, MAX_NESTING } from './context.ts';
import { generateObject } from './generate-object.ts';
import { generateString } from './generate-string.ts';
import { cloneJson, deepEqual, holdsExactNumbers, isPlainObject } from './json.ts';
import { numberInRange, numericRange } from './numbers.ts';
import {
  flattenSchema,
  isHiddenInView,
  mergeSchemas,
  refName,
  type SchemaMap,
  schemaTypes,
} from './resolve.ts';
import { hintedString, singular } from './words.ts';

/** Past `maxDepth + HARD_DEPTH_MARGIN` ref hops even required recursion stops (the value is best effort). */
const HARD_DEPTH_MARGIN = 8;

/** A copy of an example with properties hidden in the view removed (e.g. `id` from a request body). */
function stripHidden(value: unknown, schema: JsonSchema, st: GenState, depth = 0): unknown {
  if (depth > 32 || typeof value !== 'object' || value === null) return value;
  const flat = flattenSchema(schema, st.schemas);
  if (flat === false) return value;
  if (Array.isArray(value)) {
    return flat.items === undefined
      ? value
      : value.map((item) => stripHidden(item, flat.items as JsonSchema, st, depth + 1));
  }
  if (!isPlainObject(value) || !flat.properties) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const prop = flat.properties[key];
    if (prop === undefined) out[key] = item;
    else if (!isHiddenInView(prop, st.view, st.schemas)) out[key] = stripHidden(item, prop, st, depth + 1);
  }
  return out;
}

function exampleCandidates(flat: JsonSchemaObject): unknown[] {
  const out: unknown[] = [];
  if (flat.example !== undefined) out.push(flat.example);
  if (Array.isArray(flat.examples)) out.push(...flat.examples);
  if (flat.default !== undefined) out.push(flat.default);
  return out.filter(holdsExactNumbers);
}

/** A valid value for `schema` (best effort when the schema is unsatisfiable or too hard). */
export function generate(schema: JsonSchema, st: GenState): unknown {
  const depth = st.depth + (typeof schema === 'object' && schema !== null && schema.$ref ? 1 : 0);
  if (depth > st.maxDepth + HARD_DEPTH_MARGIN || st.nesting >= MAX_NESTING) return null;
  if (st.refValue && st.nesting > 0 && isBareRef(schema)) {
    const name = refName(schema.$ref);
    const supplied = name === undefined ? undefined : st.refValue(name);
    // A supplied value counts against the node budget like a generated one, and is only taken while it
    // fits: supplied values nest other supplied values, so unbudgeted sharing could grow a value's
    // expanded size exponentially along a chain of references.
    if (supplied !== undefined) {
      const size = valueSize(supplied);
      if (size <= st.budget.nodes) {
        st.budget.nodes -= size;
        return supplied;
      }
    }
  }
  const flat = flattenSchema(schema, st.schemas);
  if (flat === false) return null;
  st.budget.nodes--;
  const next = deriveState(st, st.hint, { depth, nesting: st.nesting + 1 });
  if (typeof schema === 'object' && schema !== null && typeof schema.$ref === 'string') {
    // A subtype reached by name (`Cat = allOf[Pet, …]`, Pet has the discriminator): tag it as that subtype.
    const tagged = tagSubtype(flat, schema.$ref);
    if (tagged) {
      const value = generateResolved(tagged, schema, next);
      if (conforms(schema, value, st.env)) return value;
    }
  }
  return generateResolved(flat, schema, next);
}

const valueSizes = new WeakMap<object, number>();

/** How many JSON values `value` holds, itself included (memoised per object: values are never mutated). */
function valueSize(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 1;
  const known = valueSizes.get(value);
  if (known !== undefined) return known;
  let size = 1;
  for (const item of Array.isArray(value) ? value : Object.values(value)) size += valueSize(item);
  valueSizes.set(value, size);
  return size;
}

/** A schema that is only a `$ref` (no sibling keywords that would narrow the target). */
function isBareRef(schema: JsonSchema): schema is { $ref: string } {
  if (typeof schema !== 'object' || schema === null || typeof schema.$ref !== 'string') return false;
  for (const key in schema) if (key !== '$ref') return false;
  return true;
}

const taggedSubtypes = new WeakMap<JsonSchemaObject, Map<string, JsonSchemaObject | undefined>>();

/**
 * The flat schema with its discriminator property fixed to the value naming `ref`, when that applies.
 * Cached per flat schema and ref: subtypes of a large base (Microsoft Graph's entity) have hundreds of
 * properties, and copying them for every reference dominated generation.
 */
function tagSubtype(flat: JsonSchemaObject, ref: string): JsonSchemaObject | undefined {
  if (!flat.discriminator || flat.oneOf || flat.anyOf) return undefined;
  let byRef = taggedSubtypes.get(flat);
  if (!byRef) {
    byRef = new Map();
    taggedSubtypes.set(flat, byRef);
  }
  if (!byRef.has(ref)) byRef.set(ref, buildTaggedSubtype(flat, ref));
  return byRef.get(ref);
}

function buildTaggedSubtype(flat: JsonSchemaObject, ref: string): JsonSchemaObject | undefined {
  const discriminator = flat.discriminator;
  if (!discriminator) return undefined;
  const tag = discriminatorValue(flat, { $ref: ref });
  const prop = discriminator.propertyName;
  const existing = flat.properties?.[prop];
  if (tag === undefined || existing === undefined) return undefined;
  return { ...flat, properties: { ...flat.properties, [prop]: { allOf: [existing, { const: tag }] } } };
}

/** Generation from an already flattened schema; `original` is what the result is checked against. */
function generateResolved(flat: JsonSchemaObject, original: JsonSchema, st: GenState): unknown {
  if (st.useExamples) {
    for (const example of exampleCandidates(flat)) {
      const candidate = stripHidden(cloneJson(example), original, st);
      if (conforms(original, candidate, st.env)) return candidate;
    }
  }
  let value = generateFlat(flat, st);
  for (let attempt = 1; attempt <= 3 && st.budget.retries > 0; attempt++) {
    if (conforms(original, value, st.env)) return value;
    st.budget.retries--;
    value = generateFlat(flat, deriveState(st, st.hint, { rng: st.rng.fork(`retry:${attempt}`) }));
  }
  return value;
}

function generateFlat(flat: JsonSchemaObject, st: GenState): unknown {
  if (flat.const !== undefined) return cloneJson(flat.const);
  if (Array.isArray(flat.enum) && flat.enum.length > 0) return pickEnum(flat, st);
  if (Array.isArray(flat.oneOf) || Array.isArray(flat.anyOf)) return generateBranch(flat, st);
  const types = schemaTypes(flat);
  const type = types === undefined ? undefined : (types.find((t) => t !== 'null') ?? 'null');
  switch (type) {
    case 'object':
      return generateObject(flat, st, generate);
    case 'array':
      return generateArray(flat, st);
    case 'string':
      return generateString(flat, st.rng, st.hint);
    case 'integer':
    case 'number':
      return numberInRange(numericRange(flat, type === 'integer'), st.rng) ?? 0;
    case 'boolean':
      return st.rng.bool();
    case 'null':
      return null;
    default:
      return hintedString(st.rng, st.hint);
  }
}

function pickEnum(flat: JsonSchemaObject, st: GenState): unknown {
  const values = flat.enum ?? [];
  const start = st.rng.int(0, values.length - 1);
  const { enum: _enum, ...rest } = flat;
  for (let i = 0; i < values.length; i++) {
    const value = values[(start + i) % values.length];
    if (value !== null && conforms(rest, value, st.env)) return cloneJson(value);
  }
  return cloneJson(values[start]);
}

function isNullSchema(schema: JsonSchema, schemas: SchemaMap): boolean {
  const flat = flattenSchema(schema, schemas);
  return (
    flat !== false &&
    (flat.type === 'null' || (Array.isArray(flat.type) && flat.type.every((t) => t === 'null')))
  );
}

/** The discriminator value for a branch: its mapping key, else the component name. */
function discriminatorValue(flat: JsonSchemaObject, branch: JsonSchema): string | undefined {
  if (
    !flat.discriminator ||
    typeof branch !== 'object' ||
    branch === null ||
    typeof branch.$ref !== 'string'
  ) {
    return undefined;
  }
  const name = refName(branch.$ref);
  const mapping = flat.discriminator.mapping;
  if (!mapping) return name;
  const targets = mappingIndex(mapping);
  const byRef = targets.get(branch.$ref);
  const byName = name === undefined ? undefined : targets.get(name);
  // The first mapping entry naming the branch either way, as a scan of the entries would find it.
  const first = byRef && byName ? (byRef.index < byName.index ? byRef : byName) : (byRef ?? byName);
  return first ? first.key : name;
}

const mappingIndexes = new WeakMap<object, Map<unknown, { key: string; index: number }>>();

/**
 * Mapping target → its first key (with the entry's position). Cached per mapping object: large specs
 * (Microsoft Graph) map thousands of subtypes, and every `$ref` to one is looked up here.
 */
function mappingIndex(mapping: Record<string, string>): Map<unknown, { key: string; index: number }> {
  let index = mappingIndexes.get(mapping);
  if (!index) {
    index = new Map();
    for (const [position, [key, target]] of Object.entries(mapping).entries()) {
      if (!index.has(target)) index.set(target, { key, index: position });
    }
    mappingIndexes.set(mapping, index);
  }
  return index;
}

/** oneOf/anyOf: one branch merged with the rest of the schema; oneOf results must match exactly one branch. */
function generateBranch(flat: JsonSchemaObject, st: GenState): unknown {
  const kind = Array.isArray(flat.oneOf) ? 'oneOf' : 'anyOf';
  const branches = (flat[kind] as JsonSchema[]).filter((b) => b !== false);
  const { [kind]: _branches, example, examples, default: _default, discriminator, ...rest } = flat;
  const nonNull = branches.filter((b) => !isNullSchema(b, st.schemas));
  const pool = nonNull.length > 0 ? nonNull : branches;
  if (pool.length === 0) return null;
  const start = st.rng.int(0, pool.length - 1);
  let fallback: unknown = null;
  for (let i = 0; i < Math.min(pool.length, 8); i++) {
    const branch = pool[(start + i) % pool.length] as JsonSchema;
    const branchFlat = flattenSchema(branch, st.schemas);
    if (branchFlat === false) continue;
    const merged = mergeSchemas(branchFlat, rest);
    const tag = discriminatorValue(flat, branch);
    if (tag !== undefined && discriminator) {
      const prop = discriminator.propertyName;
      const existing = merged.properties?.[prop];
      const pinned: JsonSchema =
        existing === undefined ? { const: tag } : { allOf: [existing, { const: tag }] };
      merged.properties = { ...merged.properties, [prop]: pinned };
      merged.required = [...new Set([...(merged.required ?? []), prop])];
    }
    const value = generateResolved(
      merged,
      merged,
      deriveState(st, st.hint, { rng: st.rng.fork(`branch:${i}`) }),
    );
    if (i === 0) fallback = value;
    if (conforms(flat, value, st.env)) return value;
  }
  return fallback;
}

function generateArray(flat: JsonSchemaObject, st: GenState): unknown[] {
  const min = flat.minItems ?? 0;
  const max = arrayMax(flat);
  const base = Math.max(min, 1);
  const count =
    st.depth >= st.maxDepth || st.budget.nodes <= 0 ? min : Math.min(max, st.rng.int(base, base + 1));
  const out = generateItems(flat, st, { count, min });
  if (
    flat.contains !== undefined &&
    !out.some((item) => conforms(flat.contains as JsonSchema, item, st.env))
  ) {
    const both: JsonSchema = { allOf: [flat.items ?? true, flat.contains as JsonSchema] };
    const item = generate(both, deriveState(st, singular(st.hint), { rng: st.rng.fork('contains') }));
    if (out.length < max) out.push(item);
    else if (out.length > 0) out[out.length - 1] = item;
  }
  return out;
}

/** The largest item count an array schema allows (prefix-only when `items: false`). */
export function arrayMax(flat: JsonSchemaObject): number {
  const max = flat.maxItems ?? Number.POSITIVE_INFINITY;
  const prefix = Array.isArray(flat.prefixItems) ? flat.prefixItems.length : 0;
  return flat.items === false ? Math.min(max, prefix) : max;
}

/**
 * `count` items for an array schema, keeping `existing` items first. With `uniqueItems`, duplicates are
 * regenerated a few times; generation stops early (never below `min` items) when no new item is found.
 */
export function generateItems(
  flat: JsonSchemaObject,
  st: GenState,
  opts: { count: number; min: number; existing?: readonly unknown[] },
): unknown[] {
  const prefix = Array.isArray(flat.prefixItems) ? (flat.prefixItems as JsonSchema[]) : [];
  const hint = singular(st.hint);
  const out: unknown[] = [...(opts.existing ?? [])].slice(0, opts.count);
  for (let i = out.length; i < opts.count; i++) {
    const itemSchema = i < prefix.length ? (prefix[i] as JsonSchema) : (flat.items ?? true);
    let item = generate(itemSchema, deriveState(st, hint, { rng: st.rng.fork(`item:${i}`) }));
    for (let k = 0; flat.uniqueItems === true && k < 16 && out.some((o) => deepEqual(o, item)); k++) {
      item = generate(
        itemSchema,
        deriveState(st, hint, { rng: st.rng.fork(`item:${i}:${k}`), useExamples: false }),
      );
    }
    if (flat.uniqueItems === true && out.some((o) => deepEqual(o, item)) && out.length >= opts.min) break;
    out.push(item);
  }
  return out;
}
