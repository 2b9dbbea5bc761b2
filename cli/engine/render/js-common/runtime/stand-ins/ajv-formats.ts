/**
 * `ajv-formats` as the runtime imports it (`import addFormats from 'ajv-formats'`), for this repository only:
 * tsconfig.json maps the bare specifier here. The package is CommonJS and its typings say `exports.default`;
 * under `moduleResolution: NodeNext` TypeScript therefore types the default import as the whole module, which
 * has no call signature. At run time Node's default import is `module.exports`, which is the plugin function
 * itself, and the generated suites (`moduleResolution: Bundler`) type it so.
 *
 * A real module rather than a declaration, because tsx (scripts, `npx tsx tests/sut/serve.ts`) honours the
 * same mapping at run time: it loads the package by a path the mapping does not catch.
 */
import { createRequire } from 'node:module';
import type { FormatsPlugin } from 'ajv-formats/dist/index.js';

const addFormats = createRequire(import.meta.url)('ajv-formats/dist/index.js') as FormatsPlugin;
export default addFormats;
