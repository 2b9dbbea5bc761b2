/**
 * The bundle carries the runtime files: bundled with the build's plugin (scripts/embed-runtime-files.mjs), the
 * renderers that ship a runtime write byte for byte what they write from source, without any readRuntimeFile
 * call left to read a file beside the bundle; a call the plugin cannot resolve fails the build.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, expect, test } from 'vitest';
import type { FormatModule as Renderer } from '../../cli/engine/render/format-module.ts';
import { jestRenderer } from '../../cli/engine/render/jest/jest-renderer.ts';
import { k6Renderer } from '../../cli/engine/render/k6/index.ts';
import { playwrightRenderer } from '../../cli/engine/render/playwright/playwright-renderer.ts';
import { postmanRenderer } from '../../cli/engine/render/postman/index.ts';
import { pytestRenderer } from '../../cli/engine/render/pytest/index.ts';
import { vitestRenderer } from '../../cli/engine/render/vitest/vitest-renderer.ts';
import { embedRuntimeFiles } from '../../scripts/embed-runtime-files.mjs';
import { PETSTORE_PLAN } from '../fixtures/plans/petstore-plan.ts';

const REPO = resolve(import.meta.dirname, '../..');
const WORK = join(REPO, 'tests/.tmp/embed-runtime-files');

const FROM_SOURCE: Record<string, Renderer> = {
  jestRenderer,
  k6Renderer,
  playwrightRenderer,
  postmanRenderer,
  pytestRenderer,
  vitestRenderer,
};
const MODULES: Record<string, string> = {
  jestRenderer: './cli/engine/render/jest/jest-renderer.ts',
  k6Renderer: './cli/engine/render/k6/index.ts',
  playwrightRenderer: './cli/engine/render/playwright/playwright-renderer.ts',
  postmanRenderer: './cli/engine/render/postman/index.ts',
  pytestRenderer: './cli/engine/render/pytest/index.ts',
  vitestRenderer: './cli/engine/render/vitest/vitest-renderer.ts',
};

async function bundle(contents: string, outfile: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: REPO, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
    plugins: [embedRuntimeFiles],
  });
  const text = result.outputFiles[0]!.text;
  mkdirSync(WORK, { recursive: true });
  writeFileSync(outfile, text);
  return text;
}

afterAll(() => rmSync(WORK, { recursive: true, force: true }));

test('bundled renderers write the same files as from source, and read no runtime file', async () => {
  const entry = Object.entries(MODULES)
    .map(([name, path]) => `export { ${name} } from '${path}';`)
    .join('\n');
  const outfile = join(WORK, 'renderers.mjs');
  const text = await bundle(entry, outfile);
  expect(text).not.toMatch(/readRuntimeFile|specmint_runtime\.py'|runtime\/helpers\.js/);
  const bundled = (await import(pathToFileURL(outfile).href)) as Record<string, Renderer>;
  for (const [name, renderer] of Object.entries(FROM_SOURCE)) {
    const options = { generatorVersion: '1.2.3' };
    expect(bundled[name]!.render(PETSTORE_PLAN, options), name).toEqual(
      renderer.render(PETSTORE_PLAN, options),
    );
  }
});

test('a readRuntimeFile call without a literal path fails the build', async () => {
  const dir = join(WORK, 'cli/engine/render/bad');
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'bad.ts'),
    "import { readRuntimeFile } from '../../../../../../cli/engine/render/common/runtime-file.ts';\nconst name = './x.py';\nexport const TEXT = readRuntimeFile(import.meta.url, name);\n",
  );
  await expect(bundle(`export * from '${join(dir, 'bad.ts')}';`, join(WORK, 'bad.mjs'))).rejects.toThrow(
    /with a literal path/,
  );
});
