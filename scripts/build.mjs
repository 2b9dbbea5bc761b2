// Bundles the CLI and the server into dist/ so `specmint --help` starts without compiling TypeScript.
// Dependencies stay external (they are installed next to the package); only our own code is bundled.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { embedRuntimeFiles } from './embed-runtime-files.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entries = [
  { in: 'cli/main.ts', out: 'cli' },
  { in: 'server/main.ts', out: 'server' },
].filter((entry) => existsSync(entry.in));

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

// The config file's JSON Schema is derived from the formats and their options (cli/config/config-schema.ts):
// written here, so it can never drift from the code, and shipped beside the CLI for editors.
const schemaModule = await build({
  entryPoints: ['cli/config/config-schema.ts'],
  bundle: true,
  write: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
});
const { configSchemaText } = await import(
  `data:text/javascript;base64,${Buffer.from(schemaModule.outputFiles[0].text).toString('base64')}`
);
const schemaPath = 'cli/config/specmint.config.schema.json';
const schemaText = configSchemaText();
if (!existsSync(schemaPath) || readFileSync(schemaPath, 'utf8') !== schemaText)
  writeFileSync(schemaPath, schemaText);
