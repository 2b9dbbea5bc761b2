import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../../server/db/unavailable.ts';
import { calendarMonthPeriod, currentBillingPeriod } from '../../server/entitlements/billing-period.ts';
import { checkPlanFeatures } from '../../server/entitlements/check-features.ts';
import { toGenerationCsv } from '../../server/entitlements/generation-record.ts';
import { hashRequestBody } from '../../server/entitlements/request-hash.ts';
import { createUsageTokenSigner } from '../../server/entitlements/usage-token-signer.ts';
import { EnvError, parseEnv } from '../../server/env.ts';
import { ApiError } from '../../server/http/api-error.ts';
import { createSilentLogger } from '../../server/logger.ts';
import { generateSigningKeyPem, resolveSecrets, splitPemKeys } from '../../server/secrets.ts';
import { hashCiToken, looksLikeCiToken, mintCiToken } from '../../server/tokens/ci-token.ts';
import type { GenerationRequest } from '../../shared/contracts.ts';
import { verifyUsageToken } from '../../shared/usage-token.ts';

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

describe('usage token signer', () => {
  it('signs with the last key, publishes all, and round-trips through verifyUsageToken', async () => {
    const keys = [generateSigningKeyPem(), generateSigningKeyPem()];
    const signer = await createUsageTokenSigner(keys);
    const older = await createUsageTokenSigner([keys[0]!]);
    expect(signer.jwks.keys.map((key) => key.kid)).toEqual([signer.currentKid, older.currentKid]);
    const specHash = 'c'.repeat(64);
    const token = signer.sign(
      {
        sub: 'u1',
        plan: 'pro',
        gid: 'g1',
        specHash,
        formats: ['k6'],
        ai: { provider: 'openai', model: 'm' },
      },
      new Date(),
    );
    const result = await verifyUsageToken(token, {
      jwks: signer.jwks,
      expected: { specHash, formats: ['k6'] },
    });
    expect(result).toMatchObject({ ok: true, kid: signer.currentKid, claims: { sub: 'u1', plan: 'pro' } });
  });

  it('refuses keys that are not Ed25519', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const rsa = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    await expect(createUsageTokenSigner([rsa.toString()])).rejects.toThrow(/Ed25519/);
  });
});

describe('billing periods', () => {
  it.each([
    ['2031-01-15T10:00:00Z', '2031-01-01T00:00:00.000Z', '2031-02-01T00:00:00.000Z'],
    ['2031-12-31T23:59:59Z', '2031-12-01T00:00:00.000Z', '2032-01-01T00:00:00.000Z'],
    ['2032-02-29T00:00:00Z', '2032-02-01T00:00:00.000Z', '2032-03-01T00:00:00.000Z'],
  ])('%s is in [%s, %s)', (now, start, end) => {
    const period = calendarMonthPeriod(new Date(now));
    expect([period.start.toISOString(), period.end.toISOString()]).toEqual([start, end]);
  });

  it('uses a paid period that contains now, else the calendar month', () => {
    const paid = {
      periodStart: new Date('2031-01-10T00:00:00Z'),
      periodEnd: new Date('2031-02-10T00:00:00Z'),
    };
    expect(currentBillingPeriod(new Date('2031-02-01T00:00:00Z'), paid)).toEqual({
      start: paid.periodStart,
      end: paid.periodEnd,
    });
    expect(currentBillingPeriod(new Date('2031-03-01T00:00:00Z'), paid).start.toISOString()).toBe(
      '2031-03-01T00:00:00.000Z',
    );
  });
});

describe('plan feature checks', () => {
  const request = (extra: Partial<GenerationRequest>): GenerationRequest => ({
    specHash: 'a'.repeat(64),
    specTitle: 't',
    operationCount: 1,
    formats: ['pytest'],
    ai: null,
    cliVersion: '1',
    ...extra,
  });
  it.each([
    ['free', request({}), null],
    ['free', request({ formats: ['pytest', 'sql'] }), 'formats'],
    ['free', request({ ai: { provider: 'openai', model: 'gpt-4.1-mini' } }), 'ai'],
    ['pro', request({ formats: ['sql'], ai: { provider: 'openai', model: 'gpt-4.1-mini' } }), null],
    ['pro', request({ ai: { provider: 'openai', model: 'gpt-5' } }), 'customAiModels'],
    ['enterprise', request({ ai: { provider: 'anthropic', model: 'x', baseUrl: 'https://a.test' } }), null],
  ] as const)('%s %j → %s', (plan, body, blocked) => {
    const run = () => checkPlanFeatures(plan, body, 'https://x/pricing');
    if (blocked === null) expect(run).not.toThrow();
    else {
      try {
        run();
        expect.unreachable();
      } catch (error) {
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).details).toMatchObject({ feature: blocked });
      }
    }
  });
});

describe('small pieces', () => {
  it('CI tokens: 256-bit, recognisable, hashed', () => {
    const minted = mintCiToken();
    expect(looksLikeCiToken(minted.token)).toBe(true);
    expect(looksLikeCiToken('smk_short')).toBe(false);
    expect(minted.hash).toBe(hashCiToken(minted.token));
    expect(minted.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(mintCiToken().token).not.toBe(minted.token);
  });

  it('request hashes ignore key order', () => {
    expect(hashRequestBody({ a: 1, b: { c: [1, 2], d: null } })).toBe(
      hashRequestBody({ b: { d: null, c: [1, 2] }, a: 1 }),
    );
    expect(hashRequestBody({ a: [1, 2] })).not.toBe(hashRequestBody({ a: [2, 1] }));
  });

  it('detects an unreachable database through wrapped errors', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    expect(isDatabaseUnavailable(new Error('Failed query', { cause: refused }))).toBe(true);
    expect(isDatabaseUnavailable(new Error('PGlite is closed'))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('x'), { code: '08006' }))).toBe(true);
    expect(isDatabaseUnavailable(Object.assign(new Error('dup'), { code: '23505' }))).toBe(false);
    expect(isDatabaseUnavailable(new AggregateError([refused]))).toBe(true);
  });

  it('CSV export escapes quotes, commas and formula prefixes', () => {
    const csv = toGenerationCsv([
      {
        id: 'id1',
        specHash: 'a'.repeat(64),
        specTitle: '=cmd|"calc", x',
        operationCount: 1,
        formats: ['pytest', 'k6'],
        ai: null,
        cliVersion: '1',
        charged: true,
        status: 'issued',
        files: null,
        tests: null,
        durationMs: null,
        createdAt: '2031-01-01T00:00:00.000Z',
        completedAt: null,
      },
    ]);
    expect(csv.split('\r\n')[1]).toBe(
      `id1,2031-01-01T00:00:00.000Z,"'=cmd|""calc"", x",${'a'.repeat(64)},pytest;k6,true,issued,1,,,,,1,,`,
    );
  });
});
