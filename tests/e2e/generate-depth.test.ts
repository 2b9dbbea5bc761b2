/**
 * `generate --depth` on the built CLI: the summary and `--json` say how many inputs a depth gave, the config
 * file's `depth` is used, a bad value is a usage error, and a re-run or `--check` without `--depth` uses the
 * depth recorded in the output folder.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './helpers/build-once.ts';
import { type LicenceServer, REPO_ROOT, startLicenceServer } from './helpers/licence-server.ts';
import { type CliOptions, parseJsonOutput, runCli } from './helpers/run-cli.ts';

const PETSTORE = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
let work: string;
let server: LicenceServer;
let token: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-depth-'));
  server = await startLicenceServer({ dataDir: join(work, 'server-data') });
  await server.createUser({ email: 'depth@example.com', password: 'correct-horse-battery', plan: 'pro' });
  token = await server.createToken('depth@example.com');
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function project(name: string): CliOptions {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return {
    cwd: dir,
    env: { SPECMINT_API_URL: server.url, SPECMINT_CONFIG_DIR: join(dir, '.config'), SPECMINT_TOKEN: token },
  };
}

type Result = { depth: string; inputs: number; tests: number; testsByCategory: Record<string, number> };

describe('generate --depth', () => {
  it('says how many inputs each depth gives, default standard', async () => {
    const options = project('dry');
    const run = async (extra: string[]) =>
      parseJsonOutput(
        await runCli(['generate', PETSTORE, '--format', 'json', '--dry-run', '--json', ...extra], options),
      ) as unknown as Result;
    const quick = await run(['--depth', 'quick']);
    const standard = await run([]);
    const deep = await run(['--depth', 'deep']);
    expect(quick).toMatchObject({ depth: 'quick' });
    expect(standard).toMatchObject({ depth: 'standard' });
    expect(quick.inputs).toBe(quick.testsByCategory.contract);
    expect(standard.inputs).toBeGreaterThan(quick.inputs * 5);
    expect(deep.inputs).toBeGreaterThan(standard.inputs);
    // Only the contract cases grow: the other categories are the same at every depth.
    expect(standard.tests - standard.inputs).toBe(quick.tests - quick.inputs);
    const human = await runCli(['generate', PETSTORE, '--format', 'json', '--dry-run'], options);
    expect(human.stdout).toMatch(new RegExp(`Depth standard: ${standard.inputs} valid inputs`));
  }, 120_000);

  it('takes depth from specmint.config.json, and refuses an unknown one (exit 2)', async () => {
    const options = project('config');
    writeFileSync(join(options.cwd, 'specmint.config.json'), JSON.stringify({ depth: 'quick' }));
    const fromFile = parseJsonOutput(
      await runCli(['generate', PETSTORE, '--format', 'json', '--dry-run', '--json'], options),
    ) as unknown as Result;
    expect(fromFile.depth).toBe('quick');
    const bad = await runCli(
      ['generate', PETSTORE, '--format', 'json', '--dry-run', '--depth', 'huge'],
      options,
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/quick, standard, deep/);
  }, 120_000);

  it('is recorded in the output folder: --check without --depth uses it, another depth is stale', async () => {
    const options = project('manifest');
    const written = await runCli(
      ['generate', PETSTORE, '--format', 'json,vitest', '--depth', 'quick'],
      options,
    );
    expect(written.code, written.stderr).toBe(0);
    const check = await runCli(['generate', PETSTORE, '--check'], options);
    expect(check.code, check.stderr).toBe(0);
    const other = await runCli(['generate', PETSTORE, '--check', '--depth', 'standard'], options);
    expect(other.code).toBe(3);
  }, 180_000);
});
