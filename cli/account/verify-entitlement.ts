/**
 * Step 4 of the entitlement protocol (DESIGN.md): verify the usage token's Ed25519 signature against the
 * licence server's JWKS — cached under the config dir, refetched once when the token names an unknown
 * `kid` — and check that it was issued for this generation, spec hash, formats and AI request.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { type AiRequest, type GenerationResponse, type Jwks, JwksSchema } from '../../shared/contracts.ts';
import type { Format } from '../../shared/plans.ts';
import {
  type UsageTokenClaims,
  type UsageTokenVerification,
  verifyUsageToken,
} from '../../shared/usage-token.ts';
import { NotEntitledError } from './account-errors.ts';

/** Cache file of JWKS documents, keyed by licence server URL. */
export const JWKS_CACHE_FILE = 'jwks-cache.json';

const CacheSchema = z.record(z.string(), z.object({ fetchedAt: z.string(), jwks: JwksSchema }));

/** Options of {@link verifyEntitlement}. */
export interface VerifyEntitlementOptions {
  apiUrl: string;
  configDir: string;
  /** Fetches the server's JWKS. */
  fetchJwks: () => Promise<Jwks>;
  grant: GenerationResponse;
  expected: { specHash: string; formats: readonly Format[]; ai: AiRequest | null };
  now?: Date;
}

async function readCache(configDir: string): Promise<z.infer<typeof CacheSchema>> {
  try {
    return CacheSchema.parse(JSON.parse(await readFile(join(configDir, JWKS_CACHE_FILE), 'utf8')));
  } catch {
    return {};
  }
}

/** Stores the JWKS; best effort — a cache that cannot be written only costs a refetch next time. */
async function writeCache(configDir: string, apiUrl: string, jwks: Jwks): Promise<void> {
  const cache = await readCache(configDir);
  cache[apiUrl] = { fetchedAt: new Date().toISOString(), jwks };
  const path = join(configDir, JWKS_CACHE_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    await mkdir(configDir, { recursive: true, mode: 0o700 });
    await writeFile(tmp, `${JSON.stringify(cache, null, 2)}\n`, { mode: 0o600 });
    await rename(tmp, path);
  } catch {
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

function canonicalAi(ai: AiRequest | null): string {
  return ai === null ? 'null' : JSON.stringify([ai.provider, ai.model, ai.baseUrl ?? null]);
}

function refuse(message: string, code: string): NotEntitledError {
  return new NotEntitledError(
    `The licence server's usage token was refused: ${message}. Nothing was generated.`,
    {
      code,
      hint:
        'This happens when something between you and the licence server alters its answers (a proxy), or when ' +
        'SPECMINT_API_URL points at an untrusted server. Check both and retry; the retry is not charged again.',
    },
  );
}

/**
 * Verifies the usage token of `grant`. Returns its claims, or throws {@link NotEntitledError} (exit 4,
 * code `USAGE_TOKEN_INVALID`) naming the reason.
 */
export async function verifyEntitlement(options: VerifyEntitlementOptions): Promise<UsageTokenClaims> {
  const cached = (await readCache(options.configDir))[options.apiUrl]?.jwks;
  let jwks = cached ?? (await options.fetchJwks());
  let fresh = cached === undefined;
  if (fresh) await writeCache(options.configDir, options.apiUrl, jwks);
  const verify = (keys: Jwks): Promise<UsageTokenVerification> =>
    verifyUsageToken(options.grant.usageToken, {
      jwks: keys,
      expected: { specHash: options.expected.specHash, formats: options.expected.formats },
      now: options.now,
    });
  let result = await verify(jwks);
  if (!result.ok && result.reason === 'unknown_kid' && !fresh) {
    jwks = await options.fetchJwks();
    fresh = true;
    await writeCache(options.configDir, options.apiUrl, jwks);
    result = await verify(jwks);
  }
  if (!result.ok) throw refuse(result.message, 'USAGE_TOKEN_INVALID');
  const claims = result.claims;
  if (claims.gid !== options.grant.generationId) {
    throw refuse('it names a different generation', 'USAGE_TOKEN_INVALID');
  }
  if (canonicalAi(claims.ai) !== canonicalAi(options.expected.ai)) {
    throw refuse('it was issued for different AI settings', 'USAGE_TOKEN_INVALID');
  }
  return claims;
}
