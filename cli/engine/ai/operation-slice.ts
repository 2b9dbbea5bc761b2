/**
 * The part of the spec one operation needs, and nothing else: method, path, parameters, the request body
 * schema with referenced component schemas inlined to a bounded depth, and the declared response statuses.
 * This is all a model sees of the user's API. With `redact`, descriptions, summaries and examples are left
 * out as well.
 */

import { refName } from '../data/resolve.ts';
import type { ApiIr, IrOperation, JsonSchema, JsonSchemaObject } from '../ir/types.ts';
import { pickBodyMedia, usableParameters } from '../plan/request-builder.ts';

/** What the model is told about one operation. */
export interface OperationSlice {
  operationId: string;
  method: string;
  path: string;
  summary?: string;
  description?: string;
  parameters: Array<{
    name: string;
    in: string;
    required: boolean;
    schema: JsonSchema;
    description?: string;
    examples?: unknown[];
  }>;
  requestBody?: {
    required: boolean;
    mediaType: string;
    schema?: JsonSchema;
    description?: string;
    examples?: unknown[];
  };
  responses: Array<{ status: string; description?: string }>;
}

/** Options of {@link sliceOperation}. */
export interface SliceOptions {
  /** Leave out descriptions, summaries and examples. @default false */
  redact?: boolean;
  /** How many `$ref` hops are inlined; deeper references become a short placeholder. @default 3 */
  maxRefDepth?: number;
}

/** Keywords never sent: prose and tooling noise the model does not need. */
const ALWAYS_DROPPED = new Set(['xml', 'externalDocs', '$comment']);
/** Keywords dropped by `redact`. */
const REDACTED = new Set(['description', 'example', 'examples']);

interface InlineState {
  schemas: Record<string, JsonSchema>;
  redact: boolean;
  maxDepth: number;
}

function inline(schema: JsonSchema, st: InlineState, chain: readonly string[]): JsonSchema {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: JsonSchemaObject = {};
  let target: JsonSchema | undefined;
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = refName(value);
      const resolved = name === undefined ? undefined : st.schemas[name];
      if (name === undefined || resolved === undefined) continue;
      if (chain.includes(name) || chain.length >= st.maxDepth) {
        // Cycle or too deep: a placeholder keeps the prompt bounded.
        out.$comment = `schema ${name} (not expanded)`;
        const type = typeof resolved === 'object' ? resolved.type : undefined;
        if (type !== undefined) out.type = type;
        continue;
      }
      target = inline(resolved, st, [...chain, name]);
      continue;
    }
    if (ALWAYS_DROPPED.has(key) || key.startsWith('x-')) continue;
    if (st.redact && REDACTED.has(key)) continue;
    out[key] = inlineValue(key, value, st, chain);
  }
  if (target === undefined) return out;
  // `$ref` with sibling keywords: both apply (JSON Schema 2020-12), so keep both.
  return Object.keys(out).length === 0 ? target : { allOf: [target, out] };
}

/** Keywords whose values are schemas, maps of schemas or lists of schemas. */
const SCHEMA_KEYS = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
]);
const SCHEMA_MAP_KEYS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs']);
const SCHEMA_LIST_KEYS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);

function inlineValue(key: string, value: unknown, st: InlineState, chain: readonly string[]): unknown {
  if (SCHEMA_KEYS.has(key)) return inline(value as JsonSchema, st, chain);
  if (SCHEMA_LIST_KEYS.has(key) && Array.isArray(value))
    return value.map((s) => inline(s as JsonSchema, st, chain));
  if (SCHEMA_MAP_KEYS.has(key) && typeof value === 'object' && value !== null) {
    const map: Record<string, JsonSchema> = {};
    for (const [name, sub] of Object.entries(value)) map[name] = inline(sub as JsonSchema, st, chain);
    return map;
  }
  return value;
}

/** Builds the slice of `op` sent to a model. Pure and deterministic. */
export function sliceOperation(ir: ApiIr, op: IrOperation, options: SliceOptions = {}): OperationSlice {
  const redact = options.redact === true;
  const st: InlineState = { schemas: ir.schemas, redact, maxDepth: options.maxRefDepth ?? 3 };
  const prose = (text: string | undefined): { description?: string } =>
    !redact && text ? { description: text } : {};
  const examples = (list: unknown[]): { examples?: unknown[] } =>
    !redact && list.length > 0 ? { examples: list.slice(0, 2) } : {};
  const slice: OperationSlice = {
    operationId: op.id,
    method: op.method.toUpperCase(),
    path: op.path,
    ...(!redact && op.summary ? { summary: op.summary } : {}),
    ...prose(op.description),
    parameters: usableParameters(op).map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
      schema: inline(p.schema, st, []),
      ...prose(p.description),
      ...examples(p.examples),
    })),
    responses: op.responses.map((r) => ({ status: r.status, ...prose(r.description) })),
  };
  const choice = pickBodyMedia(op);
  if (choice && op.requestBody) {
    const schema = choice.media.schema;
    slice.requestBody = {
      required: op.requestBody.required,
      mediaType: choice.media.mediaType,
      ...(schema === undefined ? {} : { schema: inline(schema, st, []) }),
      ...prose(op.requestBody.description),
      ...examples(choice.media.examples),
    };
  }
  return slice;
}
