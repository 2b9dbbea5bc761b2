/**
 * Writes generated files to disk atomically, per format folder: everything is written to a temporary folder
 * next to the output first, then each format folder is swapped in with `rename`. An interrupted run leaves
 * each format either entirely old or entirely new, never half-written (a kill in the microseconds between
 * the two renames of a swap leaves the old folder parked beside it, and the next run puts it back).
 *
 * A manifest (`.specmint.json`) lists exactly the files SpecMint owns; an existing folder without one is never
 * written into unless forced. Every other file in a format folder is the user's and survives regeneration
 * unchanged: before the swap it is hard-linked into the new folder (carry-entries.ts). A format's `once` file
 * (its hooks file) is written only when absent and is never listed in the manifest, so from then on it is the
 * user's like any other; the manifest stays a plain "what SpecMint may replace or delete" list. A generated
 * file whose path holds a file SpecMint did not write stops the run (exit 1) unless the two are identical or
 * `--force` is given: see {@link writeOutput}. The manifest holds no timestamps, so the same inputs give a
 * byte-identical manifest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { closeSync, lstatSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../../errors.ts';
import type { Depth } from '../data/depth.ts';
import type { CheckResult } from '../ports.ts';
import { type FileText, isEncoded, textParts } from '../render/common/file-text.ts';
import type { RenderedFile } from '../render/types.ts';
import { carryEntries } from './carry-entries.ts';
import { diskPath, isFreeForOnce, type Ownership, type SortedFolder, sortFolder } from './folder-entries.ts';

export type { CheckResult };

export const MANIFEST_FILE = '.specmint.json';

export interface Manifest {
  generator: 'specmint';
  version: string;
  specHash: string;
  seed: number;
  /** `--depth` the suites were generated at (absent in manifests written before depths existed: quick). */
  depth?: Depth;
  /** `--path-param` values the suites were generated with (only when there were any). */
  pathParams?: Record<string, string>;
  /**
   * Format → file path (relative to the output root) → sha256 of its contents: exactly the files SpecMint
   * owns. Anything else in a format folder is the user's; a format's `once` (hooks) file is deliberately not
   * listed, since it is the user's as soon as it exists.
   */
  formats: Record<string, Record<string, string>>;
}

/** One format's files (paths relative to the output root, starting with `<format>/`). */
export interface FormatFiles {
  format: string;
  files: RenderedFile[];
}

export interface WriteOptions {
  outDir: string;
  /**
   * Files keyed by format; paths relative to the output root and starting with `<format>/`. Consumed one
   * format at a time and not kept: a lazy iterable that renders each format as it is asked for holds only
   * one format's files in memory.
   */
  outputs: AsyncIterable<FormatFiles> | Iterable<FormatFiles>;
  manifest: Omit<Manifest, 'formats' | 'generator'>;
  /**
   * Write into a folder SpecMint did not write, and replace files it did not write at the paths it writes
   * (without it such a file stops the run). Other files are kept either way.
   */
  force?: boolean;
  /** Stops the write before any folder is swapped (Ctrl-C): the output stays as it was. */
  signal?: AbortSignal;
}

/** The hex sha256 of a file's text, as the manifest records it. */
export function sha256(text: FileText): string {
  if (isEncoded(text)) return text.sha256;
  const hash = createHash('sha256');
  for (const part of textParts(text)) hash.update(part);
  return hash.digest('hex');
}

/** Characters of text encoded at a time (see {@link writeText}). */
const SLICE_CHARS = 1 << 20;

/** The reused buffer: three bytes per UTF-16 code unit is the most UTF-8 needs. */
let scratch: Buffer | undefined;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Writes a file's text to `path` through one reused buffer and gives the sha256 of its bytes: the text (or
 * its parts, many small ones together) is encoded as UTF-8 into the buffer a slice at a time, hashed and written
 * from it. A fresh buffer for every file (74 MB in all for GitHub's description in every format) cost more than
 * the encoding itself, in page faults and collecting the buffers: staging GitHub's files took 300–560 ms of
 * CPU that way and about 145 ms this way. The writes are synchronous: a format is staged before the next one
 * is rendered, so nothing waits on them. Text the render helper thread encoded (and hashed) is written as it is.
 */
function writeText(path: string, text: FileText): string {
  if (isEncoded(text)) {
    const fd = openSync(path, 'w');
    try {
      for (const bytes of text.chunks)
        for (let offset = 0; offset < bytes.length; )
          offset += writeSync(fd, bytes, offset, bytes.length - offset);
    } finally {
      closeSync(fd);
    }
    return text.sha256;
  }
  scratch ??= Buffer.allocUnsafeSlow(3 * SLICE_CHARS);
  const buffer = scratch;
  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let filled = 0;
  const flush = () => {
    const bytes = buffer.subarray(0, filled);
    hash.update(bytes);
    for (let offset = 0; offset < filled; ) offset += writeSync(fd, bytes, offset, filled - offset);
    filled = 0;
  };
  try {
    for (const part of textParts(text)) {
      for (let start = 0; start < part.length; ) {
        let end = Math.min(start + SLICE_CHARS, part.length);
        // A surrogate pair split between two slices would be written as two U+FFFD.
        if (end < part.length && isHighSurrogate(part.charCodeAt(end - 1))) end -= 1;
        if (filled + 3 * (end - start) > buffer.length) flush();
        const slice = start === 0 && end === part.length ? part : part.slice(start, end);
        filled += buffer.write(slice, filled, 'utf8');
        start = end;
      }
    }
    if (filled > 0) flush();
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** Whether anything (a dangling symlink too) is at `path`. */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Reads the manifest of an output folder, if it is SpecMint's. Its `formats` lists every file SpecMint owns
 * (and may replace or delete); a hooks file (`once`) is never in it.
 */
export async function readManifest(outDir: string): Promise<Manifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, MANIFEST_FILE), 'utf8')) as Manifest;
    return parsed.generator === 'specmint' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Throws an {@link InputError} (`OUTPUT_EXISTS`) when `outDir` holds files SpecMint did not write and
 * `force` is not set; gives the folder's manifest when it is SpecMint's.
 */
export async function assertWritable(outDir: string, force: boolean): Promise<Manifest | undefined> {
  if (!(await exists(outDir))) return undefined;
  const info = await stat(outDir);
  if (!info.isDirectory()) {
    throw new InputError(`Output path ${outDir} exists and is not a folder.`, {
      hint: 'Pass another --out.',
    });
  }
  const manifest = await readManifest(outDir);
  if (manifest || force) return manifest;
  const entries = await readdir(outDir);
  if (entries.length === 0) return undefined;
  throw new InputError(
    `Output folder ${outDir} exists and was not written by SpecMint (no ${MANIFEST_FILE}).`,
    {
      code: 'OUTPUT_EXISTS',
      hint: 'Choose an empty folder with --out, or pass --force to write the suites into it (files at the paths SpecMint writes are replaced; every other file is kept).',
    },
  );
}

function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Puts back each format folder parked in `trash` whose replacement never arrived (a kill or a failed rename
 * between the two renames of a swap), then drops `trash`.
 */
async function restoreParked(outDir: string, trash: string): Promise<void> {
  for (const format of await readdir(trash).catch(() => [] as string[])) {
    if (!(await exists(join(outDir, format)))) await rename(join(trash, format), join(outDir, format));
  }
  await rm(trash, { recursive: true, force: true });
}

/**
 * Cleans up after a run that was killed mid-write: staging folders (`.specmint-tmp-*`) are dropped, and a
 * format folder moved aside (`.specmint-old-*`) whose replacement never arrived is moved back. Without
 * this, a kill between the two renames of a format swap would lose that folder, and leftovers would make
 * the next run refuse a folder that has no manifest yet. The user's files are safe at every point: the
 * staging folder only holds extra hard links to them.
 */
export async function recoverInterruptedWrite(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch(() => [] as string[]);
  for (const entry of entries) {
    const path = join(outDir, entry);
    if (entry.startsWith('.specmint-old-')) await restoreParked(outDir, path);
    else if (entry.startsWith('.specmint-tmp-')) await rm(path, { recursive: true, force: true });
  }
}

/** One format written to the staging folder, with who owns what in it. */
interface StagedFormat {
  format: string;
  /** The manifest's entry for the format: each generated file's sha256. */
  hashes: Record<string, string>;
  ownership: Ownership & { staged: Set<string> };
}

/** Writes one format's files into `staging`; a `once` file only when nothing is at its path yet. */
async function stageFormat(
  output: FormatFiles,
  context: { outDir: string; staging: string; owned: ReadonlySet<string> },
): Promise<StagedFormat> {
  const hashes: Record<string, string> = {};
  const generated = new Set<string>();
  const once = new Set<string>();
  const staged = new Set<string>();
  const folders = new Set<string>();
  for (const file of output.files) {
    if (file.once) {
      once.add(file.path);
      if (!(await isFreeForOnce(context.outDir, file.path))) continue;
    }
    const target = diskPath(context.staging, file.path);
    const folder = dirname(target);
    if (!folders.has(folder)) {
      mkdirSync(folder, { recursive: true });
      folders.add(folder);
    }
    const hash = writeText(target, file.contents);
    if (!file.once) {
      generated.add(file.path);
      hashes[file.path] = hash;
    }
    staged.add(file.path);
  }
  return { format: output.format, hashes, ownership: { owned: context.owned, generated, once, staged } };
}

/** Whether two files hold the same bytes (compared in chunks: a JSON plan can be gigabytes). */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([open(a), open(b)]);
  try {
    const [sizeA, sizeB] = await Promise.all([left.stat(), right.stat()]);
    if (sizeA.size !== sizeB.size) return false;
    const chunk = 1 << 20;
    const bufA = Buffer.alloc(chunk);
    const bufB = Buffer.alloc(chunk);
    for (let position = 0; position < sizeA.size; position += chunk) {
      const [readA, readB] = await Promise.all([
        left.read(bufA, 0, chunk, position),
        right.read(bufB, 0, chunk, position),
      ]);
      if (
        readA.bytesRead !== readB.bytesRead ||
        !bufA.subarray(0, readA.bytesRead).equals(bufB.subarray(0, readB.bytesRead))
      )
        return false;
    }
    return true;
  } finally {
    await Promise.all([left.close(), right.close()]);
  }
}

/** A clash written as the error lists it. */
function describeClash(clash: SortedFolder['clashes'][number]): string {
  if (clash.kind === 'dir') return `${clash.path}/  (a folder where the suite writes a file)`;
  return clash.atFile ? clash.path : `${clash.path}  (where the suite needs a folder)`;
}

const MAX_CLASHES_LISTED = 20;

/**
 * A generated file would land on a file SpecMint did not write. Exit 1 (`OUTPUT_CONFLICT`); `details.conflicts`
 * lists the paths under `--json`.
 *
 * Why the user's file wins loudly rather than with a warning: a warning would leave a suite that differs from
 * what the spec says (the generated test missing, `--check` stale for ever) in a CI log nobody reads. Exit 1
 * stops the run before anything is swapped or charged, and the fix is one rename away.
 */
export class OutputConflictError extends InputError {
  readonly details: { conflicts: string[] };

  constructor(outDir: string, clashes: SortedFolder['clashes']) {
    const listed = clashes.slice(0, MAX_CLASHES_LISTED).map((clash) => `  ${describeClash(clash)}`);
    if (clashes.length > MAX_CLASHES_LISTED)
      listed.push(`  … and ${clashes.length - MAX_CLASHES_LISTED} more`);
    const many = clashes.length !== 1;
    super(
      `${clashes.length} ${many ? 'entries' : 'entry'} in ${outDir} ${many ? 'were' : 'was'} not written by SpecMint but ${many ? 'are' : 'is'} where this generation writes:\n${listed.join('\n')}`,
      {
        code: 'OUTPUT_CONFLICT',
        hint: `SpecMint never overwrites a file it did not write (${MANIFEST_FILE} lists its own). Move or rename yours and run again, or pass --force to replace ${many ? 'them' : 'it'} with the generated ${many ? 'files' : 'file'}.`,
      },
    );
    this.name = 'OutputConflictError';
    this.details = { conflicts: clashes.map((clash) => clash.path) };
  }
}

/** The clashes that stop the run: a file identical to the generated one is simply taken over. */
async function blockingClashes(
  staging: string,
  outDir: string,
  sorted: SortedFolder,
): Promise<SortedFolder['clashes']> {
  const blocking: SortedFolder['clashes'] = [];
  for (const clash of sorted.clashes) {
    const identical =
      clash.atFile &&
      clash.kind === 'file' &&
      (await sameBytes(diskPath(staging, clash.path), diskPath(outDir, clash.path)));
    if (!identical) blocking.push(clash);
  }
  return blocking;
}

/** Removes `folder` and its parents up to `top` while they are empty (a folder the user filled stays). */
async function removeEmptyFolders(folder: string, top: string): Promise<void> {
  for (let current = folder; ; current = dirname(current)) {
    try {
      await rmdir(current);
    } catch {
      return;
    }
    if (current === top || dirname(current) === current) return;
  }
}

/** Writes the manifest atomically (through the staging folder). */
async function writeManifest(outDir: string, staging: string, manifest: Manifest): Promise<void> {
  const formats = Object.fromEntries(Object.entries(manifest.formats).sort(([a], [b]) => a.localeCompare(b)));
  const temporary = join(staging, MANIFEST_FILE);
  await writeFile(temporary, stableJson({ ...manifest, formats }));
  await rename(temporary, join(outDir, MANIFEST_FILE));
}

/**
 * Writes the outputs atomically and returns the written paths (relative to `outDir`). Per format folder:
 * SpecMint's files (the old manifest's) are replaced or dropped, the user's are carried over unchanged, a
 * `once` file is created only when absent. A generated file landing on a user's file (unless identical)
 * throws `OUTPUT_CONFLICT` (exit 1) before anything is swapped; `force` replaces the user's file instead.
 */
export async function writeOutput(options: WriteOptions): Promise<string[]> {
  const { outDir } = options;
  await recoverInterruptedWrite(outDir);
  const previous = await assertWritable(outDir, options.force === true);
  // The first folder this run creates (undefined when the output folder exists): removed again, if still
  // empty, when the run does not finish, so a failed or interrupted first run leaves nothing behind.
  const created = await mkdir(outDir, { recursive: true });
  let finished = false;
  const token = randomBytes(4).toString('hex');
  const staging = join(outDir, `.specmint-tmp-${token}`);
  const trash = join(outDir, `.specmint-old-${token}`);
  const previousFormats = previous?.formats ?? {};
  const staged: StagedFormat[] = [];
  try {
    for await (const output of options.outputs) {
      options.signal?.throwIfAborted();
      const owned = new Set(Object.keys(previousFormats[output.format] ?? {}));
      staged.push(await stageFormat(output, { outDir, staging, owned }));
    }
    options.signal?.throwIfAborted();
    // Sorted, checked and carried at the end, right before the swap: a file the user saves meanwhile is kept.
    const sorted = await Promise.all(staged.map((s) => sortFolder(outDir, s.format, s.ownership)));
    if (options.force !== true) {
      const clashes = (
        await Promise.all(sorted.map((folder) => blockingClashes(staging, outDir, folder)))
      ).flat();
      if (clashes.length > 0) throw new OutputConflictError(outDir, clashes);
    }
    for (const [index, folder] of sorted.entries()) {
      const { staged: files } = staged[index]!.ownership;
      // A hooks file created by the user since it was staged: theirs wins.
      for (const entry of folder.user.filter((e) => files.has(e.path))) {
        await rm(diskPath(staging, entry.path));
        files.delete(entry.path);
      }
      await carryEntries({ entries: folder.user, fromRoot: outDir, toRoot: staging });
    }
    // The last moment to stop: from here on every format folder is swapped in.
    options.signal?.throwIfAborted();
    const facts = { generator: 'specmint', ...options.manifest } as const;
    const formats: Manifest['formats'] = { ...previousFormats };
    for (const { format, hashes } of staged) formats[format] = hashes;
    // Until every folder is swapped the manifest claims the old files and the new ones, so a kill between two
    // swaps never leaves a file SpecMint wrote looking like the user's (kept for ever, or a false clash).
    const claimsNew = staged.some(({ format, hashes }) =>
      Object.keys(hashes).some((path) => !(path in (previousFormats[format] ?? {}))),
    );
    if (claimsNew) {
      const both: Manifest['formats'] = { ...previousFormats };
      for (const { format, hashes } of staged) both[format] = { ...previousFormats[format], ...hashes };
      await writeManifest(outDir, staging, { ...facts, formats: both });
    }
    await mkdir(trash, { recursive: true });
    for (const { format } of staged) await mkdir(join(staging, format), { recursive: true });
    for (const { format } of staged) {
      const live = join(outDir, format);
      // The two renames run back to back, with no turn of the event loop between them, so the time in which a
      // kill leaves the folder parked in `trash` (where recoverInterruptedWrite finds it) is a few microseconds.
      if (lstatSync(live, { throwIfNoEntry: false })) renameSync(live, join(trash, format));
      renameSync(join(staging, format), live);
    }
    await writeManifest(outDir, staging, { ...facts, formats });
    finished = true;
  } finally {
    await restoreParked(outDir, trash);
    await rm(staging, { recursive: true, force: true });
    if (!finished && created !== undefined) await removeEmptyFolders(outDir, created);
  }
  return staged.flatMap((s) => [...s.ownership.staged]).sort();
}
