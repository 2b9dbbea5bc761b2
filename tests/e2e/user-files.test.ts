/**
 * Regeneration never deletes or changes a file SpecMint did not write (issue #16 §3), for every format, with
 * the built `specmint` against a real licence server: user files added to each format folder (at its top, in
 * a folder SpecMint writes into, in a folder of their own) and every hooks (`once`) file the format renders,
 * edited by the user, are byte-identical after a regeneration with another seed; `--check --json` lists them
 * under `stale.notManaged` and exits 0. A generated file that would land on a user's file stops the run
 * (exit 1) until the user moves it or passes `--force`.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateInMemory } from '../../cli/engine/library.ts';
import { FORMATS } from '../../shared/plans.ts';
import { buildOnce } from './helpers/build-once.ts';
import { type LicenceServer, REPO_ROOT, startLicenceServer } from './helpers/licence-server.ts';
import { type CliOptions, parseJsonOutput, runCli } from './helpers/run-cli.ts';

const PETSTORE = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
let work: string;
let server: LicenceServer;
let token: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-user-files-'));
  server = await startLicenceServer({ dataDir: join(work, 'server-data') });
  await server.createUser({ email: 'files@example.com', password: 'correct-horse-battery', plan: 'pro' });
  token = await server.createToken('files@example.com');
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

function project(name: string): { dir: string; cli: CliOptions } {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(PETSTORE, join(dir, 'openapi.yaml'));
  const env = {
    SPECMINT_API_URL: server.url,
    SPECMINT_CONFIG_DIR: join(dir, '.config'),
    SPECMINT_TOKEN: token,
  };
  return { dir, cli: { cwd: dir, env } };
}

/** Every file under `dir`, as `/` paths relative to it. */
function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current)) {
      const path = join(current, entry);
      if (statSync(path).isDirectory()) walk(path);
      else found.push(relative(dir, path).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.sort();
}

function put(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('files SpecMint did not write, in every format folder', () => {
  const formats = [...FORMATS];
  /** Format → output-relative path → what the user put there. */
  const userFiles = new Map<string, Map<string, string>>();
  /** The `once` files each format renders, per the engine. */
  const onceFiles = new Map<string, string[]>();
  let out = '';
  let unlistedAfterFirstRun: string[] = [];
  let regenerated: Awaited<ReturnType<typeof runCli>>;
  let checked: Awaited<ReturnType<typeof runCli>>;

  beforeAll(async () => {
    const { dir, cli } = project('every-format');
    out = join(dir, 'out');
    const { outputs } = await generateInMemory(PETSTORE, { formats, seed: 1 });
    for (const output of outputs)
      onceFiles.set(
        output.format,
        output.files.filter((f) => f.once).map((f) => f.path),
      );

    const first = await runCli(
      ['generate', 'openapi.yaml', '--format', formats.join(','), '--out', 'out', '--seed', '1'],
      cli,
    );
    expect(first.code, first.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, '.specmint.json'), 'utf8')) as {
      formats: Record<string, Record<string, string>>;
    };
    const owned = new Set(Object.values(manifest.formats).flatMap((files) => Object.keys(files)));
    unlistedAfterFirstRun = filesUnder(out).filter((path) => path !== '.specmint.json' && !owned.has(path));

    for (const format of formats) {
      const generated = Object.keys(manifest.formats[format] ?? {});
      // A folder SpecMint writes into (tests/ where the format has one), else one of the user's own.
      const sub = generated.map((path) => path.split('/')).find((parts) => parts.length > 2)?.[1] ?? 'custom';
      const files = new Map([
        [`${format}/my-notes.md`, `notes for ${format}\n`],
        [`${format}/${sub}/my_extra_check.txt`, `an extra check of mine (${format})\n`],
        [`${format}/my-data/fixture.json`, '{"id": 7}\n'],
        ...(onceFiles.get(format) ?? []).map(
          (path) => [path, `// edited by the user: ${path}\n`] as [string, string],
        ),
      ]);
      for (const [path, text] of files) put(join(out, path), text);
      userFiles.set(format, files);
    }
    regenerated = await runCli(
      ['generate', 'openapi.yaml', '--format', formats.join(','), '--out', 'out', '--seed', '2', '--json'],
      cli,
    );
    checked = await runCli(['generate', 'openapi.yaml', '--out', 'out', '--check', '--json'], cli);
  }, 300_000);

  it('regenerates with another seed and the check passes', () => {
    expect(regenerated.code, regenerated.stderr).toBe(0);
    expect(parseJsonOutput(regenerated)).toMatchObject({ ok: true, mode: 'write' });
    expect(JSON.parse(readFileSync(join(out, '.specmint.json'), 'utf8'))).toMatchObject({ seed: 2 });
    expect(checked.code, checked.stderr).toBe(0);
    expect(parseJsonOutput(checked)).toMatchObject({
      ok: true,
      mode: 'check',
      stale: { changed: [], missing: [], extra: [] },
    });
  });

  it('the files a fresh generation leaves out of the manifest are exactly the formats’ hooks files', () => {
    expect(unlistedAfterFirstRun).toEqual([...onceFiles.values()].flat().sort());
  });

  it.each(formats)(
    '%s: user files and hooks files are byte-identical and listed as not managed',
    (format) => {
      const files = userFiles.get(format)!;
      for (const [path, text] of files) expect(readFileSync(join(out, path), 'utf8'), path).toBe(text);
      const notManaged = (parseJsonOutput(checked) as { stale: { notManaged: string[] } }).stale.notManaged;
      // A folder of the user's own is listed once, as a folder.
      const listed = (path: string) =>
        ['my-data', 'custom']
          .map((folder) => `${format}/${folder}/`)
          .find((folder) => path.startsWith(folder)) ?? path;
      for (const path of files.keys()) expect(notManaged, path).toContain(listed(path));
      expect(checked.stdout + checked.stderr).toContain('Not managed by SpecMint');
    },
  );
});

describe('a generated file where the user has one', () => {
  it('exits 1 and keeps the user file; --force replaces it', async () => {
    const { dir, cli } = project('conflict');
    const first = await runCli(
      ['generate', 'openapi.yaml', '--format', 'pytest', '--out', 'out', '--tags', 'pets,meta'],
      cli,
    );
    expect(first.code, first.stderr).toBe(0);
    const mine = join(dir, 'out/pytest/tests/test_owners.py');
    expect(existsSync(mine)).toBe(false);
    put(mine, 'def test_my_owners(): pass\n');

    const clash = await runCli(
      ['generate', 'openapi.yaml', '--format', 'pytest', '--out', 'out', '--json'],
      cli,
    );
    expect(clash.code, clash.stderr).toBe(1);
    expect(parseJsonOutput(clash)).toMatchObject({
      ok: false,
      error: { code: 'OUTPUT_CONFLICT', details: { conflicts: ['pytest/tests/test_owners.py'] } },
    });
    expect(clash.stderr).toContain('pytest/tests/test_owners.py');
    expect(clash.stderr).toContain('--force');
    expect(readFileSync(mine, 'utf8')).toBe('def test_my_owners(): pass\n');

    const forced = await runCli(
      ['generate', 'openapi.yaml', '--format', 'pytest', '--out', 'out', '--force'],
      cli,
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(mine, 'utf8')).toContain('SpecMint');
  }, 180_000);
});
