/**
 * `specmint_runtime.py`: the helper module every generated pytest suite imports. It builds requests, applies
 * credentials, checks responses against the contract and carries captured values between steps. The Python
 * lives in runtime/specmint_runtime.py (tested by tests/render/pytest/runtime/); this adds the header line.
 */
import { readRuntimeFile } from '../common/runtime-file.ts';

const RUNTIME_PY = readRuntimeFile(import.meta.url, './runtime/specmint_runtime.py');

/** The contents of `specmint_runtime.py`; `headerComment` is the generated-by line as Python comments. */
export function renderRuntimePy(headerComment: string): string {
  return `${headerComment}\n${RUNTIME_PY}`;
}
