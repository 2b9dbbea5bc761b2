/**
 * A structural walk over JSON Schema: visits every subschema (and only subschemas — never `enum`, `const`,
 * `default` or `example` values, nor the property names of `properties`).
 * @see https://json-schema.org/draft/2020-12/json-schema-core#section-10
 */
import type { JsonSchema, JsonSchemaObject } from '../../ir/types.ts';

const SINGLE = [
  'additionalProperties',
  'additionalItems',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contentSchema',
] as const;
const LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;
const MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'] as const;

/** How a keyword holds subschemas. */
const Holds = {
  Schema: 0,
  List: 1,
  /** `items`: one schema, or a list (draft-04 tuple form, in messy specs). */
  SchemaOrList: 2,
  /** A map of names to schemas (draft-07 `dependencies` mixes in arrays of property names). */
  Map: 3,
} as const;
type Holds = (typeof Holds)[keyof typeof Holds];

const KEYWORDS = new Map<string, Holds>([
  ...SINGLE.map((key): [string, Holds] => [key, Holds.Schema]),
  ...LISTS.map((key): [string, Holds] => [key, Holds.List]),
  ['items', Holds.SchemaOrList],
  ...MAPS.map((key): [string, Holds] => [key, Holds.Map]),
  ['dependencies', Holds.Map],
]);

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

/** `map` with its schema values walked; the same object when no value changed. */
function mapValues(
  map: Record<string, unknown>,
  walk: (schema: JsonSchema) => JsonSchema,
): Record<string, unknown> {
  const keys = Object.keys(map);
  if (Object.hasOwn(map, '__proto__')) {
    // Kept as it always was: rebuilt by assignment, where a property named `__proto__` sets the
    // prototype and so drops out of the output (changing that would change generated files).
    const rebuilt: Record<string, unknown> = {};
    for (const key of keys) {
      const value = map[key];
      rebuilt[key] = isSchema(value) ? walk(value) : value;
    }
    return rebuilt;
  }
  let out: Record<string, unknown> | undefined;
  for (const key of keys) {
    const value = map[key];
    const next = isSchema(value) ? walk(value) : value;
    if (next !== value && out === undefined) out = { ...map };
    if (out !== undefined) out[key] = next;
  }
  return out ?? map;
}

/** `list` with its schema items walked; the same array when no item changed. */
function mapItems(list: unknown[], walk: (schema: JsonSchema) => JsonSchema): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    const next = isSchema(item) ? walk(item) : item;
    if (next !== item && out === undefined) out = list.slice();
    if (out !== undefined) out[i] = next;
  }
  return out ?? list;
}

/** A keyword's value with its subschemas walked (the same value when none changed). */
function walkKeyword(holds: Holds, value: unknown, walk: (schema: JsonSchema) => JsonSchema): unknown {
  switch (holds) {
    case Holds.Schema:
      return isSchema(value) ? walk(value) : value;
    case Holds.List:
      return Array.isArray(value) ? mapItems(value, walk) : value;
    case Holds.SchemaOrList:
      if (Array.isArray(value)) return mapItems(value, walk);
      return isSchema(value) ? walk(value) : value;
    case Holds.Map:
      return isSchema(value) && typeof value === 'object' ? mapValues(value, walk) : value;
  }
}

/**
 * Rebuilds a schema bottom-up: every subschema object is first rebuilt, then passed to `visit`, whose result
 * replaces it. A node none of whose subschemas changed is passed as it is (not copied), so `visit` must not
 * modify its argument; it returns the node itself to keep it. Boolean schemas are kept as they are. The
 * input is not modified. Subschemas are visited in the order of their node's keys.
 */
export function transformSchema(
  schema: JsonSchema,
  visit: (node: JsonSchemaObject) => JsonSchema,
): JsonSchema {
  const walk = (node: JsonSchema): JsonSchema => {
    if (typeof node === 'boolean') return node;
    // A loose record while rebuilding: `items` may be an array (draft-04 tuple form) in messy specs.
    const source = node as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    // The node's own keys, looked up in one table: cheaper than probing every keyword on every node.
    for (const key of Object.keys(source)) {
      const holds = KEYWORDS.get(key);
      if (holds === undefined) continue;
      const value = source[key];
      const next = walkKeyword(holds, value, walk);
      if (next === value) continue;
      out ??= { ...source };
      out[key] = next;
    }
    return visit((out ?? node) as JsonSchemaObject);
  };
  return walk(schema);
}

/**
 * Removes `$id` and `$schema` from subschemas: an embedded `$id` would move the base URI that
 * `#/components/schemas/X` references resolve against.
 */
export function stripSchemaIds(schema: JsonSchema): JsonSchema {
  return transformSchema(schema, (node) => {
    if (!('$id' in node) && !('$schema' in node)) return node;
    const { $id: _id, $schema: _schema, ...rest } = node;
    return rest;
  });
}
