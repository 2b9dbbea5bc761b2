/**
 * The runtime every generated pytest suite imports: `specmint_runtime.py` (requests and the named checks, and the
 * names tests, conftest.py and hooks.py use), `specmint_values.py` (what a step sends, schemas, comparisons) and
 * `specmint_report.py` (failure text, the run's record, hooks, the pytest glue). The Python lives in runtime/
 * (tested by tests/render/pytest/runtime/); this adds the header lines.
 */
import { readRuntimeFile } from '../common/runtime-file.ts';
import type { RenderedFile } from '../types.ts';

const RUNTIME_FILES: ReadonlyArray<readonly [path: string, text: string]> = [
  ['specmint_runtime.py', readRuntimeFile(import.meta.url, './runtime/specmint_runtime.py')],
  ['specmint_values.py', readRuntimeFile(import.meta.url, './runtime/specmint_values.py')],
  ['specmint_report.py', readRuntimeFile(import.meta.url, './runtime/specmint_report.py')],
];

/** The runtime's files; `headerComment` is the generated-by line as Python comments. */
export function renderRuntimeFiles(headerComment: string): RenderedFile[] {
  return RUNTIME_FILES.map(([path, text]) => ({ path, contents: `${headerComment}\n${text}` }));
}
