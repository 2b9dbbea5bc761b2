/** Writes rendered files into a fresh directory (tests only). */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import type { RenderedFile } from '../../../cli/engine/render/types.ts';

/** The repo's git-ignored scratch folder for renderer tests. */
export const TMP_ROOT = join(import.meta.dirname, '../../.tmp/renderers');

/** Replaces `dir` with exactly `files`; returns `dir`. */
export function writeFiles(dir: string, files: RenderedFile[]): string {
  rmSync(dir, { recursive: true, force: true });
  for (const file of files) {
    const path = join(dir, file.path);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, joinText(file.contents));
  }
  return dir;
}
