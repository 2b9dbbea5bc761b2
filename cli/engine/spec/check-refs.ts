import type { Diagnostic } from '../ir/types.ts';
import type { RefSite } from './collect-refs.ts';
import { refToPointer, resolvePointer } from './json-pointer.ts';

/** True for refs that point outside the document (another file or URL). */
export function isExternalRef(ref: string): boolean {
  return !ref.startsWith('#');
}

/**
 * Checks that every internal `$ref` resolves. A broken ref is an error naming the ref, where it is, and the
 * first missing part. Anchor refs (`#name`, 3.1 `$anchor`) are not supported and reported as errors too.
 */
export function checkInternalRefs(document: unknown, sites: readonly RefSite[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const cache = new Map<string, string | null>();
  for (const site of sites) {
    if (isExternalRef(site.ref)) continue;
    let problem = cache.get(site.ref);
    if (problem === undefined) {
      problem = refProblem(document, site.ref);
      cache.set(site.ref, problem);
    }
    if (problem !== null) {
      diagnostics.push({ severity: 'error', code: 'REF_NOT_FOUND', message: problem, pointer: site.pointer });
    }
  }
  return diagnostics;
}

function refProblem(document: unknown, ref: string): string | null {
  const pointer = refToPointer(ref);
  if (pointer === undefined)
    return `$ref '${ref}' is not a JSON pointer (anchors like #name are not supported)`;
  const resolved = resolvePointer(document, pointer);
  if (resolved.found) return null;
  return `$ref '${ref}' points to nothing: there is no '${resolved.missingToken}' in this document`;
}
