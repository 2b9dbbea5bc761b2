/**
 * A fresh embedded data dir is the slowest part of `specmint-server start`: PGlite runs initdb, about
 * 85% of the start-up (`npm run bench:start`). Every fresh data dir on a machine gets the same files —
 * an initialised cluster with the committed migrations applied — so the first one is kept, cleanly shut
 * down, in the user's cache (`~/.cache/specmint/pglite/<key>`, mode 0700), and later fresh data dirs
 * start as a copy of it: as fast as reopening an existing database. The key is the PGlite version and
 * a hash of the migrations, so a template is never used with another engine or schema. A template holds
 * no secrets and no accounts (it is saved before the server answers any request).
 */
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The file PostgreSQL (and PGlite, to skip initdb) finds in an initialised data dir. */
const CLUSTER_MARKER = 'PG_VERSION';

/** The per-user cache folder for templates. */
export function defaultTemplateCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : (env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
  return join(base, 'specmint', 'pglite');
}

function pgliteVersion(): string {
  const require = createRequire(import.meta.url);
  // The package's exports hide package.json: read it next to the resolved entry (dist/index.*).
  const entry = require.resolve('@electric-sql/pglite');
  const manifest = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version?: string;
  };
  return manifest.version ?? 'unknown';
}

/** `<pglite version>-<hash of every migration file>`: what a template was made with. */
export function templateKey(migrationsFolder: string): string {
  const hash = createHash('sha256');
  const files = readdirSync(migrationsFolder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files) hash.update(file.slice(migrationsFolder.length)).update(readFileSync(file));
  return `${pgliteVersion()}-${hash.digest('hex').slice(0, 16)}`;
}

/** Whether `pgdataDir` holds no cluster yet (PGlite would run initdb). */
export function isFreshPgdata(pgdataDir: string): boolean {
  return !existsSync(join(pgdataDir, CLUSTER_MARKER));
}

/** Where a template lives, and whether to use one at all. */
export interface PgliteTemplate {
  cacheDir: string;
  key: string;
}

/**
 * Copies the template into a fresh `pgdataDir`; false when there is none (or the dir is not fresh). A
 * half-copied dir is removed, so PGlite then initialises it as usual.
 */
export function seedFromTemplate(pgdataDir: string, template: PgliteTemplate): boolean {
  const source = join(template.cacheDir, template.key);
  if (!isFreshPgdata(pgdataDir) || !existsSync(join(source, CLUSTER_MARKER))) return false;
  try {
    mkdirSync(pgdataDir, { recursive: true });
    cpSync(source, pgdataDir, { recursive: true, force: false, errorOnExist: false });
    return true;
  } catch {
    rmSync(pgdataDir, { recursive: true, force: true });
    return false;
  }
}

/** Templates (and abandoned staging copies) of other keys untouched for this long are removed. */
const STALE_MS = 7 * 24 * 60 * 60 * 1000;

function dropStale(template: PgliteTemplate): void {
  for (const name of readdirSync(template.cacheDir)) {
    const path = join(template.cacheDir, name);
    if (name !== template.key && Date.now() - statSync(path).mtimeMs > STALE_MS) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

/**
 * Keeps a copy of `pgdataDir` — closed cleanly, just initialised and migrated — as the template, and
 * drops templates of other keys unused for a week. Best effort: a failure only means the next fresh start runs initdb.
 */
export function saveTemplate(pgdataDir: string, template: PgliteTemplate): boolean {
  const target = join(template.cacheDir, template.key);
  if (existsSync(target)) return false;
  const staging = `${target}.${process.pid}.tmp`;
  try {
    mkdirSync(template.cacheDir, { recursive: true, mode: 0o700 });
    cpSync(pgdataDir, staging, { recursive: true });
    renameSync(staging, target); // atomic: another process sees the whole template or none
    dropStale(template);
    return true;
  } catch {
    rmSync(staging, { recursive: true, force: true });
    return false;
  }
}
