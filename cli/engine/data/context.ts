/** The synthesis context callers pass in, and the internal generation state built from it. */
import type { JsonSchema } from '../ir/types.ts';
import type { CheckEnv } from './check.ts';
import type { SchemaMap } from './resolve.ts';
import type { Rng } from './rng.ts';

/** What every synthesis call needs besides the schema. */
export interface SynthContext {
  /** Named schemas (`ApiIr.schemas`): `#/components/schemas/<name>` resolves here. */
  schemas: Record<string, JsonSchema>;
  rng: Rng;
  /** 'request': omit readOnly properties; 'response': omit writeOnly properties. */
  view: 'request' | 'response';
  /** Prefer `example`/`examples`/`default` over synthesised values. @default true */
  useExamples?: boolean;
  /** Recursion bound for nested refs. @default 4 */
  maxDepth?: number;
  /**
   * Supplies the value for a nested bare `$ref` to a named schema (`undefined`: generate it as usual). Sample
   * data uses it to make a nested object the row already generated for that schema, as a foreign key would.
   * A supplied value must be valid for the named schema in this view; it is shared, not copied.
   */
  refValue?: (name: string) => unknown;
  /** Conformance memo shared between calls (see {@link CheckEnv.verified}); a fresh one per call by default. */
  verified?: WeakMap<object, WeakSet<object>>;
}

/** Generation state handed down the schema tree (copied, never mutated, except the shared budget). */
export interface GenState {
  schemas: SchemaMap;
  view: 'request' | 'response';
  env: CheckEnv;
  rng: Rng;
  /** See {@link SynthContext.refValue}. */
  refValue: ((name: string) => unknown) | undefined;
  useExamples: boolean;
  maxDepth: number;
  /** `$ref` hops on the current path. */
  depth: number;
  /** Nested `generate` calls on the current path (bounds recursion that no `$ref` hop counts). */
  nesting: number;
  /** Property name the value is for, to pick realistic strings. */
  hint?: string;
  /** Retries and values (see NODE_BUDGET) left for the whole call, shared by reference. */
  budget: { retries: number; nodes: number };
}

/**
 * Past this many nested values generation stops (best effort), whatever the ref count says: schemas whose
 * recursion is flattened into inline properties (seen on amazonaws timestream-query) must not overflow the stack.
 */
export const MAX_NESTING = 48;

/** Retries of failed candidates allowed per top-level call (keeps unsatisfiable schemas cheap). */
const RETRY_BUDGET = 64;

/**
 * Values generated per top-level call before optional content stops: past it, objects get only their
 * required properties and arrays only their minimum items. Without it a value's size grows exponentially with
 * `maxDepth` on specs whose entities link to many others (Microsoft Graph: hundreds of optional navigation
 * properties per entity), and one request body could take minutes.
 */
export const NODE_BUDGET = 400;

/** The generation state at the root of a call. */
export function initialState(ctx: SynthContext, rng: Rng = ctx.rng): GenState {
  return {
    schemas: ctx.schemas,
    view: ctx.view,
    env: { schemas: ctx.schemas, view: ctx.view, verified: ctx.verified ?? new WeakMap() },
    rng,
    refValue: ctx.refValue,
    useExamples: ctx.useExamples ?? true,
    maxDepth: ctx.maxDepth ?? 4,
    depth: 0,
    nesting: 0,
    hint: undefined,
    budget: { retries: RETRY_BUDGET, nodes: NODE_BUDGET },
  };
}

/** What a derived state changes; fields left out are inherited. */
export interface StatePatch {
  rng?: Rng;
  depth?: number;
  nesting?: number;
  useExamples?: boolean;
}

/**
 * A copy of `st` with `patch` applied and `hint` set (pass `st.hint` to keep it). Every state is built by
 * this one object literal rather than by spreading: generation derives a state per property and item, and
 * spreading objects of varying shapes was the hottest line of synthesis.
 */
export function deriveState(st: GenState, hint: string | undefined, patch: StatePatch): GenState {
  return {
    schemas: st.schemas,
    view: st.view,
    env: st.env,
    rng: patch.rng ?? st.rng,
    refValue: st.refValue,
    useExamples: patch.useExamples ?? st.useExamples,
    maxDepth: st.maxDepth,
    depth: patch.depth ?? st.depth,
    nesting: patch.nesting ?? st.nesting,
    hint,
    budget: st.budget,
  };
}
