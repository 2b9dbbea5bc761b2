/**
 * Data synthesis: valid values, boundary values and single-violation values for JSON Schemas of the IR.
 * Everything is deterministic in the context's {@link Rng}.
 *
 * Validity means validity under JSON Schema 2020-12 as Ajv (`ajv/dist/2020.js` + `ajv-formats`) checks it,
 * with `#/components/schemas/<name>` resolved through `ctx.schemas` and, in the context's view, properties
 * hidden by `readOnly` (requests) or `writeOnly` (responses) treated as not required — see
 * {@link applySchemaView} for the matching validator schema.
 */
import type { JsonSchema } from '../ir/types.ts';
import { initialState, type SynthContext } from './context.ts';
import { generate } from './generate.ts';

export { synthesizeBoundaries } from './boundaries.ts';
export type { SynthContext } from './context.ts';
export { applySchemaView } from './view.ts';
export {
  synthesizeViolations,
  type Violation,
  type ViolationCandidate,
  type ViolationKind,
  violationCandidates,
} from './violations.ts';

/**
 * A value valid for `schema`: a valid example/default when allowed, else a generated one that honours
 * types, formats, patterns, bounds, required and some optional properties, composition and discriminators.
 * Recursion past `maxDepth` ref hops keeps only required properties and minimal arrays.
 */
export function synthesizeValid(schema: JsonSchema, ctx: SynthContext): unknown {
  return generate(schema, initialState(ctx));
}
