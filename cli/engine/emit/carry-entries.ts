/**
 * Carries the user's entries of a format folder into the folder that replaces it, before the swap: each file
 * is hard-linked (the same file, not a copy: byte-identical by construction, and instant even for a
 * `node_modules/`), or copied where the file system refuses a link; symlinks are recreated as symlinks.
 * Nothing is moved or deleted here, so a run killed at any point leaves the user's files where they were.
 */
import { constants } from 'node:fs';
import { copyFile, link, mkdir, readdir, readlink, stat, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { diskPath, type FolderEntry, kindOf } from './folder-entries.ts';

/** Error codes of a hard link the file system does not allow (another device, no links, too many, or the
 * kernel's protected_hardlinks for a file the user does not own): the file is copied instead. */
const LINK_REFUSED = new Set(['EXDEV', 'EPERM', 'EACCES', 'EMLINK', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

async function carryFile(from: string, to: string, kind: FolderEntry['kind']): Promise<void> {
  if (kind === 'symlink') {
    const target = await readlink(from);
    // Windows needs to know whether a link points at a folder; elsewhere the type is ignored.
    const isDir = await stat(from).then(
      (info) => info.isDirectory(),
      () => false,
    );
    await symlink(target, to, isDir ? 'dir' : 'file');
    return;
  }
  try {
    await link(from, to);
  } catch (error) {
    // A socket or FIFO cannot be copied: one that cannot be linked is left behind (whatever made it, like a
    // test runner's lock, makes it again).
    if (kind === 'other') return;
    if (!LINK_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await copyFile(from, to, constants.COPYFILE_EXCL);
  }
}

/** Links in flight at once: the file system's thread pool stays busy without a file handle per file. */
const PARALLEL_LINKS = 32;

/** Runs `work` on every item, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

interface FileToCarry {
  from: string;
  to: string;
  kind: FolderEntry['kind'];
}

/** Makes the folders of the tree at `from` under `to`, and lists its files. */
async function mirrorFolders(from: string, to: string, files: FileToCarry[]): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const child of await readdir(from, { withFileTypes: true })) {
    const source = join(from, child.name);
    const target = join(to, child.name);
    if (child.isDirectory()) await mirrorFolders(source, target, files);
    else files.push({ from: source, to: target, kind: kindOf(child) });
  }
}

/**
 * Puts each of `entries` (paths relative to `fromRoot`, as {@link FolderEntry} has them) at the same place
 * under `toRoot`, creating the folders on the way.
 */
export async function carryEntries(options: {
  entries: readonly FolderEntry[];
  fromRoot: string;
  toRoot: string;
}): Promise<void> {
  const files: FileToCarry[] = [];
  for (const entry of options.entries) {
    const from = diskPath(options.fromRoot, entry.path);
    const to = diskPath(options.toRoot, entry.path);
    await mkdir(dirname(to), { recursive: true });
    if (entry.kind === 'dir') await mirrorFolders(from, to, files);
    else files.push({ from, to, kind: entry.kind });
  }
  await eachLimited(files, PARALLEL_LINKS, (file) => carryFile(file.from, file.to, file.kind));
}
