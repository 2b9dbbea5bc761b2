/**
 * Start-up cost of `specmint generate`: the built CLI loads the YAML parser, the multi-file bundler
 * (swagger-parser, which pulls in Ajv), the Swagger 2.0 converter and the HTTP client only when the spec
 * needs them. A probe loaded with `--import` lists the packages in the module cache as the process exits.
 * (The packages every run needs, commander, zod, jose…, are bundled into dist/ and never show up there: the
 * YAML and Swagger 2.0 cases are the probe's proof that it sees a package load.)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './helpers/build-once.ts';
import { REPO_ROOT } from './helpers/licence-server.ts';
import { runCli } from './helpers/run-cli.ts';

const FEATURES = join(REPO_ROOT, 'tests/fixtures/specs/features');
/** Prints `LOADED <package>` for every npm package in the CommonJS module cache when the process exits. */
const PROBE = [
  'import { createRequire } from "node:module";',
  'const cache = createRequire(process.cwd() + "/").cache;',
  'process.on("exit", () => {',
  '  const names = new Set();',
  '  for (const file of Object.keys(cache)) {',
  '    const match = /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(file);',
  '    if (match) names.add(match[1]);',
  '  }',
  '  process.stderr.write("\\n" + [...names].map((n) => "LOADED " + n).join("\\n") + "\\n");',
  '});',
].join('\n');
const OPTIONAL = ['yaml', '@apidevtools/swagger-parser', 'swagger2openapi', 'undici', 'ajv'];

let work: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-lazy-'));
}, 300_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function loadedPackages(spec: string): Promise<Set<string>> {
  const result = await runCli(['generate', spec, '--dry-run', '--yes', '--format', 'vitest'], {
    cwd: work,
    env: {
      SPECMINT_CONFIG_DIR: join(work, 'config'),
      NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(PROBE)}`,
    },
  });
  expect(result.code, result.stderr).toBe(0);
  return new Set([...result.stderr.matchAll(/^LOADED (.+)$/gm)].map((m) => m[1] as string));
}

describe('generate loads what the spec needs, no more', () => {
  it('a JSON OpenAPI 3 file loads no YAML parser, bundler, converter or HTTP client', async () => {
    const loaded = await loadedPackages(join(FEATURES, 'petstore.json'));
    expect(OPTIONAL.filter((name) => loaded.has(name))).toEqual([]);
  });

  it('a YAML file loads the YAML parser; a Swagger 2.0 file the converter', async () => {
    expect(await loadedPackages(join(FEATURES, 'allof.yaml'))).toContain('yaml');
    expect(await loadedPackages(join(FEATURES, 'swagger-2.0-minimal.json'))).toContain('swagger2openapi');
  });
});
