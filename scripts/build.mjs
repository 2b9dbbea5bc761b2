// Bundles the CLI and the server into dist/ so `specmint --help` starts without compiling TypeScript. The CLI
// bundles its pure-JavaScript dependencies too (see CLI_EXTERNAL); the server loads its own from node_modules.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { embedRuntimeFiles } from './embed-runtime-files.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Dependencies the CLI leaves out of its bundle: a native module, and the packages only some specs or commands
 * load, lazily (the YAML parser, the multi-file bundler and Ajv, the Swagger 2.0 converter, the proxy-aware
 * HTTP client, the AI providers), which stay in node_modules rather than bloat dist/ (and
 * tests/e2e/cli-lazy-modules.test.ts sees them load only when needed). Everything else the CLI imports on
 * every run is bundled: loading zod, jose, commander, chalk, ora… as some two hundred separate files from
 * node_modules took a quarter of `specmint generate`'s start-up.
 */
const CLI_EXTERNAL = [
  '@napi-rs/keyring',
  'yaml',
  '@apidevtools/swagger-parser',
  'swagger2openapi',
  'ajv',
  'ajv-formats',
  'undici',
  'openai',
  '@anthropic-ai/sdk',
];

const common = {
  outdir: 'dist',
  bundle: true,
  // Code splitting keeps each command's imports (undici, the engine, inquirer…) in its own chunk, loaded only
  // when that command runs: a single bundle hoists every import to the top and `--help` would load them all.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  define: { __SPECMINT_VERSION__: JSON.stringify(pkg.version) },
  logLevel: 'warning',
  metafile: true,
  plugins: [embedRuntimeFiles],
};

const builds = [];
if (existsSync('cli/main.ts')) {
  builds.push(
    build({
      ...common,
      // The render helper thread (cli/engine/render/render-helper.ts) is an entry of the same build, so it
      // shares the renderers' chunks with the CLI.
      entryPoints: [
        { in: 'cli/main.ts', out: 'cli' },
        { in: 'cli/engine/render/render-thread.ts', out: 'render-thread' },
      ],
      external: CLI_EXTERNAL,
      // Bundled CommonJS packages (ajv, swagger-parser…) call require() for Node's own modules.
      banner: {
        js: "import { createRequire as __specmintCreateRequire } from 'node:module'; const require = __specmintCreateRequire(import.meta.url);",
      },
    }),
  );
}
if (existsSync('server/main.ts')) {
  // The server keeps every dependency external: PGlite's WebAssembly, Sentry's instrumentation and the rest
  // expect to be loaded from their packages.
  builds.push(
    build({ ...common, entryPoints: [{ in: 'server/main.ts', out: 'server' }], packages: 'external' }),
  );
}
const results = await Promise.all(builds);
const result = { metafile: { outputs: Object.assign({}, ...results.map((r) => r.metafile.outputs)) } };

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
