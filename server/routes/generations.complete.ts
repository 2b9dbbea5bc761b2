import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { GenerationCompleteSchema, GenerationRecordSchema } from '../../shared/contracts.ts';
import { PLANS } from '../../shared/plans.ts';
import type { AppDeps } from '../app-deps.ts';
import { completeGeneration as confirmGeneration } from '../entitlements/settle-generation.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';
import { AUTH_ERRORS, error, idParameter, json } from '../openapi/describe.ts';

/** `POST /v1/generations/{id}/complete` in /openapi.json. */
export const describeCompleteGeneration = describeRoute({
  operationId: 'completeGeneration',
  summary: 'Report files, tests and duration of a finished generation',
  parameters: [idParameter('generationId from POST /v1/generations')],
  requestBody: { required: true, content: json('GenerationComplete', GenerationCompleteSchema, 'input') },
  responses: {
    '200': { description: 'Recorded', content: json('GenerationRecord', GenerationRecordSchema, 'output') },
    '400': error('VALIDATION_FAILED'),
    '404': error('NOT_FOUND (not the caller’s generation)'),
    '409': error('CONFLICT: already completed with other figures, or released'),
    ...AUTH_ERRORS,
  },
});

/**
 * `POST /v1/generations/{id}/complete`: records files, tests and duration for the caller's history and
 * confirms the charge the generation reserved (a generation completed after its reservation expired stays
 * uncharged). Repeating the same report is harmless; a different report for a completed generation, or
 * completing a released one, is 409.
 */
export function completeGeneration(
  deps: Pick<AppDeps, 'database' | 'clock' | 'bodyLimitBytes'>,
): Handler<AppEnv> {
  return async (c) => {
    const { userId, plan } = c.get('principal');
    const report = await parseJsonBody(c, GenerationCompleteSchema, deps.bodyLimitBytes);
    const record = await confirmGeneration(
      deps.database,
      { userId, id: c.req.param('id') ?? '', now: deps.clock(), limit: PLANS[plan].generationsPerPeriod },
      report,
    );
    return c.json(record);
  };
}
