/**
 * The render helper thread hands its files over encoded (cli/engine/render/encode-output.ts): the bytes and
 * hashes must be exactly what the writer makes of the text, so a file is the same whichever thread rendered
 * it, and `--check` compares encoded files as it compares text.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOutput } from '../../cli/engine/emit/check-output.ts';
import { MANIFEST_FILE, sha256, writeOutput } from '../../cli/engine/emit/write-output.ts';
import type { FormatOutput } from '../../cli/engine/ports.ts';
import { isEncoded } from '../../cli/engine/render/common/file-text.ts';
import { encodeOutput } from '../../cli/engine/render/encode-output.ts';

/** Texts the encoder must treat as the writer does: beyond ASCII, lone surrogates, a pair split in parts. */
const OUTPUT: FormatOutput = {
  format: 'vitest',
  files: [
    { path: 'vitest/ascii.ts', contents: 'export const a = 1;\n' },
    { path: 'vitest/unicode.ts', contents: '// Café — 日本 🦄\n' },
    { path: 'vitest/lone.ts', contents: 'x\ud800y\udfffz' },
    { path: 'vitest/parts.json', contents: ['{"a": "🦄', '\ud83e', '\udd84", "b": 2}\n', ''] },
    { path: 'vitest/empty.txt', contents: '' },
    { path: 'vitest/hooks.ts', contents: 'export {};\n', once: true },
  ],
  renderedCases: 0,
  diagnostics: [],
};

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'specmint-encode-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function filesOf(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(folder, entry.name), `${prefix}${entry.name}/`);
      else out[`${prefix}${entry.name}`] = readFileSync(join(folder, entry.name));
    }
  };
  walk(dir, '');
  return out;
}

describe('encodeOutput', () => {
  it('encodes every file into one transferable buffer, each with the sha256 of its text', () => {
    const { output, buffer } = encodeOutput(OUTPUT);
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(output.files.map(({ path, once }) => ({ path, once }))).toEqual(
      OUTPUT.files.map(({ path, once }) => ({ path, once })),
    );
    OUTPUT.files.forEach((file, index) => {
      const encoded = output.files[index]?.contents;
      if (!encoded || !isEncoded(encoded)) throw new Error(`${file.path} is not encoded`);
      expect(encoded.utf8.buffer).toBe(buffer);
      expect(encoded.sha256).toBe(sha256(file.contents));
    });
    // Already encoded: left as it is.
    expect(encodeOutput(output).buffer).toBeUndefined();
  });

  it('writes the same bytes and manifest as the text, and --check finds them up to date', async () => {
    const manifest = { version: '1.0.0', specHash: 'abc', seed: 1 };
    const fromText = join(root, 'text');
    const fromBytes = join(root, 'bytes');
    await writeOutput({ outDir: fromText, outputs: [OUTPUT], manifest });
    await writeOutput({ outDir: fromBytes, outputs: [encodeOutput(OUTPUT).output], manifest });
    const text = filesOf(fromText);
    expect(Object.keys(text)).toContain(MANIFEST_FILE);
    expect(filesOf(fromBytes)).toEqual(text);

    const upToDate = await checkOutput(fromText, [encodeOutput(OUTPUT).output]);
    expect(upToDate).toEqual({ changed: [], missing: [], extra: [], notManaged: ['vitest/hooks.ts'] });
    writeFileSync(join(fromText, 'vitest/unicode.ts'), '// Cafe\n');
    rmSync(join(fromText, 'vitest/empty.txt'));
    const stale = await checkOutput(fromText, [encodeOutput(OUTPUT).output]);
    expect(stale.changed).toEqual(['vitest/unicode.ts']);
    expect(stale.missing).toEqual(['vitest/empty.txt']);
  });
});
