import type { Handler } from 'hono';
import type { AppDeps } from '../app-deps.ts';
import { ApiError } from '../http/api-error.ts';
import type { AppEnv } from '../http/principal.ts';
import { revokeCiToken } from '../tokens/token-service.ts';

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
