import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { SPECMINT_VERSION } from '../../shared/version.ts';
import type { AppEnv } from '../http/principal.ts';

/** `GET /healthz` in /openapi.json. */
export const describeGetHealth = describeRoute({
  operationId: 'getHealth',
  summary: 'Liveness',
  security: [],
  responses: { '200': { description: 'OK' } },
});

/** `GET /healthz`: the process is up (no dependency checks). */
export const getHealth: Handler<AppEnv> = (c) => c.json({ status: 'ok', version: SPECMINT_VERSION });
