import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import type { Jwks } from '../../shared/contracts.ts';
import {
  USAGE_TOKEN_ALG,
  USAGE_TOKEN_MAX_TTL_SECONDS,
  type UsageTokenClaims,
} from '../../shared/usage-token.ts';

/** Signs usage tokens with the newest key and publishes every key. */
export interface UsageTokenSigner {
  /** Public keys for `/.well-known/jwks.json`, newest first. */
  jwks: Jwks;
  /** `kid` of the key that signs. */
  currentKid: string;
  /** Lifetime of the tokens it signs (`exp - iat`), in seconds; also how long a generation is reserved. */
  ttlSeconds: number;
  /** Signs `claims` as a compact JWS; `iat` = `now`, `exp` = `now` + ttl. */
  sign(claims: Omit<UsageTokenClaims, 'iat' | 'exp'>, now: Date): string;
  /**
   * {@link sign} on libuv's thread pool: the Ed25519 signature (the costliest step of
   * `POST /v1/generations`) runs on another core while the event loop serves other requests.
   */
  signAsync(claims: Omit<UsageTokenClaims, 'iat' | 'exp'>, now: Date): Promise<string>;
}

interface LoadedKey {
  kid: string;
  privateKey: KeyObject;
  jwk: Jwks['keys'][number];
}

async function loadKey(pem: string): Promise<LoadedKey> {
  const privateKey = createPrivateKey(pem);
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`signing keys must be Ed25519, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  const publicJwk = createPublicKey(privateKey).export({ format: 'jwk' });
  const x = publicJwk.x;
  if (typeof x !== 'string') throw new Error('cannot export the Ed25519 public key');
  // RFC 7638 thumbprint: stable across restarts and identical on every instance holding the key.
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x });
  return { kid, privateKey, jwk: { kty: 'OKP', crv: 'Ed25519', x, kid, alg: USAGE_TOKEN_ALG, use: 'sig' } };
}

/** Options of {@link createUsageTokenSigner}. */
export interface UsageTokenSignerOptions {
  /** Token lifetime. @default 900 (the maximum) */
  ttlSeconds?: number;
}

/**
 * Imports the PEM keys once (oldest first; the last signs). Signing uses node:crypto directly on the
 * imported KeyObject, which keeps `POST /v1/generations` cheap.
 */
export async function createUsageTokenSigner(
  pems: readonly string[],
  options: UsageTokenSignerOptions = {},
): Promise<UsageTokenSigner> {
  if (pems.length === 0) throw new Error('at least one signing key is required');
  const keys = await Promise.all(pems.map(loadKey));
  const current = keys[keys.length - 1]!;
  const ttl = Math.min(options.ttlSeconds ?? USAGE_TOKEN_MAX_TTL_SECONDS, USAGE_TOKEN_MAX_TTL_SECONDS);
  const header = Buffer.from(JSON.stringify({ alg: USAGE_TOKEN_ALG, kid: current.kid, typ: 'JWT' })).toString(
    'base64url',
  );
  const unique = new Map(keys.map((key) => [key.kid, key.jwk]));
  const signingInput = (claims: Omit<UsageTokenClaims, 'iat' | 'exp'>, now: Date): string => {
    const iat = Math.floor(now.getTime() / 1000);
    const payload = Buffer.from(JSON.stringify({ ...claims, iat, exp: iat + ttl })).toString('base64url');
    return `${header}.${payload}`;
  };
  return {
    jwks: { keys: [...unique.values()].reverse() },
    currentKid: current.kid,
    ttlSeconds: ttl,
    sign(claims, now) {
      const input = signingInput(claims, now);
      return `${input}.${sign(null, Buffer.from(input), current.privateKey).toString('base64url')}`;
    },
    signAsync(claims, now) {
      const input = signingInput(claims, now);
      return new Promise((resolve, reject) => {
        sign(null, Buffer.from(input), current.privateKey, (error, signature) => {
          if (error) reject(error);
          else resolve(`${input}.${signature.toString('base64url')}`);
        });
      });
    },
  };
}
