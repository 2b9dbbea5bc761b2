import type { Handler } from 'hono';
import type { AppDeps } from '../app-deps.ts';
import { releaseGeneration as giveBack } from '../entitlements/settle-generation.ts';
import type { AppEnv } from '../http/principal.ts';

/**
 * `POST /v1/generations/{id}/release`: the CLI wrote nothing for this generation (interrupted, output
 * folder refused, render failed), so it is not charged and its reserved place in the quota is free again
 * at once. No body. Releasing twice is harmless; a completed generation cannot be released (409).
 */
export function releaseGeneration(deps: Pick<AppDeps, 'database' | 'clock'>): Handler<AppEnv> {
  return async (c) => {
    const { userId } = c.get('principal');
    const record = await giveBack(deps.database, { userId, id: c.req.param('id') ?? '', now: deps.clock() });
    c.header('Cache-Control', 'no-store');
    return c.json(record);
  };
}
