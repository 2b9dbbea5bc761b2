/**
 * `generate` in a terminal knows the account's plan (issue #19, item 7): its format picker shows formats
 * outside the plan as "needs Pro" and does not let them be chosen, and a run asked for such a format offers
 * to continue without it instead of ending with exit 4.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOnce } from './helpers/build-once.ts';
import { type LicenceServer, REPO_ROOT, startLicenceServer } from './helpers/licence-server.ts';
import { hasScript, spawnInPty } from './helpers/pty.ts';

const CLI = join(REPO_ROOT, 'bin', 'specmint');
const PETSTORE = join(REPO_ROOT, 'tests/fixtures/specs/sut/petstore.yaml');
/** Without `script` there is no pty: skipped with this reason, except under CI where it must run. */
const noPty = !hasScript() && !process.env.CI;
let work: string;
let server: LicenceServer;
let freeToken: string;

beforeAll(async () => {
  await buildOnce();
  work = mkdtempSync(join(tmpdir(), 'specmint-plan-formats-'));
  server = await startLicenceServer({ dataDir: join(work, 'server-data') });
  await server.createUser({ email: 'free@example.com', password: 'correct-horse-battery', plan: 'free' });
  freeToken = await server.createToken('free@example.com');
}, 300_000);

afterAll(async () => {
  await server?.stop();
  rmSync(work, { recursive: true, force: true });
});

function project(name: string): { dir: string; env: Record<string, string> } {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(PETSTORE, join(dir, 'openapi.yaml'));
  return {
    dir,
    env: {
      SPECMINT_API_URL: server.url,
      SPECMINT_CONFIG_DIR: join(dir, '.config'),
      SPECMINT_TOKEN: freeToken,
    },
  };
}

describe.skipIf(noPty)(
  'generate in a terminal on the Free plan (needs util-linux `script` for a pty)',
  () => {
    it('asks to continue without a format the plan lacks, then writes the others', async () => {
      const { dir, env } = project('continue-without');
      const session = spawnInPty(
        [process.execPath, CLI, 'generate', 'openapi.yaml', '--format', 'pytest,k6'],
        {
          cwd: dir,
          env,
        },
      );
      await session.waitFor(/Your Free plan does not include k6\. Continue without k6\?/);
      session.type('y\r');
      const result = await session.done;
      expect(result.code, session.screen()).toBe(0);
      expect(existsSync(join(dir, 'specmint-tests', 'pytest', 'README.md'))).toBe(true);
      expect(existsSync(join(dir, 'specmint-tests', 'k6'))).toBe(false);
    }, 180_000);

    it('answered no, the licence server refuses the format with the upgrade hint (exit 4)', async () => {
      const { dir, env } = project('refuse');
      const session = spawnInPty(
        [process.execPath, CLI, 'generate', 'openapi.yaml', '--format', 'pytest,k6'],
        {
          cwd: dir,
          env,
        },
      );
      await session.waitFor(/Continue without k6\?/);
      session.type('n\r');
      const result = await session.done;
      expect(result.code, session.screen()).toBe(4);
      expect(existsSync(join(dir, 'specmint-tests'))).toBe(false);
    }, 180_000);

    it('the format picker shows the formats outside the plan as "needs Pro", and they cannot be chosen', async () => {
      const { dir, env } = project('picker');
      const session = spawnInPty([process.execPath, CLI, 'generate', 'openapi.yaml'], { cwd: dir, env });
      await session.waitFor(/Formats to generate/);
      await session.waitFor(/k6 \(needs Pro\)/);
      expect(session.screen()).toContain('playwright (needs Pro)');
      const before = session.screen().length;
      // "a" selects every selectable choice.
      session.type('a');
      await session.waitFor(/◉ json/, { from: before });
      session.type('\r');
      const result = await session.done;
      expect(result.code, session.screen()).toBe(0);
      for (const format of ['pytest', 'vitest', 'jest', 'postman', 'json'])
        expect(existsSync(join(dir, 'specmint-tests', format)), format).toBe(true);
      for (const format of ['k6', 'playwright', 'sql'])
        expect(existsSync(join(dir, 'specmint-tests', format)), format).toBe(false);
    }, 180_000);
  },
);
