/**
 * The fixed parts of the generated k6 script, kept as files in runtime/: settings.js (configuration from env
 * vars, placed after the imports) and helpers.js (request building, credentials and the checks run on every
 * response, placed after the data tables). They are fragments of one script: they use names the script
 * declares around them (the k6 imports, SECURITY_SCHEMES, OPERATIONS) and leave their own for it to use, so
 * biome.json does not report unused names there. runtime/tsconfig.json type-checks them (JSDoc types, k6's own
 * typings, the script's globals in runtime/stand-ins/) against ES2017, which k6 runs.
 * @see https://grafana.com/docs/k6/latest/javascript-api/
 */
import { readRuntimeFile } from '../common/runtime-file.ts';

/** Top of the script after the imports: settings read from `__ENV`. */
export const SETTINGS = readRuntimeFile(import.meta.url, './runtime/settings.js').trimEnd();

/** Helper functions after the data tables. */
export const HELPERS = readRuntimeFile(import.meta.url, './runtime/helpers.js').trimEnd();
