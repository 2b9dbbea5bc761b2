import { type BuildContext, warn } from './context.ts';
import { deriveOperationId, sanitizeIdentifier, uniqueName } from './naming.ts';
import type { HttpMethod } from './types.ts';

/** What id assignment needs to know about an operation. */
export interface IdSource {
  method: HttpMethod;
  path: string;
  operationId?: string;
  pointer: string;
}

/**
 * Stable unique ids for operations, in the same order. First every `operationId` (sanitised to letters,
 * digits and `_`) in document order — a repeated one warns and gets `_2`, `_3`…; then operations without one
 * get `<method>_<path>` (de-duplicated the same way), so a derived id never takes a real operationId's name.
 */
export function assignOperationIds(ctx: BuildContext, operations: readonly IdSource[]): string[] {
  const ids: string[] = new Array(operations.length);
  const taken = new Set<string>();
  const seenRaw = new Map<string, string>();
  operations.forEach((op, i) => {
    if (op.operationId === undefined) return;
    const base = sanitizeIdentifier(op.operationId);
    if (base === '') return;
    const first = seenRaw.get(op.operationId);
    if (first !== undefined) {
      warn(ctx, {
        code: 'DUPLICATE_OPERATION_ID',
        pointer: `${op.pointer}/operationId`,
        message: `operationId '${op.operationId}' is also used at ${first}; operationIds must be unique`,
      });
    } else seenRaw.set(op.operationId, op.pointer);
    ids[i] = uniqueName(base, taken);
  });
  operations.forEach((op, i) => {
    if (ids[i] === undefined) ids[i] = uniqueName(deriveOperationId(op.method, op.path), taken);
  });
  return ids;
}
