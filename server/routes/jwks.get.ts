import type { Handler } from 'hono';
import { describeRoute } from 'hono-openapi';
import { JwksSchema } from '../../shared/contracts.ts';
import type { AppDeps } from '../app-deps.ts';
import type { AppEnv } from '../http/principal.ts';
import { json } from '../openapi/describe.ts';

/** `GET /.well-known/jwks.json` in /openapi.json. */
export const describeGetJwks = describeRoute({
  operationId: 'getJwks',
  summary: 'Public keys verifying usage tokens',
  security: [],
  responses: { '200': { description: 'OK', content: json('Jwks', JwksSchema, 'output') } },
});

/** `GET /.well-known/jwks.json`: the public keys that verify usage tokens (several during rotation). */
export function getJwks(deps: Pick<AppDeps, 'signer'>): Handler<AppEnv> {
  return (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(deps.signer.jwks);
  };
}
