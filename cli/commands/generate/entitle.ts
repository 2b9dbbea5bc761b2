/**
 * Steps 2–4 of the entitlement protocol for one generation: ask the licence server (with an
 * Idempotency-Key, so a retried request is never charged twice), then verify the usage token before
 * anything is rendered.
 */
import { randomUUID } from 'node:crypto';
import type { AiRequest, GenerationResponse } from '../../../shared/contracts.ts';
import type { Format } from '../../../shared/plans.ts';
import type { UsageTokenClaims } from '../../../shared/usage-token.ts';
import { SPECMINT_VERSION } from '../../../shared/version.ts';
import { type ApiClient, createApiClient } from '../../account/api-client.ts';
import { requireToken, resolveAuth } from '../../account/session.ts';
import { verifyEntitlement } from '../../account/verify-entitlement.ts';

/** What to ask an entitlement for. */
export interface EntitlementRequest {
  specHash: string;
  specTitle: string;
  operationCount: number;
  formats: Format[];
  ai: AiRequest | null;
}

/** A granted, verified entitlement and the client to report completion with. */
export interface Entitlement {
  grant: GenerationResponse;
  claims: UsageTokenClaims;
  api: ApiClient;
  /** Where the credentials came from. */
  authSource: 'env' | 'stored';
}

/** Options of {@link requestEntitlement}. */
export interface RequestEntitlementOptions {
  request: EntitlementRequest;
  env: NodeJS.ProcessEnv;
  configApiUrl?: string;
  warn: (message: string) => void;
  debug: (message: string) => void;
}

/** Requests and verifies an entitlement; throws exit-4/5 errors on refusal or failure. */
export async function requestEntitlement(options: RequestEntitlementOptions): Promise<Entitlement> {
  const auth = await resolveAuth({
    env: options.env,
    configApiUrl: options.configApiUrl,
    warn: options.warn,
  });
  const token = requireToken(auth);
  options.debug(
    `licence server ${auth.apiUrl}, credentials from ${auth.source === 'env' ? 'SPECMINT_TOKEN' : auth.store.location}`,
  );
  const api = createApiClient({ apiUrl: auth.apiUrl, token });
  try {
    const idempotencyKey = randomUUID();
    const { request } = options;
    const grant = await api.createGeneration(
      {
        specHash: request.specHash,
        specTitle: request.specTitle.trim().slice(0, 300) || 'Untitled API',
        operationCount: request.operationCount,
        formats: request.formats,
        ai: request.ai,
        cliVersion: SPECMINT_VERSION,
      },
      idempotencyKey,
    );
    options.debug(`generation ${grant.generationId} granted (charged: ${grant.charged})`);
    const claims = await verifyEntitlement({
      apiUrl: auth.apiUrl,
      configDir: auth.configDir,
      fetchJwks: () => api.jwks(),
      grant,
      expected: { specHash: request.specHash, formats: request.formats, ai: request.ai },
    });
    return { grant, claims, api, authSource: auth.source === 'env' ? 'env' : 'stored' };
  } catch (error) {
    await api.close();
    throw error;
  }
}
