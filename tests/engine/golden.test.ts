/**
 * Golden files: every format × feature fixture is generated through the same pipeline `specmint generate` runs
 * (runGeneration, with the files kept in memory) and compared file by file with the committed copy under
 * tests/golden/<format>/<fixture>/. Runtime texts, the same for every spec, are kept once under
 * tests/golden/_runtime/<format>/ (golden-runtimes.ts); a per-spec file that embeds one holds a marker line in
 * its place. Update deliberately with `npx vitest run tests/engine/golden.test.ts -u` and review the diff.
 * Under CI a missing golden file fails (vitest does not write snapshots when CI is set), and a golden file no
 * renderer writes any more fails everywhere.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInMemory } from '../../cli/engine/library.ts';
import { joinText } from '../../cli/engine/render/common/file-text.ts';
import { FORMATS } from '../../shared/plans.ts';
import { goldenParts, RUNTIME_GOLDEN_DIR } from './golden-runtimes.ts';

const FEATURES = 'tests/fixtures/specs/features';
const GOLDEN = join(import.meta.dirname, '..', 'golden');

/** Every loadable feature fixture (single files and multi-file folders with an `openapi.yaml` root). */
function fixtures(): Array<{ name: string; path: string }> {
  const out: Array<{ name: string; path: string }> = [];
  for (const entry of readdirSync(FEATURES).sort()) {
    const path = join(FEATURES, entry);
    if (statSync(path).isDirectory()) {
      if (entry === 'invalid') continue;
      const root = readdirSync(path).find((f) => /^(openapi|root|main|index)\.(ya?ml|json)$/.test(f));
      if (root) out.push({ name: entry, path: join(path, root) });
      continue;
    }
    out.push({ name: entry.replace(/\.(ya?ml|json)$/, ''), path });
  }
  return out;
}

/** Files under `dir`, relative to it ('' when it does not exist). */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'))
      .sort();
  } catch {
    return [];
  }
}

describe.each(fixtures())('golden output for $name', ({ name, path }) => {
  it('matches the committed files for every format and is deterministic', async () => {
    const settings = { seed: 42, formats: [...FORMATS], generatorVersion: 'golden' };
    const first = await generateInMemory(path, settings);
    const second = await generateInMemory(path, settings);
    expect(JSON.stringify(second.outputs)).toBe(JSON.stringify(first.outputs));
    for (const output of first.outputs) {
      const perSpec: string[] = [];
      for (const file of output.files) {
        const relativePath = file.path.slice(output.format.length + 1);
        const parts = goldenParts(output.format, relativePath, joinText(file.contents));
        for (const runtime of parts.runtimes) {
          await expect(runtime.contents).toMatchFileSnapshot(
            join('..', 'golden', RUNTIME_GOLDEN_DIR, output.format, runtime.name),
          );
        }
        if (parts.perSpec === undefined) continue;
        perSpec.push(relativePath);
        await expect(parts.perSpec).toMatchFileSnapshot(
          join('..', 'golden', output.format, name, relativePath),
        );
      }
      const stale = filesUnder(join(GOLDEN, output.format, name)).filter((file) => !perSpec.includes(file));
      expect(stale, `golden files of ${output.format}/${name} that nothing writes any more`).toEqual([]);
    }
  });
});
