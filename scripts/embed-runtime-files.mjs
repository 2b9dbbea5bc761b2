// The esbuild plugin that embeds the renderers' runtime files in the bundle (scripts/build.mjs uses it;
// tests/scripts/embed-runtime-files.test.ts bundles the renderers with it and compares their output).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** `readRuntimeFile(import.meta.url, './runtime/…')` (cli/engine/render/common/runtime-file.ts), path captured. */
const RUNTIME_FILE_CALL = /\breadRuntimeFile\(\s*import\.meta\.url\s*,\s*'([^'\\]+)'\s*,?\s*\)/g;

/**
 * Embeds the renderers' runtime files (render/<format>/runtime/…) in the bundle: each
 * `readRuntimeFile(import.meta.url, '<path>')` call becomes the file's text as a string literal, so dist/ reads no
 * file and ships none. From source the same call reads the file, so vitest and tsx see edits at once.
 */
export const embedRuntimeFiles = {
  name: 'embed-runtime-files',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]cli[\\/]engine[\\/]render[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\breadRuntimeFile\(/.test(source) || /[\\/]common[\\/]runtime-file\.ts$/.test(args.path))
        return undefined;
      const watchFiles = [];
      const contents = source.replace(RUNTIME_FILE_CALL, (_call, path) => {
        const file = resolve(dirname(args.path), path);
        watchFiles.push(file);
        return JSON.stringify(readFileSync(file, 'utf8'));
      });
      if (/\breadRuntimeFile\(/.test(contents)) {
        throw new Error(
          `${args.path}: call readRuntimeFile(import.meta.url, '<relative path>') with a literal path`,
        );
      }
      return { contents, loader: 'ts', watchFiles };
    });
  },
};
