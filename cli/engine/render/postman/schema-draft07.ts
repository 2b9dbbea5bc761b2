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

const DROPPED_KEYS: ReadonlySet<string> = new Set(DROPPED);

/** Whether draft-07 needs `node` changed: a keyword to drop (or translate) or a `$ref` to move. */
function needsConversion(node: JsonSchemaObject): boolean {
  if (typeof node.$ref === 'string') return true;
  for (const key of Object.keys(node)) if (DROPPED_KEYS.has(key)) return true;
  return false;
}

function convertNode(node: JsonSchemaObject): JsonSchema {
  // Most nodes are draft-07 already: kept as they are (transformSchema never modifies them).
  if (!needsConversion(node)) return node;
  const source = node as Record<string, unknown>;
  const hasRef = typeof node.$ref === 'string';
  // A copy without the dropped keywords (and the $ref, placed below), keys in their order.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    if (DROPPED_KEYS.has(key) || (hasRef && key === '$ref')) continue;
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: source[key],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = source[key];
    }
  }
  // 2020-12 tuples: prefixItems + items → draft-07 items (array) + additionalItems.
  if (Array.isArray(node.prefixItems)) {
    out.items = node.prefixItems;
    if (node.items !== undefined) out.additionalItems = node.items;
  }
  const dependencies: Record<string, unknown> = {};
  for (const dependent of [node.dependentRequired, node.dependentSchemas]) {
    if (dependent && typeof dependent === 'object') Object.assign(dependencies, dependent);
  }
  if (Object.keys(dependencies).length > 0) {
    out.dependencies = { ...(out.dependencies as Record<string, unknown> | undefined), ...dependencies };
  }
  if (hasRef) {
    const ref = node.$ref!.startsWith(COMPONENT_PREFIX)
      ? `#/definitions/${node.$ref!.slice(COMPONENT_PREFIX.length)}`
      : node.$ref!;
    // In draft-07 a $ref hides its siblings; 2020-12 applies them, so move the ref into allOf.
    const siblings = Object.keys(out).filter((key) => !['description', 'title'].includes(key));
    if (siblings.length === 0) {
      out.$ref = ref;
      return out;
    }
    const allOf = Array.isArray(out.allOf) ? (out.allOf as JsonSchema[]) : [];
    out.allOf = [...allOf, { $ref: ref }];
    return out;
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
