import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { AUTH_ERRORS, error, idParameter } from '../openapi/describe.ts';
import { revokeCiToken } from '../tokens/token-service.ts';

/** `DELETE /v1/tokens/{id}` in /openapi.json. */
export const describeDeleteToken = describeRoute({
  operationId: 'deleteToken',
  summary: 'Revoke a CI token at once (session only)',
  parameters: [idParameter('Token id')],
  responses: {
    '204': { description: 'Revoked' },
    '403': error('FORBIDDEN: CI tokens cannot revoke tokens'),
    '404': error('NOT_FOUND'),
    ...AUTH_ERRORS,
  },
});

/** `DELETE /v1/tokens/{id}`: revokes a token at once (204). Session only. */
export function deleteToken(deps: Pick<AppDeps, 'database' | 'ciTokens'>): Handler<AppEnv> {
  return async (c) => {
    const principal = c.get('principal');
    if (principal.kind !== 'session') {
      throw new ApiError('FORBIDDEN', 'CI tokens cannot revoke tokens; sign in (specmint login) to do this.');
    }
    const id = c.req.param('id') ?? '';
    if (!(await revokeCiToken(deps.database.db, principal.userId, id))) {
      throw new ApiError('NOT_FOUND', 'No such token for this account.');
    }
    deps.ciTokens.forgetToken(id);
    return c.body(null, 204);
  };
}
