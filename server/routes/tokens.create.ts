import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { TokenCreatedSchema, TokenCreateSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { parseJsonBody } from '../http/validate.ts';
import { AUTH_ERRORS, error, json } from '../openapi/describe.ts';
import { createCiToken } from '../tokens/token-service.ts';

/** `POST /v1/tokens` in /openapi.json. */
export const describeCreateToken = describeRoute({
  operationId: 'createToken',
  summary: 'Create a CI token (shown once; session only)',
  requestBody: { required: true, content: json('TokenCreate', TokenCreateSchema, 'input') },
  responses: {
    '201': { description: 'Created', content: json('TokenCreated', TokenCreatedSchema, 'output') },
    '400': error('VALIDATION_FAILED'),
    '403': error('FORBIDDEN: CI tokens cannot create tokens'),
    '409': error('TOKEN_LIMIT_REACHED'),
    ...AUTH_ERRORS,
  },
});

/**
 * `POST /v1/tokens`: creates a CI token and shows it once. Only a signed-in user (session) may create
 * tokens — a leaked CI token cannot mint more.
 */
export function createToken(deps: Pick<AppDeps, 'database' | 'baseUrl' | 'bodyLimitBytes'>): Handler<AppEnv> {
  return async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'session') {
      throw new ApiError('FORBIDDEN', 'CI tokens cannot create tokens; sign in (specmint login) to do this.');
    }
    const { name } = await parseJsonBody(c, TokenCreateSchema, deps.bodyLimitBytes);
    const created = await createCiToken(deps.database.db, {
      userId: principal.userId,
      name,
      upgradeUrl: `${deps.baseUrl}/pricing`,
    });
    c.header('Cache-Control', 'no-store');
    return c.json(created, 201);
  };
}
