/**
 * What is already in a format folder, sorted by who owns it. SpecMint owns exactly the files its manifest
 * (`.specmint.json`) lists for the format; everything else is the user's: files they added (a `conftest.py`,
 * a test of their own), folders such as `node_modules/` or `.venv/`, reports a run wrote, and the format's
 * hooks file (`once`), which SpecMint creates when absent but never lists as its own. Regeneration carries
 * the user's entries into the new folder (carry-entries.ts) and `--check` lists them as not managed.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** What an entry on disk is (symlinks are not followed). */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

/** An entry of an output folder. */
export interface FolderEntry {
  /** Relative to the output root, `/`-separated (`pytest/tests/test_pets.py`), as the manifest writes it. */
  path: string;
  kind: EntryKind;
}

/** Who owns which paths of one format folder, for the generation at hand (paths as in {@link FolderEntry}). */
export interface Ownership {
  /** Files the last generation wrote: the manifest's list for the format. */
  owned: ReadonlySet<string>;
  /** Files this generation writes and owns (not the `once` ones). */
  generated: ReadonlySet<string>;
  /** Files the format creates once (hooks): the user's whenever they exist. */
  once: ReadonlySet<string>;
  /**
   * Files the new folder will hold (generated, and `once` files written because they were absent): their
   * parent folders must be folders. @default generated
   */
  staged?: ReadonlySet<string>;
}

/** The entries of a format folder on disk, by what happens to them. */
export interface SortedFolder {
  /**
   * The user's: files, symlinks, and whole folders that hold nothing SpecMint writes or wrote (such a folder
   * is one entry, its contents not listed). Carried into the new folder unchanged.
   */
  user: FolderEntry[];
  /**
   * Entries SpecMint did not write, in the way of this generation: at a path it writes a file to
   * (`atFile`), or where it needs a folder. Owned entries in the way are simply replaced and not listed.
   */
  clashes: Array<FolderEntry & { atFile: boolean }>;
  /** SpecMint's files (per the manifest) that this generation no longer writes: dropped. */
  stale: FolderEntry[];
}

/** The folders that hold `paths` (`a/b/c.txt` → `a`, `a/b`). */
export function parentFolders(paths: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
      folders.add(path.slice(0, slash));
    }
  }
  return folders;
}

/** The file-system path of an output-relative `/` path. */
export function diskPath(outDir: string, path: string): string {
  return join(outDir, ...path.split('/'));
}

/** The kind of a directory entry or `lstat` result. */
export function kindOf(entry: Pick<Dirent, 'isDirectory' | 'isFile' | 'isSymbolicLink'>): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'dir';
  return entry.isFile() ? 'file' : 'other';
}

/** The kind of the entry at `path` (not following a symlink), or `undefined` when there is none. */
export async function entryKind(path: string): Promise<EntryKind | undefined> {
  const info = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
    throw error;
  });
  return info ? kindOf(info) : undefined;
}

/**
 * Sorts what is in `<outDir>/<format>` (see {@link SortedFolder}). Only folders that hold a path SpecMint
 * writes or wrote are walked into, so a `node_modules/` costs one `readdir` of its parent.
 */
export async function sortFolder(
  outDir: string,
  format: string,
  ownership: Ownership,
): Promise<SortedFolder> {
  const { owned, generated, once } = ownership;
  const walked = parentFolders([...owned, ...generated, ...once]);
  const needed = parentFolders(ownership.staged ?? generated);
  const sorted: SortedFolder = { user: [], clashes: [], stale: [] };

  const visit = async (entry: FolderEntry): Promise<void> => {
    const { path, kind } = entry;
    if (kind === 'dir' && !generated.has(path)) {
      if (!walked.has(path)) {
        sorted.user.push(entry);
        return;
      }
      const children = await readdir(diskPath(outDir, path), { withFileTypes: true });
      children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const child of children) await visit({ path: `${path}/${child.name}`, kind: kindOf(child) });
      return;
    }
    if (generated.has(path) || needed.has(path)) {
      if (!owned.has(path)) sorted.clashes.push({ ...entry, atFile: generated.has(path) });
    } else if (once.has(path)) sorted.user.push(entry);
    else if (owned.has(path)) sorted.stale.push(entry);
    else sorted.user.push(entry);
  };

  const kind = await entryKind(join(outDir, format));
  if (kind) await visit({ path: format, kind });
  return sorted;
}

/**
 * Whether a `once` file can be created at `path`: nothing is there, and nothing but real folders is on the
 * way to it (a user's file or symlink where its folder would be means the spot is the user's).
 */
export async function isFreeForOnce(outDir: string, path: string): Promise<boolean> {
  const parts = path.split('/');
  for (let index = 1; index <= parts.length; index += 1) {
    const kind = await entryKind(join(outDir, ...parts.slice(0, index)));
    if (kind === undefined) return true;
    if (index < parts.length && kind !== 'dir') return false;
  }
  return false;
}
