import { describe, expect, it } from 'vitest';
import { createUsageTokenSigner } from '../../server/entitlements/usage-token-signer.ts';
import { generateSigningKeyPem } from '../../server/secrets.ts';
import { verifyUsageToken } from '../../shared/usage-token.ts';

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
