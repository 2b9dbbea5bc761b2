/**
 * Converts OpenAPI 3.0 Schema Objects into JSON Schema (draft-07) that ajv validates as the spec intends.
 * @see https://spec.openapis.org/oas/v3.0.3#schema-object
 */

/** A JSON Schema / OpenAPI schema as plain data. */
export type JsonSchema = { [key: string]: unknown } | boolean;

/** Which side of the wire a schema is checked for (decides how `readOnly` / `writeOnly` apply). */
export type SchemaView = 'request' | 'response';

/** Options for {@link convertOpenApiSchema}. */
export interface ConvertOptions {
  /** `request`: readOnly properties must not be sent; `response`: writeOnly properties must not appear. */
  view: SchemaView;
  /** Base that `#/components/schemas/X` refs are rewritten onto, e.g. `sut-request` → `sut-request#/definitions/X`. */
  refBase: string;
}

const COMPONENT_REF = '#/components/schemas/';
const SUBSCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;
const SUBSCHEMA_SINGLE = ['items', 'not', 'additionalProperties'] as const;
/** OpenAPI-only annotations that JSON Schema has no use for. */
const DROPPED_KEYS = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'deprecated']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * OpenAPI 3.0 spells exclusive bounds as booleans next to `minimum`/`maximum`; draft-07 wants the number.
 * @see https://spec.openapis.org/oas/v3.0.3#properties
 */
function convertExclusiveBound(
  out: Record<string, unknown>,
  flag: 'exclusiveMinimum' | 'exclusiveMaximum',
  bound: 'minimum' | 'maximum',
): void {
  const value = out[flag];
  if (typeof value !== 'boolean') return;
  if (value && typeof out[bound] === 'number') {
    out[flag] = out[bound];
    delete out[bound];
  } else {
    delete out[flag];
  }
}

function convertProperties(
  properties: Record<string, unknown>,
  required: unknown,
  options: ConvertOptions,
): { properties: Record<string, JsonSchema>; required: string[] | undefined } {
  const forbiddenFlag = options.view === 'request' ? 'readOnly' : 'writeOnly';
  const converted: Record<string, JsonSchema> = {};
  const forbidden = new Set<string>();
  for (const [name, schema] of Object.entries(properties)) {
    if (isRecord(schema) && schema[forbiddenFlag] === true) {
      // A property that must not travel in this direction: present → invalid (and never required).
      converted[name] = false;
      forbidden.add(name);
    } else {
      converted[name] = convertOpenApiSchema(schema, options);
    }
  }
  const names = Array.isArray(required) ? required.filter((n): n is string => typeof n === 'string') : [];
  const kept = names.filter((n) => !forbidden.has(n));
  return { properties: converted, required: kept.length > 0 ? kept : undefined };
}

/**
 * Returns a draft-07 JSON Schema equivalent to an OpenAPI 3.0 schema for one direction of traffic.
 * `nullable` is kept: ajv understands it natively.
 */
export function convertOpenApiSchema(schema: unknown, options: ConvertOptions): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  if (!isRecord(schema)) return {};
  if (typeof schema.$ref === 'string') {
    const ref = schema.$ref;
    if (!ref.startsWith(COMPONENT_REF)) throw new Error(`Unsupported $ref ${ref}`);
    return { $ref: `${options.refBase}#/definitions/${ref.slice(COMPONENT_REF.length)}` };
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (!DROPPED_KEYS.has(key)) out[key] = value;
  }
  convertExclusiveBound(out, 'exclusiveMinimum', 'minimum');
  convertExclusiveBound(out, 'exclusiveMaximum', 'maximum');
  for (const key of SUBSCHEMA_LISTS) {
    const list = out[key];
    if (Array.isArray(list)) out[key] = list.map((s) => convertOpenApiSchema(s, options));
  }
  for (const key of SUBSCHEMA_SINGLE) {
    if (isRecord(out[key])) out[key] = convertOpenApiSchema(out[key], options);
  }
  if (isRecord(out.properties)) {
    const { properties, required } = convertProperties(out.properties, out.required, options);
    out.properties = properties;
    if (required) out.required = required;
    else delete out.required;
  }
  return out;
}

/** Converts every schema under `components.schemas` into a `definitions` map for one view. */
export function convertComponentSchemas(
  schemas: Record<string, unknown>,
  options: ConvertOptions,
): Record<string, JsonSchema> {
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    definitions[name] = convertOpenApiSchema(schema, options);
  }
  return definitions;
}
