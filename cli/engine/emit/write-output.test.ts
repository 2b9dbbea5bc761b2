import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../errors.ts';
import type { FormatOutput } from '../ports.ts';
import { checkOutput } from './check-output.ts';
import { MANIFEST_FILE, recoverInterruptedWrite, type WriteOptions, writeOutput } from './write-output.ts';

let root: string;
let out: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specmint-write-'));
  out = join(root, 'out');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const MANIFEST = { version: '1.0.0', specHash: 'abc', seed: 1 };

function options(outputs: WriteOptions['outputs'], extra: Partial<WriteOptions> = {}): WriteOptions {
  return { outDir: out, outputs, manifest: MANIFEST, ...extra };
}

const read = (path: string) => readFileSync(join(out, path), 'utf8');

describe('writeOutput', () => {
  it('writes every file, a manifest with their hashes, and leaves no staging behind', async () => {
    const written = await writeOutput(
      options([
        { format: 'vitest', files: [{ path: 'vitest/tests/b.test.ts', contents: 'b' }] },
        { format: 'json', files: [{ path: 'json/test-plan.json', contents: '{}' }] },
      ]),
    );
    expect(written).toEqual(['json/test-plan.json', 'vitest/tests/b.test.ts']);
    expect(read('vitest/tests/b.test.ts')).toBe('b');
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'json', 'vitest']);
    const manifest = JSON.parse(read(MANIFEST_FILE));
    expect(manifest).toMatchObject({ generator: 'specmint', ...MANIFEST });
    expect(Object.keys(manifest.formats)).toEqual(['json', 'vitest']);
    expect(manifest.formats.json['json/test-plan.json']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('replaces the regenerated format folders whole and keeps the others', async () => {
    await writeOutput(
      options([
        { format: 'vitest', files: [{ path: 'vitest/old.ts', contents: 'old' }] },
        { format: 'json', files: [{ path: 'json/test-plan.json', contents: 'v1' }] },
      ]),
    );
    const first = read(MANIFEST_FILE);
    await writeOutput(options([{ format: 'vitest', files: [{ path: 'vitest/new.ts', contents: 'new' }] }]));
    expect(readdirSync(join(out, 'vitest'))).toEqual(['new.ts']);
    expect(read('json/test-plan.json')).toBe('v1');
    const manifest = JSON.parse(read(MANIFEST_FILE));
    expect(Object.keys(manifest.formats.vitest)).toEqual(['vitest/new.ts']);
    expect(manifest.formats.json).toEqual(JSON.parse(first).formats.json);
  });

  it('gives byte-identical manifests for the same inputs', async () => {
    const outputs = [{ format: 'json', files: [{ path: 'json/a.json', contents: '1' }] }];
    await writeOutput(options(outputs));
    const first = read(MANIFEST_FILE);
    await writeOutput(options(outputs));
    expect(read(MANIFEST_FILE)).toBe(first);
  });

  it('refuses a non-empty folder SpecMint did not write, unless forced', async () => {
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'mine');
    const outputs = [{ format: 'json', files: [{ path: 'json/a.json', contents: '1' }] }];
    const error = await writeOutput(options(outputs)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('OUTPUT_EXISTS');
    expect(readdirSync(out)).toEqual(['notes.txt']);
    await writeOutput(options(outputs, { force: true }));
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'json', 'notes.txt']);
  });
});

describe('a run that does not finish', () => {
  async function* failing(): AsyncGenerator<FormatOutput> {
    yield {
      format: 'json',
      files: [{ path: 'json/a.json', contents: '1' }],
      renderedCases: 0,
      diagnostics: [],
    };
    throw new Error('renderer broke');
  }

  it('leaves no folder it created behind, parents included', async () => {
    const nested = join(root, 'new/suites');
    await expect(writeOutput({ ...options(failing()), outDir: nested })).rejects.toThrow('renderer broke');
    expect(readdirSync(root)).toEqual([]);
  });

  it('keeps a folder that existed, and one the user put a file in meanwhile', async () => {
    mkdirSync(out);
    await expect(writeOutput(options(failing()))).rejects.toThrow('renderer broke');
    expect(readdirSync(out)).toEqual([]);
    async function* userWrites(): AsyncGenerator<FormatOutput> {
      writeFileSync(join(root, 'new', 'notes.txt'), 'mine');
      yield* failing();
    }
    await expect(writeOutput({ ...options(userWrites()), outDir: join(root, 'new') })).rejects.toThrow();
    expect(readdirSync(join(root, 'new'))).toEqual(['notes.txt']);
  });
});

describe('recoverInterruptedWrite', () => {
  it('puts back a folder parked by a killed swap, drops the rest of the leftovers', async () => {
    mkdirSync(join(out, '.specmint-old-1234/vitest'), { recursive: true });
    mkdirSync(join(out, '.specmint-old-1234/json'), { recursive: true });
    writeFileSync(join(out, '.specmint-old-1234/vitest/a.ts'), 'old vitest');
    writeFileSync(join(out, '.specmint-old-1234/json/a.json'), 'old json');
    // json was already swapped in by the killed run; vitest never arrived.
    mkdirSync(join(out, 'json'));
    writeFileSync(join(out, 'json/a.json'), 'new json');
    mkdirSync(join(out, '.specmint-tmp-1234/vitest'), { recursive: true });
    await recoverInterruptedWrite(out);
    expect(readdirSync(out).sort()).toEqual(['json', 'vitest']);
    expect(read('vitest/a.ts')).toBe('old vitest');
    expect(read('json/a.json')).toBe('new json');
  });

  it('is a no-op on a missing folder', async () => {
    await expect(recoverInterruptedWrite(join(root, 'nothing'))).resolves.toBeUndefined();
  });
});

describe('outputs rendered as they are asked for', () => {
  it('writes each format before asking for the next, so only one is held in memory', async () => {
    const staged: string[][] = [];
    function* outputs() {
      yield { format: 'vitest', files: [{ path: 'vitest/a.ts', contents: 'a' }] };
      // By now the first format is on disk in the staging folder.
      const [staging] = readdirSync(out).filter((entry) => entry.startsWith('.specmint-tmp-'));
      staged.push(readdirSync(join(out, staging as string)));
      yield { format: 'json', files: [{ path: 'json/test-plan.json', contents: '{}' }] };
    }
    expect(await writeOutput(options(outputs()))).toEqual(['json/test-plan.json', 'vitest/a.ts']);
    expect(staged).toEqual([['vitest']]);
  });

  it('a format that fails to render leaves everything as it was', async () => {
    await writeOutput(options([{ format: 'vitest', files: [{ path: 'vitest/old.ts', contents: 'old' }] }]));
    const manifest = read(MANIFEST_FILE);
    function* outputs() {
      yield { format: 'vitest', files: [{ path: 'vitest/new.ts', contents: 'new' }] };
      throw new RangeError('Invalid string length');
    }
    await expect(writeOutput(options(outputs()))).rejects.toThrow(RangeError);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'vitest']);
    expect(readdirSync(join(out, 'vitest'))).toEqual(['old.ts']);
    expect(read(MANIFEST_FILE)).toBe(manifest);
  });
});

describe('a file in parts (too large for one string)', () => {
  const parts = ['{\n  "cases": [', '\n    1', ',\n    2', '\n  ]\n}\n'];
  const whole = parts.join('');

  it('is written part after part, and hashed as the whole', async () => {
    await writeOutput(
      options([{ format: 'json', files: [{ path: 'json/test-plan.json', contents: parts }] }]),
    );
    expect(read('json/test-plan.json')).toBe(whole);
    const manifest = JSON.parse(read(MANIFEST_FILE));
    expect(manifest.formats.json['json/test-plan.json']).toBe(
      createHash('sha256').update(whole).digest('hex'),
    );
  });

  it('is compared with the file on disk by --check', async () => {
    const outputs = [{ format: 'json', files: [{ path: 'json/test-plan.json', contents: parts }] }];
    expect(await checkOutput(out, outputs)).toEqual({
      changed: [],
      missing: ['json/test-plan.json'],
      extra: [],
      notManaged: [],
    });
    await writeOutput(options(outputs));
    expect(await checkOutput(out, outputs)).toEqual({ changed: [], missing: [], extra: [], notManaged: [] });
    writeFileSync(join(out, 'json/test-plan.json'), whole.replace('2', '3'));
    expect(await checkOutput(out, outputs)).toEqual({
      changed: ['json/test-plan.json'],
      missing: [],
      extra: [],
      notManaged: [],
    });
  });
});

describe('text longer than the slice it is encoded in', () => {
  // Text is encoded a million UTF-16 code units at a time: a pair split at the boundary must stay one character.
  const slice = 1 << 20;
  const text = `${'a'.repeat(slice - 1)}😀b\ud800c${'é'.repeat(slice)}✗\n`;

  it('is written and hashed byte for byte as UTF-8 encodes it whole, a pair across the boundary included', async () => {
    for (const contents of [text, [text.slice(0, 5), text.slice(5)]]) {
      await writeOutput(options([{ format: 'json', files: [{ path: 'json/big.json', contents }] }]));
      const bytes = readFileSync(join(out, 'json/big.json'));
      expect(bytes.equals(Buffer.from(text, 'utf8'))).toBe(true);
      const manifest = JSON.parse(read(MANIFEST_FILE));
      expect(manifest.formats.json['json/big.json']).toBe(createHash('sha256').update(text).digest('hex'));
    }
  });
});
