/**
 * The validation reference for data-stage tests: Ajv 2020 (`strict: false`, `allErrors: true`) with
 * ajv-formats. Component schemas are added once as `{ $id: 'spec', components: { schemas } }`; a root
 * schema's `#/components/schemas/X` refs are rewritten to `spec#/components/schemas/X` so they resolve
 * there (refs inside the component schemas resolve within the 'spec' document as they are).
 * With a view, every schema first goes through `applySchemaView` (readOnly/writeOnly not required).
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { applySchemaView } from '../../../cli/engine/data/view.ts';
import type { JsonSchema } from '../../../cli/engine/ir/types.ts';

export interface Verdict {
  valid: boolean;
  errors: ErrorObject[];
}

export interface Validator {
  validate(schema: JsonSchema, value: unknown): Verdict;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/components/schemas/')
        ? `spec${value}`
        : rewriteRefs(value);
  }
  return out;
}

/** A validator for root schemas that reference `schemas`. Compiled functions are cached per root schema. */
export function createValidator(
  schemas: Record<string, JsonSchema>,
  view?: 'request' | 'response',
): Validator {
  const ajv = new Ajv2020({ strict: false, allErrors: true, logger: false });
  addFormatsModule.default(ajv);
  const viewed: Record<string, JsonSchema> = {};
  for (const [name, schema] of Object.entries(schemas)) {
    viewed[name] = view ? applySchemaView(schema, view, schemas) : schema;
  }
  ajv.addSchema({ $id: 'spec', components: { schemas: viewed } });
  // Keyed by the schema's JSON: tests often build equal root schemas afresh (`{ $ref: … }`).
  const cache = new Map<string, ValidateFunction>();
  const compile = (schema: JsonSchema): ValidateFunction => {
    const key = JSON.stringify(schema);
    let fn = cache.get(key);
    if (!fn) {
      const root = view ? applySchemaView(schema, view, schemas) : schema;
      fn = ajv.compile(rewriteRefs(root) as object);
      cache.set(key, fn);
    }
    return fn;
  };
  return {
    validate(schema, value) {
      const fn = compile(schema);
      const valid = fn(value) as boolean;
      return { valid, errors: fn.errors ?? [] };
    },
  };
}

/**
 * OpenAPI 3.0 → 2020-12 for test fixtures, as the IR builder does it: `nullable: true` becomes a type
 * array with "null" (or `anyOf` with `{type: "null"}` when there is no type; an enum gains `null`), boolean
 * `exclusiveMinimum`/`exclusiveMaximum` become numeric bounds, `$ref` siblings are left alone.
 */
export function convert30(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convert30);
  if (typeof node !== 'object' || node === null) return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) out[key] = convert30(value);
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else if (typeof out[flag] === 'boolean') delete out[flag];
  }
  if (out.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    else if (out.type === undefined) {
      const { description, ...rest } = out;
      return { anyOf: [rest, { type: 'null' }], ...(description === undefined ? {} : { description }) };
    }
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  } else if (out.nullable === false) delete out.nullable;
  return out;
}
