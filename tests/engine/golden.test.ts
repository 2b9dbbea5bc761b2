/**
 * Golden files: every format × feature fixture is generated through the same pipeline `specmint generate` runs
 * (runGeneration, with the files kept in memory) and compared file by file with the committed copy under
 * tests/golden/<format>/<fixture>/. Update deliberately with `npx vitest run tests/engine/golden.test.ts -u` and
 * review the diff. Under CI a missing golden file fails (vitest does not write snapshots when CI is set).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInMemory } from '../../cli/engine/library.ts';
import { FORMATS } from '../../shared/plans.ts';

const FEATURES = 'tests/fixtures/specs/features';

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

describe.each(fixtures())('golden output for $name', ({ name, path }) => {
  it('matches the committed files for every format and is deterministic', async () => {
    const settings = { seed: 42, formats: [...FORMATS], generatorVersion: 'golden' };
    const first = await generateInMemory(path, settings);
    const second = await generateInMemory(path, settings);
    expect(JSON.stringify(second.outputs)).toBe(JSON.stringify(first.outputs));
    for (const output of first.outputs) {
      for (const file of output.files) {
        const relative = file.path.slice(output.format.length + 1);
        await expect(file.contents).toMatchFileSnapshot(join('..', 'golden', output.format, name, relative));
      }
    }
  });
});
