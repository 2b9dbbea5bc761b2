/**
 * Whether a path parameter names a resource (`/pets/{petId}`: something that must exist) or is a value
 * (`/fibonacci/{n}`, `/convert/{amount}/{currency}`: the operation's input). A valid request whose path
 * parameters are values must succeed; one whose parameter names a resource nothing in the spec creates may
 * meet the declared 404 (the planner accepts it, and asks for a real id with `--path-param`).
 * Judged by the spec: whether an operation creates it, its name, format and description, and whether the
 * path beneath a collection is addressed (`/pets` beside `/pets/{petId}`).
 */
import type { ApiIr, IrOperation, IrParameter } from '../ir/types.ts';
import { resolveSchema } from './resources.ts';

/** Names that identify something: `id`, `petId`, `pet_id`, `uuid`, `userKey`, `team-slug`, `sha`, `ref`. */
const IDENTIFIER_NAME =
  /(^|[^a-z])(id|ids|uuid|guid|key|slug|sha|ref|handle|username|login|owner|repo)$|[a-z0-9](Id|ID|Uuid|Key|Slug)$/;
/** Descriptions that say the parameter identifies something. */
const IDENTIFIER_WORDS =
  /\b(id|ids|identifier|identifies|uuid|unique key|slug|the name of the (?!parameter))\b/i;

/** The path up to (not including) the segment holding `{name}`: `/pets/{petId}` → `/pets`. */
function parentPath(path: string, name: string): string | undefined {
  const at = path.indexOf(`{${name}}`);
  if (at <= 0) return undefined;
  const before = path.slice(0, at);
  // Only a parameter that is a whole segment of its own (`/pets/{petId}`, not `/files/{name}.json`).
  if (!before.endsWith('/')) return undefined;
  return before.slice(0, -1) || undefined;
}

/** True when `param` of `op` names a resource rather than being a plain value of the request. */
export function namesResource(
  ir: ApiIr,
  op: IrOperation,
  param: IrParameter,
  options: { hasProducer: boolean },
): boolean {
  if (options.hasProducer) return true;
  if (IDENTIFIER_NAME.test(param.name)) return true;
  const schema = resolveSchema(ir, param.schema);
  if (schema?.format === 'uuid') return true;
  if (param.description && IDENTIFIER_WORDS.test(param.description)) return true;
  // `/pets/{petId}` beside an operation on `/pets`: an item of a collection.
  const parent = parentPath(op.path, param.name);
  return parent !== undefined && ir.operations.some((other) => other.path === parent);
}
