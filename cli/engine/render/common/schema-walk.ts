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

function isSchema(value: unknown): value is JsonSchema {
  return typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value));
}

/** `map` with its schema values walked; the same object when no value changed. */
function mapValues(
  map: Record<string, unknown>,
  walk: (schema: JsonSchema) => JsonSchema,
): Record<string, unknown> {
  if (Object.hasOwn(map, '__proto__')) {
    // Kept as it always was: rebuilt by assignment, where a property named `__proto__` sets the
    // prototype and so drops out of the output (changing that would change generated files).
    const rebuilt: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(map)) rebuilt[key] = isSchema(value) ? walk(value) : value;
    return rebuilt;
  }
  let out: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(map)) {
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

/**
 * Rebuilds a schema bottom-up: every subschema object is first rebuilt, then passed to `visit`, whose result
 * replaces it. A node none of whose subschemas changed is passed as it is (not copied), so `visit` must not
 * modify its argument; it returns the node itself to keep it. Boolean schemas are kept as they are. The
 * input is not modified.
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
    const set = (key: string, value: unknown): void => {
      if (value === source[key]) return;
      out ??= { ...source };
      out[key] = value;
    };
    for (const key of SINGLE) {
      const value = node[key];
      if (isSchema(value)) set(key, walk(value));
    }
    for (const key of LISTS) {
      const value = node[key];
      if (Array.isArray(value)) set(key, mapItems(value, walk));
    }
    if (Array.isArray(node.items)) set('items', mapItems(node.items, walk));
    else if (isSchema(node.items)) set('items', walk(node.items));
    for (const key of MAPS) {
      const value = node[key];
      if (isSchema(value) && typeof value === 'object') set(key, mapValues(value, walk));
    }
    // Draft-07 `dependencies` mixes schemas and arrays of property names.
    const deps = node.dependencies;
    if (isSchema(deps) && typeof deps === 'object') set('dependencies', mapValues(deps, walk));
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
