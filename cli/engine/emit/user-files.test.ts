/**
 * Regeneration never deletes or changes a file SpecMint did not write (issue #16 §3): the manifest lists what
 * SpecMint owns, everything else in a format folder (and the output root) is carried into the new folder,
 * a `once` (hooks) file is created only when absent, a generated file that would land on a user's file stops
 * the run unless forced, and `--check` lists what it does not manage without failing on it.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpecMintError } from '../../errors.ts';
import type { FormatOutput } from '../ports.ts';
import { checkOutput } from './check-output.ts';
import { fileOutput } from './file-output.ts';
import { memoryOutput } from './memory-output.ts';
import { type FormatFiles, MANIFEST_FILE, readManifest, writeOutput } from './write-output.ts';

let root: string;
let out: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'specmint-user-files-'));
  out = join(root, 'out');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const FACTS = { version: '1.0.0', specHash: 'abc', seed: 1, depth: 'quick' as const };
const read = (path: string) => readFileSync(join(out, path), 'utf8');
const put = (path: string, text: string) => {
  mkdirSync(dirname(join(out, path)), { recursive: true });
  writeFileSync(join(out, path), text);
};

/** A pytest-like format as a renderer would give it; `seed` changes every generated file. */
function pytest(seed: number, extra: FormatFiles['files'] = []): FormatFiles {
  return {
    format: 'pytest',
    files: [
      { path: 'pytest/README.md', contents: `readme ${seed}` },
      { path: 'pytest/tests/test_pets.py', contents: `def test_pets(): ${seed}` },
      { path: 'pytest/hooks.py', contents: `# hooks, seed ${seed}`, once: true },
      ...extra,
    ],
  };
}

const write = (outputs: FormatFiles[], force = false) =>
  writeOutput({ outDir: out, outputs, manifest: FACTS, force });

async function error(promise: Promise<unknown>): Promise<SpecMintError> {
  const caught = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(caught).toBeInstanceOf(SpecMintError);
  return caught as SpecMintError;
}

describe('regenerating a format folder', () => {
  it('keeps every file SpecMint did not write, byte for byte, and the very same file (hard link)', async () => {
    await write([pytest(1, [{ path: 'pytest/tests/test_gone.py', contents: 'dropped next time' }])]);
    put('pytest/conftest.py', 'import pytest\n');
    put('pytest/tests/test_mine.py', 'def test_mine(): pass\n');
    put('pytest/.venv/lib/site.py', 'x = 1\n');
    put('pytest/.venv/bin/python', '#!/bin/sh\n');
    mkdirSync(join(out, 'pytest/empty-folder'));
    symlinkSync('tests/test_mine.py', join(out, 'pytest/link-to-mine'));
    put('notes.txt', 'root file');
    const inode = statSync(join(out, 'pytest/conftest.py')).ino;

    const written = await write([pytest(2)]);

    expect(read('pytest/conftest.py')).toBe('import pytest\n');
    expect(statSync(join(out, 'pytest/conftest.py')).ino).toBe(inode);
    expect(read('pytest/tests/test_mine.py')).toBe('def test_mine(): pass\n');
    expect(read('pytest/.venv/lib/site.py')).toBe('x = 1\n');
    expect(read('pytest/.venv/bin/python')).toBe('#!/bin/sh\n');
    expect(existsSync(join(out, 'pytest/empty-folder'))).toBe(true);
    expect(readlinkSync(join(out, 'pytest/link-to-mine'))).toBe('tests/test_mine.py');
    expect(read('notes.txt')).toBe('root file');
    // SpecMint's own files: replaced, or dropped when no longer generated.
    expect(read('pytest/tests/test_pets.py')).toBe('def test_pets(): 2');
    expect(existsSync(join(out, 'pytest/tests/test_gone.py'))).toBe(false);
    expect(written).toEqual(['pytest/README.md', 'pytest/tests/test_pets.py']);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'notes.txt', 'pytest']);
    const manifest = await readManifest(out);
    expect(Object.keys(manifest?.formats.pytest ?? {}).sort()).toEqual([
      'pytest/README.md',
      'pytest/tests/test_pets.py',
    ]);
  });

  it('leaves the user files alone when the run is stopped before the swap', async () => {
    await write([pytest(1)]);
    put('pytest/conftest.py', 'mine');
    const controller = new AbortController();
    function* outputs() {
      yield pytest(2);
      controller.abort();
    }
    await expect(
      writeOutput({ outDir: out, outputs: outputs(), manifest: FACTS, signal: controller.signal }),
    ).rejects.toThrow();
    expect(read('pytest/conftest.py')).toBe('mine');
    expect(read('pytest/README.md')).toBe('readme 1');
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'pytest']);
  });
});

describe('a once (hooks) file', () => {
  it('is created when absent, never listed as owned, and never overwritten or deleted', async () => {
    expect(await write([pytest(1)])).toContain('pytest/hooks.py');
    expect(read('pytest/hooks.py')).toBe('# hooks, seed 1');
    expect(Object.keys((await readManifest(out))?.formats.pytest ?? {})).not.toContain('pytest/hooks.py');

    put('pytest/hooks.py', 'def before_run(): print("mine")\n');
    expect(await write([pytest(2)])).not.toContain('pytest/hooks.py');
    expect(read('pytest/hooks.py')).toBe('def before_run(): print("mine")\n');
    await write([pytest(3)], true);
    expect(read('pytest/hooks.py')).toBe('def before_run(): print("mine")\n');

    // A later version that no longer renders it still does not delete it.
    await write([{ format: 'pytest', files: [{ path: 'pytest/README.md', contents: 'r' }] }]);
    expect(read('pytest/hooks.py')).toBe('def before_run(): print("mine")\n');

    // Deleted by the user: created again.
    rmSync(join(out, 'pytest/hooks.py'));
    await write([pytest(4)]);
    expect(read('pytest/hooks.py')).toBe('# hooks, seed 4');
  });

  it('is not created where the user has a file in place of its folder', async () => {
    const hooks = { path: 'pytest/support/hooks.py', contents: 'h', once: true as const };
    await write([pytest(1)]);
    put('pytest/support', 'a file of mine');
    await write([pytest(2, [hooks])]);
    expect(read('pytest/support')).toBe('a file of mine');
  });
});

describe('a generated file where the user has one', () => {
  it('stops the run (exit 1, OUTPUT_CONFLICT) and changes nothing', async () => {
    await write([pytest(1)]);
    put('pytest/tests/test_orders.py', 'my orders test');
    const manifest = read(MANIFEST_FILE);
    const next = pytest(2, [{ path: 'pytest/tests/test_orders.py', contents: 'generated orders' }]);
    const failure = await error(write([next]));
    expect(failure.exitCode).toBe(1);
    expect(failure.code).toBe('OUTPUT_CONFLICT');
    expect(failure.message).toContain('pytest/tests/test_orders.py');
    expect(failure.hint).toContain('--force');
    expect((failure as SpecMintError & { details: unknown }).details).toEqual({
      conflicts: ['pytest/tests/test_orders.py'],
    });
    expect(read('pytest/tests/test_orders.py')).toBe('my orders test');
    expect(read('pytest/README.md')).toBe('readme 1');
    expect(read(MANIFEST_FILE)).toBe(manifest);
    expect(readdirSync(out).sort()).toEqual([MANIFEST_FILE, 'pytest']);

    // --force: the generated file replaces it, and SpecMint owns it from then on.
    await write([next], true);
    expect(read('pytest/tests/test_orders.py')).toBe('generated orders');
    expect(Object.keys((await readManifest(out))?.formats.pytest ?? {})).toContain(
      'pytest/tests/test_orders.py',
    );
  });

  it('names a file where a folder is needed and a folder where a file goes', async () => {
    await write([pytest(1)]);
    put('pytest/flows', 'a file');
    mkdirSync(join(out, 'pytest/test_x.py'));
    const next = pytest(2, [
      { path: 'pytest/flows/test_flow.py', contents: 'flow' },
      { path: 'pytest/test_x.py', contents: 'x' },
    ]);
    const failure = await error(write([next]));
    expect(failure.message).toContain('pytest/flows  (where the suite needs a folder)');
    expect(failure.message).toContain('pytest/test_x.py/  (a folder where the suite writes a file)');
  });

  it('takes over a file that is already exactly what it generates', async () => {
    await write([pytest(1)]);
    put('pytest/tests/test_orders.py', 'generated orders');
    await write([pytest(2, [{ path: 'pytest/tests/test_orders.py', contents: 'generated orders' }])]);
    expect(Object.keys((await readManifest(out))?.formats.pytest ?? {})).toContain(
      'pytest/tests/test_orders.py',
    );
  });
});

describe('--force on a folder SpecMint did not write', () => {
  it('writes the suite into it, replacing files at its paths and keeping the others', async () => {
    put('pytest/README.md', 'an old readme');
    put('pytest/mine.py', 'mine');
    put('other/thing.txt', 'other');
    await expect(write([pytest(1)])).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    await write([pytest(1)], true);
    expect(read('pytest/README.md')).toBe('readme 1');
    expect(read('pytest/mine.py')).toBe('mine');
    expect(read('other/thing.txt')).toBe('other');
  });
});

describe('--check', () => {
  it('lists what SpecMint does not manage and never fails on it; a hooks file is never compared', async () => {
    await write([pytest(1, [{ path: 'pytest/tests/test_gone.py', contents: 'g' }])]);
    put('pytest/conftest.py', 'mine');
    put('pytest/tests/test_mine.py', 'mine');
    put('pytest/.venv/lib/site.py', 'venv');
    put('pytest/hooks.py', 'edited hooks');
    put('notes.txt', 'root');
    expect(await checkOutput(out, [pytest(1)], { root: true })).toEqual({
      changed: [],
      missing: [],
      extra: ['pytest/tests/test_gone.py'],
      notManaged: [
        'notes.txt',
        'pytest/.venv/',
        'pytest/conftest.py',
        'pytest/hooks.py',
        'pytest/tests/test_mine.py',
      ],
    });
    rmSync(join(out, 'pytest/hooks.py'));
    expect(await checkOutput(out, [pytest(1)])).toMatchObject({ missing: [], changed: [] });
  });

  it('compares a user file at a generated path like any other', async () => {
    await write([pytest(1)]);
    put('pytest/tests/test_orders.py', 'mine');
    const next = pytest(1, [{ path: 'pytest/tests/test_orders.py', contents: 'generated' }]);
    expect(await checkOutput(out, [next])).toMatchObject({
      changed: ['pytest/tests/test_orders.py'],
      notManaged: ['pytest/hooks.py'],
    });
  });
});

describe('the engine output port', () => {
  /** A renderer stand-in: what the engine hands the port for a format with a hooks file. */
  const rendered = (seed: number): FormatOutput => ({
    ...pytest(seed),
    format: 'pytest',
    renderedCases: 1,
    diagnostics: [],
  });

  it('fileOutput: writes a hooks file once, keeps user files, lists the root once when checking', async () => {
    const port = fileOutput({ outDir: out, force: false });
    await port.prepare(['pytest']);
    await port.write([rendered(1)], FACTS);
    put('pytest/hooks.py', 'user hooks');
    put('pytest/conftest.py', 'user conftest');
    put('keep.md', 'root');
    await port.write([rendered(2)], { ...FACTS, seed: 2 });
    expect(read('pytest/hooks.py')).toBe('user hooks');
    expect(read('pytest/conftest.py')).toBe('user conftest');
    expect(read('pytest/README.md')).toBe('readme 2');

    const checking = fileOutput({ outDir: out, force: false });
    const first = await checking.check([rendered(2)]);
    expect(first).toEqual({
      changed: [],
      missing: [],
      extra: [],
      notManaged: ['keep.md', 'pytest/conftest.py', 'pytest/hooks.py'],
    });
    const second = await checking.check([{ ...rendered(2), format: 'pytest' }]);
    expect(second.notManaged).toEqual(['pytest/conftest.py', 'pytest/hooks.py']);
  });

  it('memoryOutput: a hooks file is never reported missing by check', async () => {
    expect(await memoryOutput().check([rendered(1)])).toEqual({
      changed: [],
      missing: ['pytest/README.md', 'pytest/tests/test_pets.py'],
      extra: [],
      notManaged: [],
    });
  });
});
