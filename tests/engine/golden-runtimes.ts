/**
 * Runtime texts in the golden tree are kept once, under tests/golden/_runtime/<format>/, not in every fixture's
 * folder: they are the same for every spec. A runtime file (specmint_runtime.py, specmint.runtime.ts/.js) is
 * compared there whole; a runtime embedded in a per-spec file (the Postman collection's scripts) is compared there
 * and replaced, in the per-spec golden, by one marker line.
 */

import {
  COLLECTION_PREREQUEST_RUNTIME,
  COLLECTION_TEST_RUNTIME,
} from '../../cli/engine/render/postman/collection-script.ts';
import type { Format } from '../../shared/plans.ts';

/** Golden folder of the runtimes, relative to tests/golden/. */
export const RUNTIME_GOLDEN_DIR = '_runtime';

/** Files that are runtimes, by format. */
const RUNTIME_FILES: Partial<Record<Format, readonly string[]>> = {
  pytest: ['specmint_runtime.py', 'specmint_values.py', 'specmint_report.py'],
  vitest: ['specmint.runtime.ts'],
  playwright: ['specmint.runtime.ts'],
  jest: ['specmint.runtime.js'],
  postman: ['specmint-run.mjs'],
  k6: [
    'specmint-compare.js',
    'specmint-failure.js',
    'specmint-runtime.js',
    'specmint-summary.js',
    'hooks.js',
  ],
};

/** Runtime texts embedded in per-spec files: the file they sit in, their golden name, their text. */
const EMBEDDED: Partial<
  Record<Format, ReadonlyArray<{ file: RegExp; name: string; text: string; json: boolean }>>
> = {
  postman: [
    {
      file: /\.postman_collection\.json$/,
      name: 'collection-test.js',
      text: COLLECTION_TEST_RUNTIME,
      json: true,
    },
    {
      file: /\.postman_collection\.json$/,
      name: 'collection-prerequest.js',
      text: COLLECTION_PREREQUEST_RUNTIME,
      json: true,
    },
  ],
};

/** A generated file split into its per-spec golden text and the runtime texts it holds. */
export interface GoldenParts {
  /** What the per-spec golden holds; undefined when the whole file is a runtime. */
  perSpec: string | undefined;
  /** Runtime texts, by their golden file name under `_runtime/<format>/`. */
  runtimes: Array<{ name: string; contents: string }>;
}

function marker(format: Format, name: string): string {
  return `// [runtime: tests/golden/${RUNTIME_GOLDEN_DIR}/${format}/${name}]`;
}

/** The text with `runtime` (which must occur exactly once) replaced by `replacement`. */
function replaceOnce(path: string, contents: string, runtime: string, replacement: string): string {
  const at = contents.indexOf(runtime);
  if (at < 0 || contents.indexOf(runtime, at + 1) >= 0) {
    throw new Error(`${path}: the runtime text must occur exactly once (found ${at < 0 ? 'none' : 'more'})`);
  }
  return contents.slice(0, at) + replacement + contents.slice(at + runtime.length);
}

/** Splits a generated file (`path` relative to the format's folder) into golden parts. */
export function goldenParts(format: Format, path: string, contents: string): GoldenParts {
  if (RUNTIME_FILES[format]?.includes(path))
    return { perSpec: undefined, runtimes: [{ name: path, contents }] };
  let perSpec = contents;
  const runtimes: GoldenParts['runtimes'] = [];
  for (const embedded of EMBEDDED[format] ?? []) {
    if (!embedded.file.test(path)) continue;
    if (embedded.json) {
      // Script lines in a pretty-printed collection: one JSON string per line, all at one indentation.
      const lines = embedded.text.split('\n').map((line) => JSON.stringify(line));
      const indent = new RegExp(`\\n( *)${escapeRegExp(lines[0]!)}`).exec(perSpec)?.[1] ?? '';
      perSpec = replaceOnce(
        path,
        perSpec,
        lines.join(`,\n${indent}`),
        JSON.stringify(marker(format, embedded.name)),
      );
    } else {
      perSpec = replaceOnce(path, perSpec, embedded.text, marker(format, embedded.name));
    }
    runtimes.push({ name: embedded.name, contents: `${embedded.text}\n` });
  }
  return { perSpec, runtimes };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
