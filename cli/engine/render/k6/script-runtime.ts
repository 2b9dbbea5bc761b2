/**
 * The k6 runtime, kept as files in runtime/ and shipped beside the generated script: specmint-runtime.js (the ES
 * module load-test.js imports: requests and the named checks) with the modules it imports, specmint-compare.js
 * (statuses, media types, JSON Schema, values), specmint-failure.js (a failure's text) and specmint-summary.js
 * (the end-of-test summary and reports); and hooks.js (the user's hooks, written once). runtime/tsconfig.json type-checks them (JSDoc types, k6's own typings) against
 * ES2017, which k6 runs.
 * @see https://grafana.com/docs/k6/latest/javascript-api/
 */
import { readRuntimeFile } from '../common/runtime-file.ts';

/** The runtime modules, by file name, in the order they are written. */
export const K6_RUNTIME_FILES: ReadonlyArray<{ path: string; text: string }> = [
  { path: 'specmint-compare.js', text: readRuntimeFile(import.meta.url, './runtime/specmint-compare.js') },
  { path: 'specmint-failure.js', text: readRuntimeFile(import.meta.url, './runtime/specmint-failure.js') },
  { path: 'specmint-runtime.js', text: readRuntimeFile(import.meta.url, './runtime/specmint-runtime.js') },
  { path: 'specmint-summary.js', text: readRuntimeFile(import.meta.url, './runtime/specmint-summary.js') },
];

/** The hooks file as first written (`hooks.js`). */
export const K6_HOOKS = readRuntimeFile(import.meta.url, './runtime/hooks.js');
