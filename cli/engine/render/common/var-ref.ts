/**
 * Plan values known only at run time ({@link VarRef}: `{ $var: 'petId' }`), recognised the same way by every
 * renderer.
 */
import type { TestStep, VarRef } from '../../plan/types.ts';

/** True for `{ $var: 'name' }` (exactly that one key, with a string value). */
export function isVarRef(value: unknown): value is VarRef {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === '$var' && typeof (value as VarRef).$var === 'string';
}

/** Whether JSON.stringify would write this property or array item (it leaves these out or writes null). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

/**
 * Whether `JSON.stringify(value)` contains the token `"$var"` — a written `$var` key or the string `$var` —
 * without building the JSON text.
 */
export function mentionsVar(value: unknown): boolean {
  if (typeof value === 'string') return value === '$var';
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(mentionsVar);
  for (const [key, item] of Object.entries(value)) {
    if (isWritten(item) && (key === '$var' || mentionsVar(item))) return true;
  }
  return false;
}

const stepMentions = new WeakMap<TestStep, boolean>();

/**
 * {@link mentionsVar} for a plan step, remembered per step (held weakly, gone with the plan): several
 * renderers ask it about the same steps, whose bodies can be large. A plan is not modified once rendered.
 */
export function stepMentionsVar(step: TestStep): boolean {
  let mentions = stepMentions.get(step);
  if (mentions === undefined) {
    mentions = mentionsVar(step);
    stepMentions.set(step, mentions);
  }
  return mentions;
}
