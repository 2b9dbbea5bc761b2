/**
 * scripts/smoke.ts against a real licence server (the app on embedded PGlite, served on a loopback port):
 * it passes on a healthy server, charges once per period, and fails — with a non-zero exit from the CLI —
 * on a bad token, a JWKS that does not hold the signing key, a server that is not ready, a wrong version
 * and an unreachable host.
 */
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createAdaptorServer } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSmoke, SMOKE_SPEC_HASH } from '../../scripts/smoke.ts';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import {
  createTestDatabase,
  createTestServer,
  createUserWithToken,
  type TestDatabase,
  type TestServer,
} from '../server/harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const execFileAsync = promisify(execFile);

type Handler = (request: Request) => Response | Promise<Response>;

interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1 and a random port. */
async function serve(handler: Handler): Promise<Served> {
  const server = createAdaptorServer({ fetch: handler });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A JWKS holding a key the server never signs with. */
function foreignJwks(): unknown {
  const { publicKey } = generateKeyPairSync('ed25519');
  const jwk = publicKey.export({ format: 'jwk' });
  return { keys: [{ kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: 'foreign', alg: 'EdDSA', use: 'sig' }] };
}

async function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(
      process.execPath,
      ['--import', 'tsx', 'scripts/smoke.ts', ...args],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        timeout: 60_000,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}

describe('deploy smoke test (scripts/smoke.ts)', () => {
  let database: TestDatabase;
  let app: TestServer;
  let live: Served;
  let token = '';
  const extra: Served[] = [];

  /** The live app behind a wrapper that can replace some answers. */
  async function wrapped(override: (request: Request) => Response | undefined): Promise<Served> {
    const served = await serve((request) => override(request) ?? app.app.fetch(request));
    extra.push(served);
    return served;
  }

  beforeAll(async () => {
    database = await createTestDatabase('pglite');
    app = await createTestServer('pglite', database.handle);
    token = (await createUserWithToken(app, 'free')).token;
    live = await serve((request) => app.app.fetch(request));
  });

  afterAll(async () => {
    await Promise.all([live?.close(), ...extra.map((served) => served.close())]);
    await database?.dispose();
  });

  it('passes against a healthy server, and a re-run on the same spec hash is free', async () => {
    const lines: string[] = [];
    const first = await runSmoke({
      baseUrl: `${live.url}/`,
      token,
      expectVersion: SPECMINT_VERSION,
      log: (l) => lines.push(l),
    });
    expect(first.checks.map((c) => [c.name, c.ok])).toEqual([
      ['healthz', true],
      ['readyz', true],
      ['jwks', true],
      ['generation', true],
      ['complete', true],
    ]);
    expect(first.ok).toBe(true);
    expect(first.charged).toBe(true);
    expect(lines).toHaveLength(5);
    const second = await runSmoke({ baseUrl: live.url, token });
    expect(second.ok).toBe(true);
    expect(second.charged).toBe(false);
    expect(second.generationId).not.toBe(first.generationId);

    const history = await app.request('/v1/generations', { headers: { authorization: `Bearer ${token}` } });
    const items = ((await history.json()) as { items: Array<{ specHash: string; status: string }> }).items;
    expect(
      items.filter((item) => item.specHash === SMOKE_SPEC_HASH && item.status === 'completed'),
    ).toHaveLength(2);
  });

  it('fails at the generation check with an invalid token', async () => {
    const report = await runSmoke({ baseUrl: live.url, token: 'smk_not-a-real-token-000000000000' });
    expect(report.ok).toBe(false);
    const failed = report.checks.at(-1)!;
    expect(failed.name).toBe('generation');
    expect(failed.detail).toContain('401');
    expect(failed.detail).toContain('UNAUTHENTICATED');
  });

  it('fails when the usage token does not verify against the published JWKS', async () => {
    const jwks = foreignJwks();
    const served = await wrapped((request) =>
      new URL(request.url).pathname === '/.well-known/jwks.json' ? Response.json(jwks) : undefined,
    );
    const report = await runSmoke({ baseUrl: served.url, token });
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({ name: 'generation', ok: false });
    expect(report.checks.at(-1)!.detail).toContain('unknown_kid');
  });

  it('retries /readyz and fails when the database never becomes ready', async () => {
    let calls = 0;
    const served = await wrapped((request) => {
      if (new URL(request.url).pathname !== '/readyz') return undefined;
      calls++;
      return Response.json(
        { error: { code: 'SERVICE_UNAVAILABLE', message: 'down', requestId: 'r1' } },
        { status: 503 },
      );
    });
    const report = await runSmoke({ baseUrl: served.url, token, readyTimeoutMs: 2500 });
    expect(report.ok).toBe(false);
    expect(report.checks.at(-1)).toMatchObject({ name: 'readyz', ok: false });
    expect(report.checks.at(-1)!.detail).toContain('SERVICE_UNAVAILABLE');
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('fails when another version is live than expected', async () => {
    const report = await runSmoke({ baseUrl: live.url, token, expectVersion: '999.0.0' });
    expect(report.checks).toHaveLength(1);
    expect(report.checks[0]).toMatchObject({ name: 'healthz', ok: false });
    expect(report.checks[0]!.detail).toContain('expected 999.0.0');
  });

  it('exits 0 / 1 / 2 from the command line', async () => {
    const ok = await runCli(['--url', live.url, '--json', '--ready-timeout', '5'], {
      SPECMINT_SMOKE_TOKEN: token,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, charged: false });
    expect(ok.stderr).toContain('smoke test passed');

    const badToken = await runCli(['--url', live.url, '--token', 'smk_wrong-token-value-000000000'], {});
    expect(badToken.code).toBe(1);
    expect(badToken.stderr).toContain('FAIL generation');

    const closed = await serve(() => new Response('gone'));
    await closed.close();
    const unreachable = await runCli(['--url', closed.url, '--ready-timeout', '0'], {
      SPECMINT_SMOKE_TOKEN: token,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('FAIL healthz');

    const usage = await runCli([], {});
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage:');
  });
});
