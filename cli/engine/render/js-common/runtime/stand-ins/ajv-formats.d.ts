/**
 * `ajv-formats` as the runtime imports it (`import addFormats from 'ajv-formats'`), for this repository's
 * type check only (tsconfig.json maps the bare specifier here). The package is CommonJS and its typings say
 * `exports.default`; under `moduleResolution: NodeNext` TypeScript therefore types the default import as the
 * whole module, which has no call signature. At run time Node's default import is `module.exports`, which is
 * the plugin function itself, and the generated suites (`moduleResolution: Bundler`) type it so.
 */
import type { FormatsPlugin } from 'ajv-formats/dist/index.js';

declare const addFormats: FormatsPlugin;
export default addFormats;
