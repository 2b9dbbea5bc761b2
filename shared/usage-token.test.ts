import { type CryptoKey, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Jwks } from './contracts.ts';
import { verifyUsageToken } from './usage-token.ts';

const specHash = 'a'.repeat(64);
const now = new Date('2030-01-01T12:00:00Z');
const iat = Math.floor(now.getTime() / 1000);

interface TestKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: Jwks['keys'][number];
}

async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, jwk: { kty: 'OKP', crv: 'Ed25519', x: jwk.x!, kid, alg: 'EdDSA', use: 'sig' } };
}

function sign(key: TestKey, claims: Record<string, unknown> = {}, kid: string = key.kid): Promise<string> {
  return new SignJWT({
    plan: 'free',
    gid: 'gen-1',
    specHash,
    formats: ['pytest', 'vitest'],
    ai: null,
    ...claims,
  })
    .setProtectedHeader({ alg: 'EdDSA', kid })
    .setSubject('user-1')
    .setIssuedAt(iat)
    .setExpirationTime(iat + 900)
    .sign(key.privateKey);
}

describe('verifyUsageToken', () => {
  let current: TestKey;
  let previous: TestKey;
  let jwks: Jwks;
  const expected = { specHash, formats: ['pytest'] };

  beforeAll(async () => {
    current = await makeKey('k2');
    previous = await makeKey('k1');
    jwks = { keys: [current.jwk, previous.jwk] };
  });

  it('accepts a valid token and returns its claims', async () => {
    const result = await verifyUsageToken(await sign(current), { jwks, expected, now });
    expect(result).toMatchObject({
      ok: true,
      kid: 'k2',
      claims: { sub: 'user-1', gid: 'gen-1', plan: 'free' },
    });
  });

  it('accepts a token signed by an older key still in the JWKS (rotation)', async () => {
    const result = await verifyUsageToken(await sign(previous), { jwks, expected, now });
    expect(result).toMatchObject({ ok: true, kid: 'k1' });
  });

  it('rejects a token whose key was rotated out of the JWKS as unknown_kid', async () => {
    const result = await verifyUsageToken(await sign(previous), {
      jwks: { keys: [current.jwk] },
      expected,
      now,
    });
    expect(result).toMatchObject({ ok: false, reason: 'unknown_kid' });
  });

  it('rejects a tampered payload', async () => {
    const token = await sign(current);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.plan = 'enterprise';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    expect(await verifyUsageToken(forged, { jwks, expected, now })).toMatchObject({
      ok: false,
      reason: 'tampered',
    });
  });

  it('rejects a token signed by a key that claims another kid', async () => {
    const rogue = await makeKey('k2');
    const result = await verifyUsageToken(await sign(rogue), { jwks, expected, now });
    expect(result).toMatchObject({ ok: false, reason: 'tampered' });
  });

  it('rejects a wrong kid', async () => {
    const result = await verifyUsageToken(await sign(current, {}, 'nope'), { jwks, expected, now });
    expect(result).toMatchObject({ ok: false, reason: 'unknown_kid' });
  });

  it('rejects an expired token', async () => {
    const later = new Date(now.getTime() + 16 * 60_000);
    expect(await verifyUsageToken(await sign(current), { jwks, expected, now: later })).toMatchObject({
      ok: false,
      reason: 'expired',
    });
  });

  it('rejects a token that lives longer than 15 minutes', async () => {
    const token = await new SignJWT({ plan: 'free', gid: 'g', specHash, formats: ['pytest'], ai: null })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'k2' })
      .setSubject('u')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 3600)
      .sign(current.privateKey);
    expect(await verifyUsageToken(token, { jwks, expected, now })).toMatchObject({
      ok: false,
      reason: 'invalid_claims',
    });
  });

  it('rejects a token for another spec hash', async () => {
    const result = await verifyUsageToken(await sign(current, { specHash: 'b'.repeat(64) }), {
      jwks,
      expected,
      now,
    });
    expect(result).toMatchObject({ ok: false, reason: 'hash_mismatch' });
  });

  it('rejects a token that does not cover the formats to render', async () => {
    const result = await verifyUsageToken(await sign(current), {
      jwks,
      expected: { specHash, formats: ['pytest', 'k6'] },
      now,
    });
    expect(result).toMatchObject({
      ok: false,
      reason: 'formats_mismatch',
      message: expect.stringContaining('k6'),
    });
  });

  it('rejects garbage and tokens with missing claims', async () => {
    expect(await verifyUsageToken('not.a.token', { jwks, expected, now })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    expect(await verifyUsageToken('', { jwks, expected, now })).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const result = await verifyUsageToken(await sign(current, { plan: 'platinum' }), { jwks, expected, now });
    expect(result).toMatchObject({ ok: false, reason: 'invalid_claims' });
  });
});
