/**
 * Packs the project and installs the tarball into an empty folder without the network, the way a user's
 * `npm install specmint` would lay it out: production dependencies only, at the versions in our lockfile.
 *
 * Why a synthesised lockfile: this repo's package-lock.json omits `resolved` URLs
 * (`omit-lockfile-registry-resolved`), and an empty folder has no lockfile at all, so a plain
 * `npm install <tarball> --offline` needs registry metadata that `npm ci` never cached. Writing a lockfile
 * that lists the tarball plus our locked production packages (with their registry URLs) lets
 * `npm ci --offline` take every package from the local npm cache by integrity.
 */
import { execFile } from 'node:child_process';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A lockfile v3 entry (the fields we read or write). */
interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  name?: string;
  dev?: boolean;
  devOptional?: boolean;
  link?: boolean;
  [key: string]: unknown;
}

/** One file of `npm pack --json`. */
export interface PackedFile {
  path: string;
  size: number;
}

/** Result of {@link packProject}. */
export interface PackResult {
  tarball: string;
  files: PackedFile[];
}

/** `npm pack` of `root` into `destination` (no lifecycle scripts: the caller builds first). */
export async function packProject(root: string, destination: string): Promise<PackResult> {
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--ignore-scripts', '--pack-destination', destination, '--loglevel', 'error'],
    { cwd: root, maxBuffer: 32 * 1024 * 1024 },
  );
  const [result] = JSON.parse(stdout) as Array<{ filename: string; files: PackedFile[] }>;
  if (!result) throw new Error(`npm pack printed no result: ${stdout}`);
  return { tarball: join(destination, basename(result.filename)), files: result.files };
}

function registryUrl(key: string, entry: LockEntry, registry: string): string {
  const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
  const file = name.split('/').pop();
  return `${registry}${name}/-/${file}-${entry.version}.tgz`;
}

/** Options of {@link installTarballOffline}. */
export interface OfflineInstallOptions {
  /** The project whose package.json and package-lock.json describe the tarball. */
  root: string;
  tarball: string;
  /** Empty folder to install into (outside the project, so nothing resolves from its node_modules). */
  dir: string;
  /** @default 'https://registry.npmjs.org/' */
  registry?: string;
}

/** Installs the tarball with its locked production dependencies, offline. Returns npm's output. */
export async function installTarballOffline(options: OfflineInstallOptions): Promise<string> {
  const registry = options.registry ?? 'https://registry.npmjs.org/';
  const pkg = JSON.parse(await readFile(join(options.root, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  const lock = JSON.parse(await readFile(join(options.root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockEntry>;
  };
  const spec = `file:${basename(options.tarball)}`;
  const packages: Record<string, LockEntry> = {
    '': { name: 'specmint-install-check', dependencies: { specmint: spec } },
    'node_modules/specmint': {
      version: String(pkg.version),
      resolved: spec,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      engines: pkg.engines,
      license: pkg.license,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.devOptional || entry.link) continue;
    packages[key] = { ...entry, resolved: entry.resolved ?? registryUrl(key, entry, registry) };
  }
  const manifest = { name: 'specmint-install-check', private: true, dependencies: { specmint: spec } };
  await writeFile(join(options.dir, 'package.json'), JSON.stringify(manifest, null, 2));
  await writeFile(
    join(options.dir, 'package-lock.json'),
    JSON.stringify({ name: manifest.name, lockfileVersion: 3, requires: true, packages }, null, 2),
  );
  await copyFile(options.tarball, join(options.dir, basename(options.tarball)));
  const { stdout, stderr } = await run(
    'npm',
    ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel', 'error', `--registry=${registry}`],
    { cwd: options.dir, maxBuffer: 32 * 1024 * 1024 },
  );
  return `${stdout}${stderr}`;
}
