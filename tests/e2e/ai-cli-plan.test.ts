/**
 * `specmint generate --ai …` through the built binary against a real licence server: the plan decides before
 * any AI request is made (Free → exit 4, Pro with a custom endpoint → exit 4; the fake provider sees nothing),
 * and Enterprise with `--ai-base-url` gets AI cases from the fake (once the CLI calls enhancePlan).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi } from '../ai/fake-openai-server.ts';
import type { FakeProvider } from '../ai/fake-provider-core.ts';
import { proposalsByOperation } from '../ai/petstore-proposals.ts';
import { TEST_KEY } from '../ai/provider-fixtures.ts';
import { buildOnce } from './helpers/build-once.ts';
import { type LicenceServer, REPO_ROOT, startLicenceServer } from './helpers/licence-server.ts';
import { parseJsonOutput, runCli } from './helpers/run-cli.ts';

const PETSTORE_TEXT = readFileSync(join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml'), 'utf8');
/** True once `specmint generate` calls the AI stage (cli/commands/generate/run-generate.ts). */
const CLI_CALLS_AI = readFileSync(join(REPO_ROOT, 'cli/commands/generate/run-generate.ts'), 'utf8').includes(
  'enhancePlan',
);

let work: string;
let server: LicenceServer;
let fake: FakeProvider;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-ai-cli-'));
  server = await startLicenceServer({ dataDir: join(work, 'server-data') });
  fake = await startFakeOpenAi({ apiKey: TEST_KEY, proposals: proposalsByOperation() });
}, 300_000);

afterAll(async () => {
  await fake?.close();
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function project(name: string, plan: 'free' | 'pro' | 'enterprise') {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'petstore.yaml'),
    PETSTORE_TEXT.replace('title: SpecMint Pet Store', `title: AI ${name}`),
  );
  const email = `${name}@example.test`;
  await server.createUser({ email, password: 'correct-horse-battery', plan });
  const token = await server.createToken(email);
  const env = {
    SPECMINT_API_URL: server.url,
    SPECMINT_CONFIG_DIR: join(dir, '.config'),
    SPECMINT_TOKEN: token,
    OPENAI_API_KEY: TEST_KEY,
  };
  return { dir, env };
}

describe('generate --ai and the plan', () => {
  it('Free: exit 4 with FEATURE_NOT_IN_PLAN, before any AI request', async () => {
    const { dir, env } = await project('free', 'free');
    const before = fake.requests.length;
    for (const extra of [[], ['--ai-base-url', `${fake.origin}/v1`]]) {
      const result = await runCli(
        ['generate', 'petstore.yaml', '--format', 'json', '--ai', 'openai', ...extra, '--json'],
        {
          cwd: dir,
          env,
        },
      );
      expect(result.code, result.stderr).toBe(4);
      expect(parseJsonOutput(result)).toMatchObject({ ok: false, error: { code: 'FEATURE_NOT_IN_PLAN' } });
      expect(result.stdout + result.stderr).not.toContain(TEST_KEY);
    }
    expect(fake.requests.length).toBe(before);
  }, 120_000);

  it('Pro: a custom endpoint needs Enterprise (exit 4, no AI request)', async () => {
    const { dir, env } = await project('pro', 'pro');
    const before = fake.requests.length;
    const result = await runCli(
      [
        'generate',
        'petstore.yaml',
        '--format',
        'json',
        '--ai',
        'openai',
        '--ai-base-url',
        `${fake.origin}/v1`,
        '--json',
      ],
      { cwd: dir, env },
    );
    expect(result.code, result.stderr).toBe(4);
    expect(parseJsonOutput(result)).toMatchObject({ ok: false, error: { code: 'FEATURE_NOT_IN_PLAN' } });
    expect(fake.requests.length).toBe(before);
  }, 120_000);

  it.skipIf(!CLI_CALLS_AI)(
    'Enterprise: AI cases from the custom endpoint, the key sent only there',
    async () => {
      const { dir, env } = await project('enterprise', 'enterprise');
      const before = fake.modelRequests().length;
      const result = await runCli(
        [
          'generate',
          'petstore.yaml',
          '--format',
          'json',
          '--ai',
          'openai',
          '--ai-base-url',
          `${fake.origin}/v1`,
          '--json',
        ],
        { cwd: dir, env },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(fake.modelRequests().length).toBeGreaterThan(before);
      const out = parseJsonOutput(result) as { outDir: string; files: string[] };
      const planFile = out.files.find((f) => f.startsWith('json/') && f.endsWith('.json'));
      expect(planFile, out.files.join('\n')).toBeDefined();
      const text = readFileSync(join(out.outDir, planFile ?? ''), 'utf8');
      const plan = JSON.parse(text) as { cases: Array<{ ai?: { provider: string; model: string } }> };
      expect(plan.cases.filter((c) => c.ai?.provider === 'openai').length).toBeGreaterThan(0);
      expect(result.stdout + result.stderr + text).not.toContain(TEST_KEY);
    },
    180_000,
  );
});
