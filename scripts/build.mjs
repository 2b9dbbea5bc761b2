// Bundles the CLI and the server into dist/ so `specmint --help` starts without compiling TypeScript.
// Dependencies stay external (they are installed next to the package); only our own code is bundled.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entries = [
  { in: 'cli/main.ts', out: 'cli' },
  { in: 'server/main.ts', out: 'server' },
].filter((entry) => existsSync(entry.in));

// Start from an empty dist/: chunk names carry content hashes, so old chunks would otherwise pile up (and ship).
rmSync('dist', { recursive: true, force: true });

await build({
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
});
