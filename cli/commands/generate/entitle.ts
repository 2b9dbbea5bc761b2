/**
 * The licence port of `specmint generate`: steps 2–4 of the entitlement protocol. Asks the licence server
 * (with an Idempotency-Key, so a retried request is never charged twice), verifies the usage token before
 * anything is rendered, and later reports completion (or gives the reservation back).
 */
import { randomUUID } from 'node:crypto';
import { SPECMINT_VERSION } from '../../../shared/version.ts';
import { createApiClient } from '../../account/api-client.ts';
import { requireToken, resolveAuth } from '../../account/session.ts';
import { verifyEntitlement } from '../../account/verify-entitlement.ts';
import type { Licence, LicencePort } from '../../engine/ports.ts';

/** Options of {@link licenceServer}. */
export interface LicenceServerOptions {
  env: NodeJS.ProcessEnv;
  configApiUrl?: string;
  warn: (message: string) => void;
  debug: (message: string) => void;
}

/** Licences from the licence server the user is logged in to (or SPECMINT_TOKEN's). */
export function licenceServer(options: LicenceServerOptions): LicencePort {
  return {
    async request(request) {
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
        const grant = await api.createGeneration(
          {
            specHash: request.specHash,
            specTitle: request.specTitle.trim().slice(0, 300) || 'Untitled API',
            operationCount: request.operationCount,
            formats: request.formats,
            ai: request.ai,
            cliVersion: SPECMINT_VERSION,
          },
          randomUUID(),
        );
        options.debug(`generation ${grant.generationId} granted (charged: ${grant.charged})`);
        await verifyEntitlement({
          apiUrl: auth.apiUrl,
          configDir: auth.configDir,
          fetchJwks: () => api.jwks(),
          grant,
          expected: { specHash: request.specHash, formats: request.formats, ai: request.ai },
        });
        const licence: Licence = {
          plan: grant.usage.plan,
          usage: grant.usage,
          charged: grant.charged,
          complete: async (report) => {
            await api.completeGeneration(grant.generationId, report);
          },
          release: async () => {
            // The run wrote nothing: give the reservation back so it is not charged. A release that cannot be
            // sent (the server is gone) is harmless too: an uncompleted reservation expires uncharged.
            try {
              await api.releaseGeneration(grant.generationId);
              options.debug(`generation ${grant.generationId} released: not charged`);
            } catch (error) {
              options.debug(
                `could not release generation ${grant.generationId} (${(error as Error).message}); it expires uncharged`,
              );
            }
          },
          close: () => api.close(),
        };
        return licence;
      } catch (error) {
        await api.close();
        throw error;
      }
    },
  };
}
