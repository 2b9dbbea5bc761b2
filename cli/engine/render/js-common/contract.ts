/**
 * The response contract a JS suite checks against (`schemas.ts` / `schemas.js`): named schemas registered
 * as one Ajv document, each operation's declared responses, and how each security scheme is sent.
 */
import type { JsonSchema } from '../../ir/types.ts';
import type { PlanSecurityScheme, TestPlan } from '../../plan/types.ts';
import { convertResponses } from '../common/responses.ts';

/** The `$id` the named schemas are registered under in the generated runtime. */
export const COMPONENTS_ID = 'specmint:components';

const LOCAL_REF = '#/components/schemas/';

/** How one security scheme is sent (mirrors `SchemeSpec` in the runtime template). */
export type SchemeSpec =
  | { kind: 'bearer'; tokenEnv: string }
  | { kind: 'basic'; usernameEnv: string; passwordEnv: string }
  | { kind: 'apiKey'; in: 'header' | 'query' | 'cookie'; name: string; tokenEnv: string };

/**
 * The way a scheme's credentials are sent, or why a suite cannot send them.
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object
 */
export function toSchemeSpec(scheme: PlanSecurityScheme): SchemeSpec | { unsupported: string } {
  const { env } = scheme;
  if (scheme.type === 'mutualTLS') return { unsupported: 'mutualTLS needs client certificates' };
  if (scheme.type === 'apiKey') {
    if (!scheme.name || !scheme.in) return { unsupported: `apiKey scheme "${scheme.key}" has no name/in` };
    if (!env.token) return { unsupported: `scheme "${scheme.key}" has no env var` };
    return { kind: 'apiKey', in: scheme.in, name: scheme.name, tokenEnv: env.token };
  }
  if (scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'basic') {
    if (!env.username || !env.password) return { unsupported: `scheme "${scheme.key}" has no env vars` };
    return { kind: 'basic', usernameEnv: env.username, passwordEnv: env.password };
  }
  if (scheme.type === 'http' && scheme.scheme?.toLowerCase() !== 'bearer') {
    return {
      unsupported: `HTTP auth scheme "${scheme.scheme ?? ''}" is not supported (only bearer and basic)`,
    };
  }
  if (!env.token) return { unsupported: `scheme "${scheme.key}" has no env var` };
  return { kind: 'bearer', tokenEnv: env.token };
}

// Keywords whose values are data, not schemas: a `$ref` inside them is not a reference.
const DATA_KEYWORDS = new Set(['enum', 'const', 'default', 'example', 'examples']);

/**
 * Rewrites `#/components/schemas/X` references to `specmint:components#/components/schemas/X` so a schema
 * compiled on its own resolves them in the registered components document.
 */
export function rewriteRefs(schema: JsonSchema): JsonSchema {
  return rewrite(schema) as JsonSchema;
}

// Keywords whose values map arbitrary names to schemas: the names are not keywords.
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', 'dependentSchemas', '$defs', 'definitions']);

/** Sets an own enumerable property, also for `__proto__` (which plain assignment would treat as the prototype). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * `record` with each own enumerable value passed through `map`: the same object when nothing changed (most
 * subschemas hold no component reference), else a plain copy with the changed values.
 */
function mapRecord(record: object, map: (key: string, item: unknown) => unknown): object {
  const source = record as Record<string, unknown>;
  const keys = Object.keys(source);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const item = source[key];
    const next = map(key, item);
    if (next !== item && out === undefined) {
      out = {};
      for (let j = 0; j < i; j++) setOwn(out, keys[j]!, source[keys[j]!]);
    }
    if (out !== undefined) setOwn(out, key, next);
  }
  return out ?? record;
}

const rewriteName = (_name: string, sub: unknown): unknown => rewrite(sub);

function rewriteMember(key: string, item: unknown): unknown {
  if (key === '$ref') {
    return typeof item === 'string' && item.startsWith(LOCAL_REF) ? `${COMPONENTS_ID}${item}` : rewrite(item);
  }
  if (DATA_KEYWORDS.has(key)) return item;
  if (SCHEMA_MAPS.has(key) && item !== null && typeof item === 'object' && !Array.isArray(item)) {
    return mapRecord(item, rewriteName);
  }
  return rewrite(item);
}

/** `value` with its references rewritten; unchanged parts are shared with the input, never modified. */
function rewrite(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const next = rewrite(item);
      if (next !== item && out === undefined) out = value.slice(0, i);
      if (out !== undefined) out.push(next);
    }
    return out ?? value;
  }
  return mapRecord(value, rewriteMember);
}

/** Statuses whose responses have no content, whatever their headers say (RFC 9110 §15.3.5, §15.3.6, §15.4.5). */
const NO_CONTENT_STATUSES = new Set(['204', '205', '304']);

/**
 * Whether a response can carry content: not one to HEAD, nor a 204, 205 or 304. The contract gives the others
 * no media types, so a suite neither parses nor checks what a spec declares for them (a 204 sent with
 * `Content-Type: application/json` and no body keeps its promise).
 */
export function carriesContent(method: string, status: string): boolean {
  return method.toUpperCase() !== 'HEAD' && !NO_CONTENT_STATUSES.has(status);
}

/** Empties the media types of the responses that cannot carry content (see {@link carriesContent}). */
function withoutContent(plan: TestPlan, operations: ContractValues['operations']): void {
  for (const op of plan.operations) {
    const entry = operations[op.id];
    if (!entry) continue;
    entry.responses = (entry.responses as Array<{ status: string; contents: unknown[] }>).map((response) =>
      carriesContent(op.method, response.status) ? response : { ...response, contents: [] },
    );
  }
}

/** The contract values the generated `schemas` module exports. */
export interface ContractValues {
  api: { title: string; version: string };
  components: { $id: string; components: { schemas: Record<string, JsonSchema> } };
  operations: Record<string, { method: string; path: string; responses: unknown[] }>;
  securitySchemes: Record<string, SchemeSpec>;
}

/** Builds the values of the `schemas` module from the plan. */
export function buildContract(plan: TestPlan): ContractValues {
  const schemas = Object.fromEntries(
    Object.entries(plan.schemas).map(([name, schema]) => [name, rewriteRefs(schema)]),
  );
  const operations = Object.fromEntries(
    plan.operations.map((op) => [
      op.id,
      {
        method: op.method,
        path: op.path,
        responses: convertResponses(op.responses, rewriteRefs).map((converted, index) => {
          const headers = op.responses[index]?.headers;
          if (!headers || headers.length === 0) return converted;
          return {
            ...converted,
            headers: headers.map((header) =>
              header.schema === undefined
                ? { name: header.name, required: header.required }
                : { name: header.name, required: header.required, schema: rewriteRefs(header.schema) },
            ),
          };
        }),
      },
    ]),
  );
  const securitySchemes: Record<string, SchemeSpec> = Object.fromEntries(
    Object.entries(plan.securitySchemes).flatMap(([key, scheme]) => {
      const spec = toSchemeSpec(scheme);
      return 'unsupported' in spec ? [] : [[key, spec]];
    }),
  );
  withoutContent(plan, operations);
  return {
    api: { title: plan.api.title, version: plan.api.version },
    components: { $id: COMPONENTS_ID, components: { schemas } },
    operations,
    securitySchemes,
  };
}
