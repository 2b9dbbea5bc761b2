// Bundles the CLI and the server into dist/ so `specmint --help` starts without compiling TypeScript.
// Dependencies stay external (they are installed next to the package); only our own code is bundled.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entries = [
  { in: 'cli/main.ts', out: 'cli' },
  { in: 'server/main.ts', out: 'server' },
].filter((entry) => existsSync(entry.in));

/** `readRuntimeFile(import.meta.url, './runtime/…')` (cli/engine/render/common/runtime-file.ts), path captured. */
const RUNTIME_FILE_CALL = /\breadRuntimeFile\(\s*import\.meta\.url\s*,\s*'([^'\\]+)'\s*,?\s*\)/g;

/**
 * Embeds the renderers' runtime files (render/<format>/runtime/…) in the bundle: each
 * `readRuntimeFile(import.meta.url, '<path>')` call becomes the file's text as a string literal, so dist/ reads no
 * file and ships none. From source the same call reads the file, so vitest and tsx see edits at once.
 */
const embedRuntimeFiles = {
  name: 'embed-runtime-files',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /[\\/]cli[\\/]engine[\\/]render[\\/].*\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (!/\breadRuntimeFile\(/.test(source) || args.path.endsWith('runtime-file.ts')) return undefined;
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

const result = await build({
  entryPoints: entries,
  outdir: 'dist',
  bundle: true,
  // Code splitting keeps each command's imports (undici, the engine, inquirer…) in its own chunk, loaded only
  // when that command runs: a single bundle hoists every import to the top and `--help` would load them all.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  define: { __SPECMINT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  metafile: true,
  plugins: [embedRuntimeFiles],
});

// Chunk names carry content hashes, so chunks of earlier builds would pile up in dist/ (and ship): drop every
// file this build did not write. Files are overwritten in place rather than dist/ being emptied first, so a
// CLI or server already running from dist/ (tests build while others run) never finds it missing.
const written = new Set(Object.keys(result.metafile.outputs).map((path) => resolve(path)));
for (const entry of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  const path = resolve(join(entry.parentPath ?? entry.path, entry.name));
  if (entry.isFile() && !written.has(path)) rmSync(path);
}
