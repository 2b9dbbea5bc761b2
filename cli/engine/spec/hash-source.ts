/**
 * The spec hash worked out from the file's bytes rather than the loaded document: what the render helper
 * thread computes while the main thread plans (render/render-helper.ts). Only for a spec whose document is
 * exactly the parse of its bytes (`LoadedSpec.sourceBytes`), where it equals `LoadedSpec.specHash`: parsed
 * and decoded by the same functions, hashed by the same canonical JSON.
 */
import { canonicalHash } from './canonical-hash.ts';
import { parseText } from './parse-text.ts';
import { decodeText } from './read-source.ts';

/** The hex sha256 of the canonical JSON of what `bytes` parse to. */
export function hashSourceBytes(bytes: Uint8Array, origin: string): string {
  return canonicalHash(parseText(decodeText(bytes), origin).value);
}
