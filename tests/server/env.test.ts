import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../server/env.ts';
import { createSilentLogger } from '../../server/logger.ts';
import { generateSigningKeyPem, resolveSecrets, splitPemKeys } from '../../server/secrets.ts';

describe('parseEnv', () => {
  it('applies defaults', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      port: 8787,
      host: '127.0.0.1',
      production: false,
      apiRateLimitPerMinute: 600,
    });
    expect(env.dataDir).toBe(join(process.cwd(), '.specmint/server'));
    expect(env.databaseUrl).toBeUndefined();
  });

  it('reports every problem at once', () => {
    try {
      parseEnv({
        PORT: '99999',
        DATABASE_URL: 'mysql://x',
        BETTER_AUTH_SECRET: 'short',
        SPECMINT_BASE_URL: 'nope',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as EnvError).problems.map((problem) => problem.split(':')[0])).toEqual([
        'PORT',
        'DATABASE_URL',
        'SPECMINT_BASE_URL',
        'BETTER_AUTH_SECRET',
      ]);
    }
  });

  it('needs OAuth ids and secrets in pairs', () => {
    expect(() => parseEnv({ GITHUB_CLIENT_ID: 'id' })).toThrow(/GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET/);
    expect(parseEnv({ GOOGLE_CLIENT_ID: 'a', GOOGLE_CLIENT_SECRET: 'b' }).google).toEqual({
      clientId: 'a',
      clientSecret: 'b',
    });
  });
});

describe('resolveSecrets', () => {
  it('generates missing secrets once outside production and reuses them', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'specmint-secrets-'));
    try {
      const env = parseEnv({ SPECMINT_DATA_DIR: dataDir });
      const first = resolveSecrets(env, createSilentLogger());
      const second = resolveSecrets(env, createSilentLogger());
      expect(second).toEqual(first);
      expect(first.signingKeys).toHaveLength(1);
      expect(readFileSync(join(dataDir, 'secrets/auth-secret'), 'utf8')).toBe(first.authSecret);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to run in production without them, and uses them when given', () => {
    expect(() => resolveSecrets(parseEnv({ NODE_ENV: 'production' }), createSilentLogger())).toThrow(
      EnvError,
    );
    const pem = generateSigningKeyPem() + generateSigningKeyPem();
    const secrets = resolveSecrets(
      parseEnv({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'x'.repeat(32), SPECMINT_SIGNING_KEY: pem }),
      createSilentLogger(),
    );
    expect(secrets.signingKeys).toEqual(splitPemKeys(pem));
    expect(secrets.signingKeys).toHaveLength(2);
  });
});
