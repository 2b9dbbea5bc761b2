/**
 * Converts plan schemas (JSON Schema 2020-12) to draft-07, the dialect of the Ajv 6 inside Postman's
 * sandbox (`pm.response.to.have.jsonSchema`). Component references become `#/definitions/X`.
 * @see https://json-schema.org/draft/2020-12/release-notes
 */
import type { JsonSchema, JsonSchemaObject } from '../../ir/types.ts';
import { transformSchema } from '../common/schema-walk.ts';

const COMPONENT_PREFIX = '#/components/schemas/';

/** Keywords with no draft-07 equivalent (dropping them only makes validation more lenient). */
const DROPPED = [
  '$id',
  '$schema',
  '$anchor',
  '$dynamicRef',
  '$dynamicAnchor',
  '$defs',
  '$vocabulary',
  'unevaluatedProperties',
  'unevaluatedItems',
  'minContains',
  'maxContains',
  'dependentRequired',
  'dependentSchemas',
  'prefixItems',
] as const;

function convertNode(node: JsonSchemaObject): JsonSchema {
  const out: Record<string, unknown> = { ...node };
  for (const key of DROPPED) delete out[key];
  // 2020-12 tuples: prefixItems + items → draft-07 items (array) + additionalItems.
  if (Array.isArray(node.prefixItems)) {
    out.items = node.prefixItems;
    if (node.items !== undefined) out.additionalItems = node.items;
  }
  const dependencies: Record<string, unknown> = {};
  for (const source of [node.dependentRequired, node.dependentSchemas]) {
    if (source && typeof source === 'object') Object.assign(dependencies, source);
  }
  if (Object.keys(dependencies).length > 0) {
    out.dependencies = { ...(out.dependencies as Record<string, unknown> | undefined), ...dependencies };
  }
  if (typeof node.$ref === 'string') {
    const ref = node.$ref.startsWith(COMPONENT_PREFIX)
      ? `#/definitions/${node.$ref.slice(COMPONENT_PREFIX.length)}`
      : node.$ref;
    delete out.$ref;
    // In draft-07 a $ref hides its siblings; 2020-12 applies them, so move the ref into allOf.
    const siblings = Object.keys(out).filter((key) => !['description', 'title'].includes(key));
    if (siblings.length === 0) return { ...out, $ref: ref };
    const allOf = Array.isArray(out.allOf) ? (out.allOf as JsonSchema[]) : [];
    return { ...out, allOf: [...allOf, { $ref: ref }] };
  }
  return out as JsonSchemaObject;
}

/** One schema in draft-07 form. */
export function toDraft07(schema: JsonSchema): JsonSchema {
  return transformSchema(schema, convertNode);
}

/** Every named schema in draft-07 form, for a root `definitions` object. */
export function definitionsDraft07(schemas: Record<string, JsonSchema>): Record<string, JsonSchema> {
  return Object.fromEntries(Object.entries(schemas).map(([name, schema]) => [name, toDraft07(schema)]));
}
