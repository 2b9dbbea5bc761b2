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

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      if (key === '$ref' && typeof item === 'string' && item.startsWith(LOCAL_REF)) {
        return [key, `${COMPONENTS_ID}${item}`];
      }
      if (DATA_KEYWORDS.has(key)) return [key, item];
      if (SCHEMA_MAPS.has(key) && item !== null && typeof item === 'object' && !Array.isArray(item)) {
        return [key, Object.fromEntries(Object.entries(item).map(([name, sub]) => [name, rewrite(sub)]))];
      }
      return [key, rewrite(item)];
    }),
  );
}

/** The contract values the generated `schemas` module exports. */
export interface ContractValues {
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
        responses: convertResponses(op.responses, rewriteRefs),
      },
    ]),
  );
  const securitySchemes: Record<string, SchemeSpec> = Object.fromEntries(
    Object.entries(plan.securitySchemes).flatMap(([key, scheme]) => {
      const spec = toSchemeSpec(scheme);
      return 'unsupported' in spec ? [] : [[key, spec]];
    }),
  );
  return {
    components: { $id: COMPONENTS_ID, components: { schemas } },
    operations,
    securitySchemes,
  };
}
