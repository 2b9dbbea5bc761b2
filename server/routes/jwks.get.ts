import type { Handler } from 'hono';
import type { AppDeps } from '../app-deps.ts';
import type { AppEnv } from '../http/principal.ts';

/** `GET /.well-known/jwks.json`: the public keys that verify usage tokens (several during rotation). */
export function getJwks(deps: Pick<AppDeps, 'signer'>): Handler<AppEnv> {
  return (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(deps.signer.jwks);
  };
}
