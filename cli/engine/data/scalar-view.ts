/**
 * The "scalar view" of a schema: flattened, with a nullable wrapper unwrapped, and rejected when other
 * composition remains (edges and violations of composed schemas cannot be stated reliably).
 */
import type { JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { flattenSchema, mergeSchemas, type SchemaMap, schemaTypes } from './resolve.ts';

/**
 * The schema with a nullable wrapper (`anyOf`/`oneOf` of one schema and `{type: "null"}`) unwrapped; undefined
 * when other composition remains, since its edges cannot be stated reliably.
 */
export function scalarView(schema: JsonSchema, schemas: SchemaMap): JsonSchemaObject | undefined {
  const flat = flattenSchema(schema, schemas);
  if (flat === false) return undefined;
  let out = flat;
  for (const kind of ['anyOf', 'oneOf'] as const) {
    const branches = out[kind];
    if (!Array.isArray(branches)) continue;
    const flats = branches.map((b) => flattenSchema(b, schemas));
    const isNull = (f: JsonSchemaObject | false) => f !== false && f.type === 'null';
    const others = flats.filter((f) => !isNull(f));
    const only = others[0];
    if (others.length !== 1 || only === undefined || only === false || flats.length !== 2) return undefined;
    const { [kind]: _drop, ...rest } = out;
    const merged = mergeSchemas(only, rest);
    const types = merged.type === undefined ? undefined : ([] as string[]).concat(merged.type);
    if (types && !types.includes('null')) merged.type = [...types, 'null'];
    if (Array.isArray(merged.enum) && !merged.enum.includes(null)) merged.enum = [...merged.enum, null];
    out = merged;
  }
  if (out.oneOf !== undefined || out.anyOf !== undefined || out.not !== undefined || out.if !== undefined) {
    return undefined;
  }
  return out;
}

/** The first declared non-null type of a flat schema. */
export function primaryType(flat: JsonSchemaObject): string | undefined {
  const types = schemaTypes(flat);
  return types?.find((t) => t !== 'null');
}
