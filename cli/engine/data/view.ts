/**
 * Request/response views as validator schemas: the view-specific meaning of `required` made explicit, so
 * a plain JSON Schema validator (Ajv) accepts exactly what synthesis produces for that view.
 * @see https://spec.openapis.org/oas/v3.1.0#fixed-fields-20 (readOnly, writeOnly)
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { isHiddenInView, type SchemaMap } from './resolve.ts';

const LIST_KEYS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const MAP_KEYS = ['properties', 'patternProperties', 'dependentSchemas', '$defs'];
const SUB_KEYS = ['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames'];

/**
 * A copy of `schema` where properties hidden in `view` (`readOnly` for requests, `writeOnly` for responses,
 * also through `$ref`/`allOf`) are no longer required. `$ref`s are kept: apply this to every schema of
 * `schemas` as well to get a consistent set.
 */
export function applySchemaView(
  schema: JsonSchema,
  view: 'request' | 'response',
  schemas: SchemaMap,
): JsonSchema {
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: JsonSchemaObject = { ...schema };
  for (const key of LIST_KEYS) {
    const list = schema[key];
    if (Array.isArray(list)) out[key] = list.map((sub) => applySchemaView(sub as JsonSchema, view, schemas));
  }
  for (const key of MAP_KEYS) {
    const map = schema[key];
    if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
    const copy: Record<string, JsonSchema> = {};
    for (const [name, sub] of Object.entries(map))
      copy[name] = applySchemaView(sub as JsonSchema, view, schemas);
    out[key] = copy;
  }
  for (const key of SUB_KEYS) {
    const sub = schema[key];
    if (typeof sub === 'object' && sub !== null && !Array.isArray(sub)) {
      out[key] = applySchemaView(sub as JsonSchema, view, schemas);
    }
  }
  const props = schema.properties;
  if (Array.isArray(schema.required) && props) {
    out.required = schema.required.filter((name) => {
      const prop = props[name];
      return prop === undefined || !isHiddenInView(prop, view, schemas);
    });
  }
  return out;
}
