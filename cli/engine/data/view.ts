/**
 * Request/response views as validator schemas: the view-specific meaning of `required` made explicit, so
 * a plain JSON Schema validator (Ajv) accepts exactly what synthesis produces for that view.
 * @see https://spec.openapis.org/oas/v3.1.0#fixed-fields-20 (readOnly, writeOnly)
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { flattenSchema, isHiddenInView, type SchemaMap } from './resolve.ts';

const LIST_KEYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/**
 * Formats JSON Schema 2020-12 and OpenAPI define.
 * @see https://json-schema.org/draft/2020-12/json-schema-validation#section-7.3
 * @see https://spec.openapis.org/oas/v3.1.0#data-types
 */
const DEFINED_FORMATS = new Set([
  'date-time',
  'date',
  'time',
  'duration',
  'email',
  'idn-email',
  'hostname',
  'idn-hostname',
  'ipv4',
  'ipv6',
  'uri',
  'uri-reference',
  'iri',
  'iri-reference',
  'uuid',
  'uri-template',
  'json-pointer',
  'relative-json-pointer',
  'regex',
  'int32',
  'int64',
  'float',
  'double',
  'byte',
  'binary',
  'password',
]);
const MAP_KEYS = ['properties', 'patternProperties', 'dependentSchemas', '$defs'];
const SUB_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

/**
 * `schema` with properties hidden in `view` (`readOnly` for requests, `writeOnly` for responses, also
 * through `$ref`/`allOf`) no longer required; copied only where that changes it, so callers must not mutate
 * the result. `$ref`s are kept: apply this to every schema of
 * `schemas` as well to get a consistent set.
 */
export function applySchemaView(
  schema: JsonSchema,
  view: 'request' | 'response',
  schemas: SchemaMap,
): JsonSchema {
  if (typeof schema !== 'object' || schema === null) return schema;
  let memo = memos[view].get(schemas);
  if (!memo) {
    memo = new WeakMap();
    memos[view].set(schemas, memo);
  }
  let viewed = memo.get(schema);
  if (viewed === undefined) {
    viewed = viewSchema(schema, view, schemas);
    memo.set(schema, viewed);
  }
  return viewed;
}

/** Views per schema map and schema object: a spec's operations share their component schemas. */
const memos = {
  request: new WeakMap<SchemaMap, WeakMap<object, JsonSchema>>(),
  response: new WeakMap<SchemaMap, WeakMap<object, JsonSchema>>(),
};

function viewSchema(schema: JsonSchemaObject, view: 'request' | 'response', schemas: SchemaMap): JsonSchema {
  // Copy-on-write: most subschemas hide nothing in the view and are returned as they are, so the view of a
  // large spec shares almost all of its memory with the spec.
  let out: JsonSchemaObject | undefined;
  const set = (key: string, value: unknown): void => {
    out ??= { ...schema };
    out[key] = value;
  };
  for (const key of LIST_KEYS) {
    const list = schema[key];
    if (!Array.isArray(list)) continue;
    const mapped = list.map((sub) => applySchemaView(sub as JsonSchema, view, schemas));
    if (mapped.some((sub, i) => sub !== list[i])) set(key, mapped);
  }
  for (const key of MAP_KEYS) {
    const map = schema[key];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    let copy: Record<string, JsonSchema> | undefined;
    for (const [name, sub] of Object.entries(map)) {
      const viewed = applySchemaView(sub as JsonSchema, view, schemas);
      if (viewed !== sub) {
        copy ??= { ...(map as Record<string, JsonSchema>) };
        copy[name] = viewed;
      }
    }
    if (copy) set(key, copy);
  }
  for (const key of SUB_KEYS) {
    const sub = schema[key];
    if (typeof sub === 'object' && sub !== null && !Array.isArray(sub)) {
      const viewed = applySchemaView(sub as JsonSchema, view, schemas);
      if (viewed !== sub) set(key, viewed);
    }
  }
  const props = schema.properties;
  if (Array.isArray(schema.required) && props) {
    const required = schema.required.filter((name) => {
      const prop = props[name];
      return prop === undefined || !isHiddenInView(prop, view, schemas);
    });
    if (required.length !== schema.required.length) set('required', required);
  }
  // A union without a discriminator as anyOf: authors write oneOf for "one of these shapes", and a correct
  // answer of one shape often fits another too (optional properties), which oneOf refuses.
  if (
    view === 'response' &&
    Array.isArray(schema.oneOf) &&
    !schema.discriminator &&
    schema.anyOf === undefined
  ) {
    const { oneOf, ...rest } = (out ?? schema) as JsonSchemaObject & { oneOf: JsonSchema[] };
    out = { ...rest, anyOf: oneOf };
  }
  // A format neither JSON Schema nor OpenAPI defines ("url", "phone") says nothing a validator can check the
  // same way everywhere: the response view leaves it out rather than fail an answer on one reading of it.
  if (view === 'response' && typeof schema.format === 'string' && !DEFINED_FORMATS.has(schema.format)) {
    const { format: _unchecked, ...rest } = (out ?? schema) as JsonSchemaObject & { format: string };
    out = rest;
  }
  const composed = composedProperties(schema, schemas);
  if (composed.length > 0)
    set('properties', {
      ...(out ?? schema).properties,
      ...Object.fromEntries(composed.map((name) => [name, {}])),
    });
  return out ?? schema;
}

/**
 * Properties that `allOf`, `anyOf` or `oneOf` members define beside `additionalProperties: false`, and the
 * schema itself does not list. JSON Schema reads that `false` as forbidding them (only `unevaluatedProperties`
 * sees into the members), which no object with those properties can satisfy; the author means "nothing beyond
 * what the members define", as mocks and servers read it. Listing them (as `{}`) says exactly that.
 */
function composedProperties(schema: JsonSchemaObject, schemas: SchemaMap): string[] {
  if (schema.additionalProperties !== false) return [];
  const own = (schema.properties ?? {}) as Record<string, unknown>;
  const names = new Set<string>();
  for (const key of ['allOf', 'anyOf', 'oneOf']) {
    const members = schema[key];
    if (!Array.isArray(members)) continue;
    for (const member of members) {
      const flat = flattenSchema(member as JsonSchema, schemas);
      if (flat === false) continue;
      for (const name of Object.keys(flat.properties ?? {})) if (!Object.hasOwn(own, name)) names.add(name);
    }
  }
  return [...names].sort();
}
