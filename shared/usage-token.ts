/**
 * Usage tokens: the compact JWS (EdDSA / Ed25519) the licence server signs for every granted generation
 * and the CLI verifies before rendering. See DESIGN.md "Entitlement and usage protocol", step 3–4.
 */
import { createLocalJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import * as z from 'zod';
import { AiRequestSchema, type Jwks, SpecHashSchema } from './contracts.ts';
import { FORMATS, PLAN_IDS } from './plans.ts';

/** JWS algorithm of usage tokens. */
export const USAGE_TOKEN_ALG = 'EdDSA';
/** Longest lifetime a usage token may have (15 minutes). */
export const USAGE_TOKEN_MAX_TTL_SECONDS = 900;

/** The claims of a usage token. */
export const UsageTokenClaimsSchema = z.object({
  /** User id. */
  sub: z.string().min(1),
  plan: z.enum(PLAN_IDS),
  /** Generation id (`POST /v1/generations/{gid}/complete`). */
  gid: z.string().min(1),
  specHash: SpecHashSchema,
  formats: z.array(z.enum(FORMATS)).min(1),
  ai: AiRequestSchema.nullable(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type UsageTokenClaims = z.infer<typeof UsageTokenClaimsSchema>;

/** Why a usage token was refused. */
export type UsageTokenFailureReason =
  | 'malformed'
  | 'unknown_kid'
  | 'tampered'
  | 'expired'
  | 'invalid_claims'
  | 'hash_mismatch'
  | 'formats_mismatch';

/** The outcome of {@link verifyUsageToken}: the claims, or a typed failure. */
export type UsageTokenVerification =
  | { ok: true; claims: UsageTokenClaims; kid: string }
  | { ok: false; reason: UsageTokenFailureReason; message: string };

/** Options of {@link verifyUsageToken}. */
export interface VerifyUsageTokenOptions {
  /** The server's JWKS (`GET /.well-known/jwks.json`). */
  jwks: Jwks;
  /** What the CLI is about to render: the token must be for this spec hash and cover these formats. */
  expected: { specHash: string; formats: readonly string[] };
  /** Clock used for expiry. @default new Date() */
  now?: Date;
  /** Allowed clock skew in seconds. @default 30 */
  clockToleranceSeconds?: number;
}

function fail(reason: UsageTokenFailureReason, message: string): UsageTokenVerification {
  return { ok: false, reason, message };
}

function readKid(token: string): string | UsageTokenVerification {
  try {
    const header = decodeProtectedHeader(token);
    if (header.alg !== USAGE_TOKEN_ALG)
      return fail('malformed', `unexpected algorithm ${String(header.alg)}`);
    if (typeof header.kid !== 'string' || header.kid === '') return fail('malformed', 'token has no kid');
    return header.kid;
  } catch {
    return fail('malformed', 'not a compact JWS');
  }
}

function mapJoseError(error: unknown): UsageTokenVerification {
  if (error instanceof joseErrors.JWTExpired) return fail('expired', 'usage token has expired');
  if (error instanceof joseErrors.JWKSNoMatchingKey) return fail('unknown_kid', 'no key in the JWKS matches');
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) {
    return fail('tampered', 'signature does not verify');
  }
  if (error instanceof joseErrors.JWTClaimValidationFailed) return fail('invalid_claims', error.message);
  if (error instanceof joseErrors.JOSEError) return fail('malformed', error.message);
  throw error;
}

/**
 * Verifies a usage token against a JWKS and checks that it was issued for the expected spec hash and
 * formats. Never throws for a bad token; returns `{ok:false, reason}` (on `unknown_kid` the CLI should
 * refetch the JWKS once and retry).
 */
export async function verifyUsageToken(
  token: string,
  options: VerifyUsageTokenOptions,
): Promise<UsageTokenVerification> {
  const kid = readKid(token);
  if (typeof kid !== 'string') return kid;
  if (!options.jwks.keys.some((key) => key.kid === kid)) {
    return fail('unknown_kid', `key ${kid} is not in the JWKS`);
  }
  let payload: unknown;
  try {
    const result = await jwtVerify(token, createLocalJWKSet(options.jwks), {
      algorithms: [USAGE_TOKEN_ALG],
      currentDate: options.now ?? new Date(),
      clockTolerance: options.clockToleranceSeconds ?? 30,
      requiredClaims: ['iat', 'exp', 'sub'],
    });
    payload = result.payload;
  } catch (error) {
    return mapJoseError(error);
  }
  const parsed = UsageTokenClaimsSchema.safeParse(payload);
  if (!parsed.success) return fail('invalid_claims', z.prettifyError(parsed.error));
  const claims = parsed.data;
  if (claims.exp - claims.iat > USAGE_TOKEN_MAX_TTL_SECONDS) {
    return fail('invalid_claims', 'token lifetime exceeds 15 minutes');
  }
  if (claims.specHash !== options.expected.specHash) {
    return fail('hash_mismatch', 'token was issued for a different spec');
  }
  const granted = new Set<string>(claims.formats);
  const missing = options.expected.formats.filter((format) => !granted.has(format));
  if (missing.length > 0) return fail('formats_mismatch', `token does not cover: ${missing.join(', ')}`);
  return { ok: true, claims, kid };
}
