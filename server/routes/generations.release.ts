import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { GenerationRecordSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { releaseGeneration as giveBack } from '../entitlements/settle-generation.ts';
import type { AppEnv } from '../http/principal.ts';
import { AUTH_ERRORS, error, idParameter, json } from '../openapi/describe.ts';

/** `POST /v1/generations/{id}/release` in /openapi.json. */
export const describeReleaseGeneration = describeRoute({
  operationId: 'releaseGeneration',
  summary: 'Give back a generation that wrote nothing: it is not charged',
  description:
    'A 201 from POST /v1/generations reserves the charge (`charged: true` means "counts once completed"). ' +
    'Release it when the run wrote nothing (interrupted, output refused, render failed): the charge is ' +
    'returned at once. A reservation neither completed nor released expires with its usage token (15 min) ' +
    'and is not charged either. Releasing twice is harmless.',
  parameters: [idParameter('generationId from POST /v1/generations')],
  responses: {
    '200': {
      description: 'Released (or already released / expired)',
      content: json('GenerationRecord', GenerationRecordSchema, 'output'),
    },
    '404': error('NOT_FOUND (not the caller’s generation)'),
    '409': error('CONFLICT: already completed (it counts)'),
    ...AUTH_ERRORS,
  },
});

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
