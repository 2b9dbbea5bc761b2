/**
 * `--check`: compares what would be generated with what is on disk, without writing. A file is changed or
 * missing only if SpecMint writes it; an owned file it would no longer write is extra. Everything SpecMint does
 * not manage (a user's file or folder, a format's hooks file) is never compared: it is listed as `notManaged`
 * and never makes the check fail.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { FORMATS } from '../../../shared/plans.ts';
import type { CheckResult } from '../ports.ts';
import { type FileText, isEncoded } from '../render/common/file-text.ts';
import { diskPath, type FolderEntry, sortFolder } from './folder-entries.ts';
import { type FormatFiles, MANIFEST_FILE, readManifest, sha256 } from './write-output.ts';

/** Whether the file at `path` holds exactly `text` (`undefined` when there is no such file). */
async function sameText(path: string, text: FileText): Promise<boolean | undefined> {
  if (typeof text === 'string') {
    const current = await readFile(path, 'utf8').catch(() => undefined);
    return current === undefined ? undefined : current === text;
  }
  if (isEncoded(text)) {
    const current = await readFile(path).catch(() => undefined);
    return current === undefined ? undefined : sameBytes(current, text.chunks);
  }
  // Too large to read back as one string: compare digests instead.
  const current = await readFile(path).catch(() => undefined);
  return current === undefined
    ? undefined
    : createHash('sha256').update(current).digest('hex') === sha256(text);
}

/** Whether `bytes` are the chunks one after another. */
function sameBytes(bytes: Buffer, chunks: readonly Uint8Array[]): boolean {
  let offset = 0;
  for (const chunk of chunks) {
    if (offset + chunk.byteLength > bytes.length) return false;
    if (!bytes.subarray(offset, offset + chunk.byteLength).equals(chunk)) return false;
    offset += chunk.byteLength;
  }
  return offset === bytes.length;
}

/** How a not-managed entry is listed: a folder (whose contents are all the user's) ends in `/`. */
function label(entry: FolderEntry): string {
  return entry.kind === 'dir' ? `${entry.path}/` : entry.path;
}

const FORMAT_NAMES: ReadonlySet<string> = new Set(FORMATS);

/** Entries of the output root that are neither the manifest, a format folder nor a write in progress. */
async function rootEntries(outDir: string): Promise<string[]> {
  const entries = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  return entries
    .filter((entry) => entry.name !== MANIFEST_FILE && !FORMAT_NAMES.has(entry.name))
    .filter((entry) => !/^\.specmint-(tmp|old)-/.test(entry.name))
    .map((entry) => (entry.isDirectory() ? `${entry.name}/` : entry.name))
    .sort();
}

/** Options of {@link checkOutput}. */
export interface CheckOutputOptions {
  /** Also list what the output root holds besides the manifest and format folders. @default false */
  root?: boolean;
}

/** Compares what is on disk with what would be generated (for `--check`), one format at a time. */
export async function checkOutput(
  outDir: string,
  outputs: Iterable<FormatFiles>,
  options: CheckOutputOptions = {},
): Promise<CheckResult> {
  const result: CheckResult = { changed: [], missing: [], extra: [], notManaged: [] };
  const manifest = await readManifest(outDir);
  if (options.root) result.notManaged.push(...(await rootEntries(outDir)));
  for (const output of outputs) {
    const generated = new Set<string>();
    const once = new Set<string>();
    for (const file of output.files) {
      if (file.once) {
        once.add(file.path);
        continue;
      }
      generated.add(file.path);
      const same = await sameText(diskPath(outDir, file.path), file.contents);
      if (same === undefined) result.missing.push(file.path);
      else if (!same) result.changed.push(file.path);
    }
    const owned = new Set(Object.keys(manifest?.formats[output.format] ?? {}));
    const sorted = await sortFolder(outDir, output.format, { owned, generated, once });
    result.extra.push(...sorted.stale.map((entry) => entry.path));
    // A user's file where the suite needs a folder: the files under it show as missing; the file itself is
    // still the user's. (One at a generated path is compared above.)
    const inTheWay = sorted.clashes.filter((clash) => !clash.atFile);
    result.notManaged.push(...[...sorted.user, ...inTheWay].map(label).sort());
  }
  return result;
}
