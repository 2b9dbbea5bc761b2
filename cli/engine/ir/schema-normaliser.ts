import { appendPointer, isRecord, parsePointer, refToPointer, resolvePointer } from '../spec/json-pointer.ts';
import { type BuildContext, warn } from './context.ts';
import { sanitizeIdentifier, uniqueName } from './naming.ts';
import { schemaRef } from './schema-refs.ts';
import type { JsonSchema, JsonSchemaObject } from './types.ts';

/** Keywords whose value is one schema. */
const SCHEMA_KEYWORDS = new Set([
  'additionalProperties',
  'unevaluatedProperties',
  'propertyNames',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'contentSchema',
]);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP_KEYWORDS = new Set([
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
]);
/** Keywords that describe rather than constrain; kept on the outside when `nullable` wraps a schema in anyOf. */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'externalDocs',
  'xml',
]);
const TYPE_NAMES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null']);
/** Deepest schema nesting followed (beyond it: `{}` and a warning), against pathological inputs. */
const MAX_SCHEMA_DEPTH = 200;

/**
 * Turns OpenAPI schemas into JSON Schema 2020-12 as described in types.ts, and collects the named schemas.
 * Component schemas (`#/components/schemas/X`) stay `$ref`s and are normalised once each; refs to anything
 * else are inlined, except when circular: those are registered under a synthetic name and stay refs.
 * @see https://spec.openapis.org/oas/v3.1.0#schema-object
 */
export class SchemaNormaliser {
  /** Named schemas: components (document order) then synthetic names. */
  readonly schemas: Record<string, JsonSchema> = {};
  private readonly components: Record<string, unknown>;
  private readonly names = new Set<string>();
  /** Non-component ref targets being expanded (cycle detection) and their results. */
  private readonly expanding = new Set<string>();
  private readonly inlined = new Map<string, JsonSchema>();
  private readonly synthetic = new Map<string, string>();

  constructor(private readonly ctx: BuildContext) {
    const components = ctx.document.components;
    const schemas = isRecord(components) ? components.schemas : undefined;
    this.components = isRecord(schemas) ? schemas : {};
    for (const name of Object.keys(this.components)) this.names.add(name);
  }

  /** Normalises every component schema into {@link schemas}, in document order. */
  normaliseComponents(): void {
    for (const [name, schema] of Object.entries(this.components)) {
      this.schemas[name] = this.normalise(schema, appendPointer('/components/schemas', name));
    }
  }

  /** Normalises one schema found at `pointer` (used for messages and synthetic names). */
  normalise(schema: unknown, pointer: string, depth = 0): JsonSchema {
    if (typeof schema === 'boolean') return schema;
    if (!isRecord(schema)) {
      warn(this.ctx, {
        code: 'SCHEMA_INVALID',
        pointer,
        message: 'a schema must be an object; any value is accepted instead',
      });
      return {};
    }
    if (depth > MAX_SCHEMA_DEPTH) {
      warn(this.ctx, {
        code: 'SCHEMA_TOO_DEEP',
        pointer,
        message: `schema nests more than ${MAX_SCHEMA_DEPTH} levels; cut off`,
      });
      return {};
    }
    const keys = Object.keys(schema);
    if (typeof schema.$ref === 'string' && keys.length === 1)
      return this.reference(schema.$ref, pointer, depth);
    return this.object(schema, pointer, depth);
  }

  /** The IR form of a `$ref`: a component ref, an inlined copy, or a ref to a synthetic name. */
  private reference(ref: string, pointer: string, depth: number): JsonSchema {
    const target = refToPointer(ref);
    const tokens = target === undefined ? undefined : parsePointer(target);
    if (
      tokens?.length === 3 &&
      tokens[0] === 'components' &&
      tokens[1] === 'schemas' &&
      Object.hasOwn(this.components, tokens[2]!)
    ) {
      return { $ref: schemaRef(tokens[2]!) };
    }
    const resolved = target === undefined ? undefined : resolvePointer(this.ctx.document, target);
    if (target === undefined || !resolved?.found) {
      warn(this.ctx, {
        code: 'REF_NOT_FOUND',
        pointer,
        message: `$ref '${ref}' cannot be resolved; any value is accepted instead`,
      });
      return {};
    }
    if (this.expanding.has(target)) return { $ref: schemaRef(this.syntheticName(target)) };
    const cached = this.inlined.get(target);
    if (cached !== undefined) return cached;
    this.expanding.add(target);
    let result = this.normalise(resolved.value, target, depth + 1);
    this.expanding.delete(target);
    const name = this.synthetic.get(target);
    if (name !== undefined) {
      this.schemas[name] = result;
      result = { $ref: schemaRef(name) };
    }
    this.inlined.set(target, result);
    return result;
  }

  /** A stable name for a circular non-component target, e.g. `paths_pets_get_responses_200_…_schema`. */
  private syntheticName(target: string): string {
    let name = this.synthetic.get(target);
    if (name === undefined) {
      const tokens = parsePointer(target) ?? [];
      const parts = tokens[0] === 'components' && tokens[1] === 'schemas' ? tokens.slice(2) : tokens;
      const base = sanitizeIdentifier(parts.join('_')).replace(/_+/g, '_');
      name = uniqueName(base || 'Schema', this.names);
      this.synthetic.set(target, name);
    }
    return name;
  }

  private object(schema: Record<string, unknown>, pointer: string, depth: number): JsonSchemaObject {
    const out: JsonSchemaObject = {};
    // A keyword's pointer is written out only where it is used (a nested schema, a dropped keyword): most
    // keywords are plain values, and writing every pointer out was a good part of building the IR.
    const at = (key: string) => appendPointer(pointer, key);
    for (const [key, value] of Object.entries(schema)) {
      if (key === '__proto__') continue; // not a keyword; assigning it would replace `out`'s prototype
      if (key.startsWith('x-')) out[key] = value;
      else if (key === '$ref') this.siblingRef(out, value, at(key), depth);
      else if (SCHEMA_KEYWORDS.has(key)) {
        if (typeof value === 'boolean' || isRecord(value))
          out[key] = this.normalise(value, at(key), depth + 1);
        else this.drop(at(key), key, 'a schema');
      } else if (SCHEMA_LIST_KEYWORDS.has(key)) {
        if (Array.isArray(value))
          out[key] = value.map((item, i) => this.normalise(item, `${at(key)}/${i}`, depth + 1));
        else this.drop(at(key), key, 'a list of schemas');
      } else if (SCHEMA_MAP_KEYWORDS.has(key)) {
        if (isRecord(value)) out[key] = this.map(value, at(key), depth);
        else this.drop(at(key), key, 'an object of schemas');
      } else if (key === 'items') this.items(out, schema, value, at(key), depth);
      else if (key === 'additionalItems' || key === 'nullable') continue;
      else if (key === 'type') this.type(out, value, pointer);
      else if (key === 'required') {
        if (Array.isArray(value) && value.every((v) => typeof v === 'string'))
          out.required = value as string[];
        else
          this.drop(at(key), key, 'a list of property names (mark a property required in its parent object)');
      } else if (key === 'enum') {
        if (Array.isArray(value)) out.enum = value;
        else this.drop(at(key), key, 'a list');
      } else if (key === 'examples') {
        if (Array.isArray(value)) out.examples = value;
        else if (isRecord(value))
          out.examples = Object.values(value).map((e) => (isRecord(e) && 'value' in e ? e.value : e));
      } else if (key === 'discriminator') {
        if (isRecord(value) && typeof value.propertyName === 'string')
          out.discriminator = value as JsonSchemaObject['discriminator'];
        else this.drop(at(key), key, 'an object with a propertyName');
      } else out[key] = value;
    }
    this.exclusiveBounds(out);
    return schema.nullable === true ? nullable(out) : out;
  }

  /** `$ref` next to other keywords (3.1, or common in 3.0): a component ref stays, an inlined one joins allOf. */
  private siblingRef(out: JsonSchemaObject, ref: unknown, pointer: string, depth: number): void {
    if (typeof ref !== 'string') {
      this.drop(pointer, '$ref', 'a string');
      return;
    }
    const target = this.reference(ref, pointer, depth);
    if (isRecord(target) && typeof target.$ref === 'string' && Object.keys(target).length === 1)
      out.$ref = target.$ref;
    else out.allOf = [target, ...(out.allOf ?? [])];
  }

  private map(value: Record<string, unknown>, pointer: string, depth: number): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {};
    for (const [name, schema] of Object.entries(value)) {
      const normalised = this.normalise(schema, appendPointer(pointer, name), depth + 1);
      // A property named `__proto__` must stay a property, not set the prototype.
      if (name === '__proto__')
        Object.defineProperty(out, name, {
          value: normalised,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else out[name] = normalised;
    }
    return out;
  }

  /** `items`: a schema; a list (draft-04 tuple) becomes `prefixItems`, with `additionalItems` as `items`. */
  private items(
    out: JsonSchemaObject,
    schema: Record<string, unknown>,
    value: unknown,
    pointer: string,
    depth: number,
  ): void {
    if (Array.isArray(value)) {
      out.prefixItems = value.map((item, i) => this.normalise(item, `${pointer}/${i}`, depth + 1));
      const extra = schema.additionalItems;
      if (typeof extra === 'boolean' || isRecord(extra))
        out.items = this.normalise(extra, pointer.replace(/items$/, 'additionalItems'), depth + 1);
    } else if (typeof value === 'boolean' || isRecord(value)) {
      out.items = this.normalise(value, pointer, depth + 1);
    } else this.drop(pointer, 'items', 'a schema');
  }

  /** `type`, of the schema at `pointer`. */
  private type(out: JsonSchemaObject, value: unknown, pointer: string): void {
    const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
    if (!list || list.length === 0 || !list.every((t) => typeof t === 'string' && TYPE_NAMES.has(t))) {
      this.drop(
        appendPointer(pointer, 'type'),
        'type',
        `one of ${[...TYPE_NAMES].join(', ')} (or a list of them)`,
      );
      return;
    }
    out.type = typeof value === 'string' ? value : [...new Set(list as string[])];
  }

  /** OpenAPI 3.0 boolean `exclusiveMinimum`/`exclusiveMaximum` → 2020-12 numbers. */
  private exclusiveBounds(out: JsonSchemaObject): void {
    // Most schemas have neither.
    if (out.exclusiveMinimum === undefined && out.exclusiveMaximum === undefined) return;
    for (const [exclusive, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      const flag: unknown = out[exclusive];
      if (typeof flag === 'number' || flag === undefined) continue;
      if (flag === true && typeof out[bound] === 'number') {
        out[exclusive] = out[bound];
        delete out[bound];
      } else delete out[exclusive];
    }
  }

  private drop(pointer: string, keyword: string, expected: string): void {
    warn(this.ctx, {
      code: 'SCHEMA_KEYWORD_INVALID',
      pointer,
      message: `\`${keyword}\` must be ${expected}; ignored`,
    });
  }
}

/** Keywords that can refuse `null` whatever `type` says (a `$ref` beside `nullable` is common in 3.0 specs). */
const NULL_EXCLUDING = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'const'];

/**
 * OpenAPI 3.0 `nullable: true` in 2020-12 terms: `null` joins the type (and the enum, if any); without a
 * type, or beside a `$ref` or a composition (Twilio's `{$ref: enum, type: string, nullable: true}`), the schema
 * becomes `anyOf: [schema, {type: 'null'}]`, annotations staying outside.
 * @see https://spec.openapis.org/oas/v3.0.3#fixed-fields-19
 */
export function nullable(schema: JsonSchemaObject): JsonSchemaObject {
  // A reference or composition beside `type` would still refuse null; the anyOf form lets it through.
  const composed = NULL_EXCLUDING.some((key) => key in schema);
  if (!composed && (typeof schema.type === 'string' || Array.isArray(schema.type))) {
    const types = typeof schema.type === 'string' ? [schema.type] : schema.type;
    const out: JsonSchemaObject = { ...schema, type: types.includes('null') ? types : [...types, 'null'] };
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  const core: JsonSchemaObject = {};
  const outer: JsonSchemaObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (ANNOTATIONS.has(key) || key.startsWith('x-')) outer[key] = value;
    else core[key] = value;
  }
  if (Object.keys(core).length === 0) return schema;
  if (Array.isArray(core.enum) && !core.enum.includes(null)) core.enum = [...core.enum, null];
  return { anyOf: [core, { type: 'null' }], ...outer };
}
