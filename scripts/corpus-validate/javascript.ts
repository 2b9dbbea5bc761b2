/**
 * Parse checks for the JavaScript outputs. k6: every script parses as an ES module and imports nothing k6
 * cannot load: esbuild bundles it with `k6`, `k6/*` and remote URLs kept external, so a syntax error, a bare npm
 * import or a missing local file fails (Node cannot load `k6/*` imports and `vm.SourceTextModule` needs
 * a flag). jest: every `.js` file compiles in V8 as a
 * CommonJS module body, the way Node loads it; the type check with tsc is in `type-check.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { type BuildFailure, build, type Plugin } from 'esbuild';
import { type CheckResult, failed, PASSED } from './checks.ts';
import { listFiles } from './files.ts';

/** Modules k6 provides or fetches itself; anything else not relative would have to come from node_modules. */
const K6_MODULE = /^(k6(\/.*)?|https?:\/\/.*)$/;

/** Keeps k6's own modules and URLs external and fails on bare imports (k6 has no node_modules). */
const k6Imports: Plugin = {
  name: 'k6-imports',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) =>
      K6_MODULE.test(args.path)
        ? { path: args.path, external: true }
        : { errors: [{ text: `k6 cannot load "${args.path}" (only k6/*, remote URLs and local files)` }] },
    );
  },
};

/** Parses every `.js` file of the k6 output in `dir` as an ES module whose imports k6 can load. */
export async function checkK6(dir: string): Promise<CheckResult> {
  const files = listFiles(dir, ['.js']);
  if (files.length === 0) return failed('no .js files');
  for (const file of files) {
    try {
      await build({
        entryPoints: [join(dir, file)],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        plugins: [k6Imports],
        logLevel: 'silent',
      });
    } catch (error) {
      const first = (error as Partial<BuildFailure>).errors?.[0];
      if (!first) return failed((error as Error).message, file);
      const where = first.location ? `${file}:${first.location.line}:${first.location.column}` : file;
      return failed(first.text, where);
    }
  }
  return PASSED;
}

/** Node's CommonJS wrapper (what `Module.wrap` produces). */
const CJS_PARAMS = 'exports, require, module, __filename, __dirname';

/** Compiles every `.js` file of the jest suite in `dir` as Node would load it (CommonJS). */
export function checkJestParse(dir: string): CheckResult {
  const files = listFiles(dir, ['.js']);
  if (files.length === 0) return failed('no .js files');
  for (const file of files) {
    const source = readFileSync(join(dir, file), 'utf8');
    try {
      new Script(`(function (${CJS_PARAMS}) {${source}\n})`, { filename: file });
    } catch (error) {
      return failed((error as Error).message, file);
    }
  }
  return PASSED;
}
