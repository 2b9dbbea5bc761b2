import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationResponse, Jwks } from '../../shared/contracts.ts';
import { NotEntitledError } from './account-errors.ts';
import { JWKS_CACHE_FILE, verifyEntitlement } from './verify-entitlement.ts';

const SPEC_HASH = 'a'.repeat(64);
const API = 'http://licence.test';
type Key = {
  kid: string;
  privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
  jwk: Jwks['keys'][number];
};

async function makeKey(kid: string): Promise<Key> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
  const jwk = (await exportJWK(publicKey)) as JWK;
  return {
    kid,
    privateKey,
    jwk: { kty: 'OKP', crv: 'Ed25519', x: String(jwk.x), kid, alg: 'EdDSA', use: 'sig' },
  };
}

async function grantWith(key: Key, claims: Record<string, unknown> = {}): Promise<GenerationResponse> {
  const now = Math.floor(Date.now() / 1000);
  const usageToken = await new SignJWT({
    plan: 'free',
    gid: 'gen-1',
    specHash: SPEC_HASH,
    formats: ['json'],
    ai: null,
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setSubject('user-1')
    .setIssuedAt(now)
    .setExpirationTime(now + 600)
    .sign(key.privateKey);
  return {
    generationId: 'gen-1',
    usageToken,
    charged: true,
    usage: { plan: 'free', used: 1, limit: 5, remaining: 4, periodEnd: new Date().toISOString() },
  };
}

let dir: string;
let first: Key;
let second: Key;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'specmint-verify-'));
  first = await makeKey('k1');
  second = await makeKey('k2');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function options(configDir: string, grant: GenerationResponse, served: () => Jwks, fetched: string[]) {
  return {
    apiUrl: API,
    configDir,
    fetchJwks: async () => {
      fetched.push('jwks');
      return served();
    },
    grant,
    expected: { specHash: SPEC_HASH, formats: ['json' as const], ai: null },
  };
}

describe('verifyEntitlement', () => {
  it('verifies, caches the JWKS, and uses the cache next time', async () => {
    const configDir = join(dir, 'cache');
    const fetched: string[] = [];
    const claims = await verifyEntitlement(
      options(configDir, await grantWith(first), () => ({ keys: [first.jwk] }), fetched),
    );
    expect(claims).toMatchObject({ gid: 'gen-1', plan: 'free', specHash: SPEC_HASH });
    const cache = JSON.parse(readFileSync(join(configDir, JWKS_CACHE_FILE), 'utf8')) as Record<
      string,
      { jwks: Jwks }
    >;
    expect(cache[API]?.jwks.keys.map((k) => k.kid)).toEqual(['k1']);
    await verifyEntitlement(options(configDir, await grantWith(first), () => ({ keys: [] }), fetched));
    expect(fetched).toHaveLength(1);
  });

  it('refetches the JWKS once when the token names an unknown kid (key rotation)', async () => {
    const configDir = join(dir, 'rotation');
    const fetched: string[] = [];
    let served: Jwks = { keys: [first.jwk] };
    await verifyEntitlement(options(configDir, await grantWith(first), () => served, fetched));
    served = { keys: [first.jwk, second.jwk] };
    const claims = await verifyEntitlement(
      options(configDir, await grantWith(second), () => served, fetched),
    );
    expect(claims.gid).toBe('gen-1');
    expect(fetched).toHaveLength(2);
  });

  const refusals: Array<[string, () => Promise<GenerationResponse>, string]> = [
    [
      'a token signed by another key',
      async () => ({
        ...(await grantWith(second)),
        usageToken: (await grantWith(second)).usageToken.replace(
          /^[^.]+/,
          Buffer.from(JSON.stringify({ alg: 'EdDSA', kid: 'k1' })).toString('base64url'),
        ),
      }),
      'signature',
    ],
    ['a token for another spec', () => grantWith(first, { specHash: 'b'.repeat(64) }), 'different spec'],
    ['a token without a format', () => grantWith(first, { formats: ['vitest'] }), 'does not cover: json'],
    ['a token for another generation', () => grantWith(first, { gid: 'gen-2' }), 'different generation'],
    [
      'a token for other AI settings',
      () => grantWith(first, { ai: { provider: 'openai', model: 'gpt-4.1-mini' } }),
      'AI settings',
    ],
    ['a token for an unknown key', () => grantWith(second), 'not in the JWKS'],
  ];

  it.each(refusals)('refuses %s (exit 4)', async (_name, make, message) => {
    const fetched: string[] = [];
    const error = await verifyEntitlement(
      options(join(dir, 'refuse'), await make(), () => ({ keys: [first.jwk] }), fetched),
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotEntitledError);
    expect((error as NotEntitledError).exitCode).toBe(4);
    expect((error as NotEntitledError).code).toBe('USAGE_TOKEN_INVALID');
    expect((error as Error).message).toContain(message);
  });
});
