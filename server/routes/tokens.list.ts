import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { TokenList } from '../../shared/contracts.ts';
import { TokenListSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import type { AppEnv } from '../http/principal.ts';
import { AUTH_ERRORS, json } from '../openapi/describe.ts';
import { listCiTokens } from '../tokens/token-service.ts';

/** `GET /v1/tokens` in /openapi.json. */
export const describeListTokens = describeRoute({
  operationId: 'listTokens',
  summary: "The caller's CI tokens",
  responses: {
    '200': { description: 'OK', content: json('TokenList', TokenListSchema, 'output') },
    ...AUTH_ERRORS,
  },
});

/** `GET /v1/tokens`: the caller's CI tokens (name, prefix, created, last used). */
export function listTokens(deps: Pick<AppDeps, 'database'>): Handler<AppEnv> {
  return async (c) => {
    const body: TokenList = { items: await listCiTokens(deps.database.db, c.get('principal').userId) };
    c.header('Cache-Control', 'no-store');
    return c.json(body);
  };
}
