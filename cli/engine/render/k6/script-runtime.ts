/**
 * The k6 runtime, kept as files in runtime/ and shipped beside the generated script: specmint-runtime.js (an ES
 * module load-test.js imports: requests, the named checks, the end-of-test summary and reports) and hooks.js (the
 * user's hooks, written once). runtime/tsconfig.json type-checks them (JSDoc types, k6's own typings) against
 * ES2017, which k6 runs.
 * @see https://grafana.com/docs/k6/latest/javascript-api/
 */
import { readRuntimeFile } from '../common/runtime-file.ts';

/** The runtime module (`specmint-runtime.js`). */
export const K6_RUNTIME = readRuntimeFile(import.meta.url, './runtime/specmint-runtime.js');

/** The hooks file as first written (`hooks.js`). */
export const K6_HOOKS = readRuntimeFile(import.meta.url, './runtime/hooks.js');
