import { appendPointer, isRecord, refToPointer, resolvePointer } from '../spec/json-pointer.ts';
import type { Diagnostic } from './types.ts';

/** State shared by the IR builders: the document and the diagnostics collected so far. */
export interface BuildContext {
  document: Record<string, unknown>;
  /** `3.0` for 3.0.x and converted Swagger 2.0; `3.1` for 3.1.x. */
  family: '3.0' | '3.1';
  origin: string;
  diagnostics: Diagnostic[];
}

/** Records a warning (or info) with its pointer. */
export function warn(
  ctx: BuildContext,
  diagnostic: { code: string; pointer: string; message: string; severity?: Diagnostic['severity'] },
): void {
  ctx.diagnostics.push({ severity: diagnostic.severity ?? 'warning', ...diagnostic, file: ctx.origin });
}

/** An object found by following `$ref`s, with the pointer where it really lives. */
export interface Located {
  value: Record<string, unknown>;
  pointer: string;
}

/** Most `$ref` hops followed for one object (longer chains are cycles or mistakes). */
const MAX_HOPS = 32;

/**
 * Follows `$ref` chains of a non-schema object (parameter, response, request body, header, example, link,
 * path item, security scheme). `undefined` (with a warning) when a ref is broken, circular or not an object.
 */
export function resolveObject(ctx: BuildContext, value: unknown, pointer: string): Located | undefined {
  let current = value;
  let at = pointer;
  for (let hops = 0; hops <= MAX_HOPS; hops++) {
    if (!isRecord(current)) {
      warn(ctx, { code: 'NOT_AN_OBJECT', pointer: at, message: 'expected an object here; ignored' });
      return undefined;
    }
    if (typeof current.$ref !== 'string') return { value: current, pointer: at };
    const target = refToPointer(current.$ref);
    const resolved = target === undefined ? undefined : resolvePointer(ctx.document, target);
    if (target === undefined || !resolved?.found) {
      warn(ctx, {
        code: 'REF_NOT_FOUND',
        pointer: at,
        message: `$ref '${current.$ref}' cannot be resolved; ignored`,
      });
      return undefined;
    }
    current = resolved.value;
    at = target;
  }
  warn(ctx, { code: 'REF_CYCLE', pointer, message: 'the $ref chain loops; ignored' });
  return undefined;
}

/** Entries of an object-valued field (none when missing or not an object). */
export function entriesOf(value: unknown): Array<[string, unknown]> {
  return isRecord(value) ? Object.entries(value) : [];
}

/** `appendPointer` re-exported for the builders. */
export { appendPointer };
