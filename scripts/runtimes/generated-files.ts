/** The runtime files made from other runtime files, and how (scripts/runtimes.ts writes them). */
import { fileURLToPath } from 'node:url';
import { typeScriptRuntime } from '../../cli/engine/render/js-common/runtime-text.ts';
import { stripTypes } from './strip-types.ts';

/** One generated file: repository path and the contents it must have. */
export interface GeneratedFile {
  path: string;
  contents: string;
}

/** Every generated runtime file, made from the current sources. */
export function generatedRuntimeFiles(): GeneratedFile[] {
  return [
    {
      path: fileURLToPath(
        new URL('../../cli/engine/render/js-common/runtime/specmint.runtime.generated.js', import.meta.url),
      ),
      contents: stripTypes(typeScriptRuntime('fetch'), { commonJs: true }),
    },
  ];
}
