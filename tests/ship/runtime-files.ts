/**
 * What SpecMint needs at run time, besides production node_modules. The npm package's `files` and the
 * Docker image's runtime stage must both ship exactly these (tests/ship/pack.test.ts, docker.test.ts).
 */

/**
 * Paths (files or folders, package-relative) the built CLI and server read when they run:
 * the launchers, the bundles, the SQL migrations `specmint-server migrate|start` applies, and the
 * JSON schema `specmint init` references.
 */
export const RUNTIME_PATHS = [
  'bin',
  'dist',
  'server/db/migrations',
  'cli/config/specmint.config.schema.json',
] as const;

/** Files that must be in the packed tarball (one per runtime path, plus what every package has). */
export const REQUIRED_PACKED_FILES = [
  'package.json',
  'bin/specmint',
  'bin/specmint-server',
  'dist/cli.js',
  // The render helper thread the CLI starts on large runs (cli/engine/render/render-helper.ts).
  'dist/render-thread.js',
  'dist/server.js',
  'server/db/migrations/meta/_journal.json',
  'cli/config/specmint.config.schema.json',
] as const;

/**
 * Prefixes that must not be packed: sources that are bundled into dist/, tests and their data, CI and
 * deploy config, local state.
 */
export const FORBIDDEN_PACKED_PREFIXES = [
  'tests/',
  'scripts/',
  'docs/',
  '.github/',
  '.ci/',
  '.specmint/',
  'node_modules/',
  'shared/',
  'Dockerfile',
  'fly.toml',
  'biome.json',
  'tsconfig.json',
  'vitest.config.ts',
  'drizzle.config.ts',
] as const;

/** True for TypeScript sources under cli/ or server/ (bundled into dist/, so never packed). */
export function isBundledSource(path: string): boolean {
  return /^(cli|server|shared)\/.*\.tsx?$/.test(path);
}
