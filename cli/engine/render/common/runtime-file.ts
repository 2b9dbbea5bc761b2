/**
 * Runtime files: the code a generated suite ships besides its per-spec files (the Python runtime, the JS
 * runtime, the k6 helpers, the Postman checks). Each is a real file in `render/<format>/runtime/`, linted,
 * type-checked and unit-tested as what it is, and read by its renderer's module when that module loads, never
 * while rendering (renderers do no I/O).
 *
 * From source (vitest, tsx) {@link readRuntimeFile} reads the file. The bundle in dist/ reads nothing:
 * scripts/build.mjs replaces every `readRuntimeFile(import.meta.url, '<relative path>')` call with the file's
 * text. Call it only in that form (a string literal path), so the build can see which file is meant.
 */
import { readFileSync } from 'node:fs';

/**
 * The text of a runtime file, `path` relative to the calling module (pass `import.meta.url`).
 * @example readRuntimeFile(import.meta.url, './runtime/specmint_runtime.py')
 */
export function readRuntimeFile(moduleUrl: string, path: string): string {
  return readFileSync(new URL(path, moduleUrl), 'utf8');
}
