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
import {
  type FileText,
  isEncoded,
  LARGE_TEXT,
  prettyJson,
} from '../../cli/engine/render/common/file-text.ts';
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
    const { output, transfer } = encodeOutput(OUTPUT);
    expect(transfer).toHaveLength(1);
    const buffer = transfer[0];
    expect(buffer).toBeInstanceOf(ArrayBuffer);
    expect(output.files.map(({ path, once }) => ({ path, once }))).toEqual(
      OUTPUT.files.map(({ path, once }) => ({ path, once })),
    );
    OUTPUT.files.forEach((file, index) => {
      const encoded = output.files[index]?.contents;
      if (!encoded || !isEncoded(encoded)) throw new Error(`${file.path} is not encoded`);
      expect(encoded.chunks.map((chunk) => chunk.buffer)).toEqual([buffer]);
      expect(encoded.sha256).toBe(sha256(file.contents));
    });
  });

  it('leaves a file already encoded as it is, and transfers its chunks with the buffer of the rest', () => {
    const big = { items: Array.from({ length: 300 }, (_, index) => ({ index, name: `item ${index} — é` })) };
    const spilled = prettyJson(big, LARGE_TEXT - 1, 1000);
    if (!isEncoded(spilled)) throw new Error('expected the large JSON to be spilled');
    const { output, transfer } = encodeOutput({
      ...OUTPUT,
      files: [...OUTPUT.files, { path: 'vitest/big.json', contents: spilled }],
    });
    expect(output.files.at(-1)?.contents).toBe(spilled);
    expect(transfer).toEqual([...spilled.chunks.map((chunk) => chunk.buffer), expect.any(ArrayBuffer)]);
    expect(output.files.slice(0, -1).every((file) => isEncoded(file.contents))).toBe(true);
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

  it('writes pretty JSON spilled in chunks as the text, and --check compares it chunk by chunk', async () => {
    const value = { items: Array.from({ length: 400 }, (_, index) => ({ index, name: `Café ${index} 🦄` })) };
    const spilled = prettyJson(value, LARGE_TEXT - 1, 2000);
    if (!isEncoded(spilled)) throw new Error('expected the JSON to be spilled');
    expect(spilled.chunks.length).toBeGreaterThan(3);
    const text = `${JSON.stringify(value, null, 2)}\n`;
    const output = (contents: FileText): FormatOutput => ({
      format: 'json',
      files: [{ path: 'json/plan.json', contents }],
      renderedCases: 0,
      diagnostics: [],
    });
    const manifest = { version: '1.0.0', specHash: 'abc', seed: 1 };
    const fromText = join(root, 'json-text');
    const fromChunks = join(root, 'json-chunks');
    await writeOutput({ outDir: fromText, outputs: [output(text)], manifest });
    await writeOutput({ outDir: fromChunks, outputs: [output(spilled)], manifest });
    expect(filesOf(fromChunks)).toEqual(filesOf(fromText));
    expect(readFileSync(join(fromChunks, 'json/plan.json'), 'utf8')).toBe(text);

    expect((await checkOutput(fromText, [output(spilled)])).changed).toEqual([]);
    // One character changed inside a later chunk, then one more byte at the end: both are changes.
    writeFileSync(join(fromText, 'json/plan.json'), text.replace('Café 399', 'Cafe 399'));
    expect((await checkOutput(fromText, [output(spilled)])).changed).toEqual(['json/plan.json']);
    writeFileSync(join(fromText, 'json/plan.json'), `${text} `);
    expect((await checkOutput(fromText, [output(spilled)])).changed).toEqual(['json/plan.json']);
  });
});
