/**
 * Writes generated files to disk atomically, per format folder: everything is written to a temporary folder
 * next to the output first, then each format folder is swapped in with `rename`. An interrupted run leaves
 * each format either entirely old or entirely new, never half-written (a kill in the microseconds between
 * the two renames of a swap leaves the old folder parked beside it, and the next run puts it back).
 *
 * A manifest (`.specmint.json`) marks a folder as SpecMint's: an existing folder without one is never
 * overwritten unless forced. It holds no timestamps, so the same inputs give a byte-identical manifest.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, renameSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { InputError } from '../../errors.ts';
import type { Depth } from '../data/depth.ts';
import type { CheckResult } from '../ports.ts';
import { type FileText, textParts } from '../render/common/file-text.ts';
import type { RenderedFile } from '../render/types.ts';

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
  /** Format → file path (relative to the output root) → sha256 of its contents. */
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
  /** Overwrite a folder that SpecMint did not write. */
  force?: boolean;
  /** Stops the write before any folder is swapped (Ctrl-C): the output stays as it was. */
  signal?: AbortSignal;
}

function sha256(text: FileText): string {
  const hash = createHash('sha256');
  for (const part of textParts(text)) hash.update(part);
  return hash.digest('hex');
}

/** Writes a file's text, part by part when it is in parts (too large for one string). */
async function writeText(path: string, text: FileText): Promise<void> {
  if (typeof text === 'string') {
    await writeFile(path, text);
    return;
  }
  const handle = await open(path, 'w');
  try {
    for (const part of text) await handle.writeFile(part);
  } finally {
    await handle.close();
  }
}

/** Whether the file at `path` holds exactly `text` (`undefined` when there is no such file). */
async function sameText(path: string, text: FileText): Promise<boolean | undefined> {
  if (typeof text === 'string') {
    const current = await readFile(path, 'utf8').catch(() => undefined);
    return current === undefined ? undefined : current === text;
  }
  // Too large to read back as one string: compare digests instead.
  const current = await readFile(path).catch(() => undefined);
  return current === undefined
    ? undefined
    : createHash('sha256').update(current).digest('hex') === sha256(text);
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Reads the manifest of an output folder, if it is SpecMint's. */
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
      hint: 'Choose an empty folder with --out, or pass --force to replace the generated format folders in it.',
    },
  );
}

function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Cleans up after a run that was killed mid-write: staging folders (`.specmint-tmp-*`) are dropped, and a
 * format folder moved aside (`.specmint-old-*`) whose replacement never arrived is moved back. Without
 * this, a kill between the two renames of a format swap would lose that folder, and leftovers would make
 * the next run refuse a folder that has no manifest yet.
 */
export async function recoverInterruptedWrite(outDir: string): Promise<void> {
  const entries = await readdir(outDir).catch(() => [] as string[]);
  for (const entry of entries) {
    const path = join(outDir, entry);
    if (entry.startsWith('.specmint-old-')) {
      for (const format of await readdir(path).catch(() => [] as string[])) {
        if (!(await exists(join(outDir, format)))) await rename(join(path, format), join(outDir, format));
      }
      await rm(path, { recursive: true, force: true });
    } else if (entry.startsWith('.specmint-tmp-')) {
      await rm(path, { recursive: true, force: true });
    }
  }
}

/** Writes the outputs atomically and returns the written paths (relative to `outDir`). */
export async function writeOutput(options: WriteOptions): Promise<string[]> {
  await recoverInterruptedWrite(options.outDir);
  const previous = await assertWritable(options.outDir, options.force === true);
  await mkdir(options.outDir, { recursive: true });
  const token = randomBytes(4).toString('hex');
  const staging = join(options.outDir, `.specmint-tmp-${token}`);
  const trash = join(options.outDir, `.specmint-old-${token}`);
  const formats: Manifest['formats'] = { ...(previous?.formats ?? {}) };
  const written: string[] = [];
  const swapped: string[] = [];
  try {
    for await (const output of options.outputs) {
      options.signal?.throwIfAborted();
      swapped.push(output.format);
      const hashes: Record<string, string> = {};
      for (const file of output.files) {
        const target = join(staging, file.path);
        await mkdir(dirname(target), { recursive: true });
        await writeText(target, file.contents);
        hashes[file.path] = sha256(file.contents);
        written.push(file.path);
      }
      formats[output.format] = hashes;
    }
    // The last moment to stop: from here on every format folder is swapped in.
    options.signal?.throwIfAborted();
    await mkdir(trash, { recursive: true });
    for (const format of swapped) await mkdir(join(staging, format), { recursive: true });
    for (const format of swapped) {
      const live = join(options.outDir, format);
      // The two renames run back to back, with no turn of the event loop between them, so the time in which a
      // kill leaves the folder parked in `trash` (where recoverInterruptedWrite finds it) is a few microseconds.
      if (existsSync(live)) renameSync(live, join(trash, format));
      renameSync(join(staging, format), live);
    }
    const sorted = Object.fromEntries(Object.entries(formats).sort(([a], [b]) => a.localeCompare(b)));
    const manifest: Manifest = { generator: 'specmint', ...options.manifest, formats: sorted };
    const manifestTmp = join(staging, MANIFEST_FILE);
    await writeFile(manifestTmp, stableJson(manifest));
    await rename(manifestTmp, join(options.outDir, MANIFEST_FILE));
  } finally {
    await rm(staging, { recursive: true, force: true });
    await rm(trash, { recursive: true, force: true });
  }
  return written.sort();
}

/** Compares what is on disk with what would be generated (for `--check`). */
export async function checkOutput(outDir: string, outputs: Iterable<FormatFiles>): Promise<CheckResult> {
  // One format at a time, as writeOutput does.
  const result: CheckResult = { changed: [], missing: [], extra: [] };
  const manifest = await readManifest(outDir);
  for (const output of outputs) {
    const expected = new Set(output.files.map((f) => f.path));
    for (const file of output.files) {
      const same = await sameText(join(outDir, file.path), file.contents);
      if (same === undefined) result.missing.push(file.path);
      else if (!same) result.changed.push(file.path);
    }
    for (const path of Object.keys(manifest?.formats[output.format] ?? {})) {
      if (!expected.has(path)) result.extra.push(path);
    }
  }
  return result;
}
