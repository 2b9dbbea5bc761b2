import type { Env, Hono, MiddlewareHandler } from 'hono';
import { type GenerateSpecOptions, generateSpecs, openAPIRouteHandler } from 'hono-openapi';
import { SPECMINT_VERSION } from '../../shared/version.ts';

/**
 * The frame of `/openapi.json`; its paths and component schemas come from the routes themselves: every
 * route registered with a `describeRoute({…})` (server/routes/*.ts) is described, with the zod schemas
 * its handler parses and answers. A route without one is not in the document (see the list of such
 * routes in tests/server/openapi.test.ts).
 */
function options(serverUrl: string): Partial<GenerateSpecOptions> {
  return {
    // `/.well-known/jwks.json` would otherwise be skipped as a static file.
    excludeStaticFile: false,
    documentation: {
      info: {
        title: 'SpecMint licence server',
        version: SPECMINT_VERSION,
        description:
          'Entitlements, usage tokens, CI tokens and history for the specmint CLI. Accounts and the RFC 8628 ' +
          'device flow live under /api/auth/* (better-auth). Errors: {error:{code,message,requestId}}.',
      },
      servers: [{ url: serverUrl }],
      security: [{ bearer: [] }, { sessionCookie: [] }],
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'A CI token (smk_…) or the session token returned by the device flow.',
          },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        },
      },
    },
  };
}

/** The OpenAPI 3.1 description of `app`'s described routes (what `GET /openapi.json` answers). */
export function buildOpenApiDocument<E extends Env>(app: Hono<E>, serverUrl: string) {
  return generateSpecs(app, options(serverUrl));
}

/** `GET /openapi.json`: the document, generated on the first request (every route is registered by then). */
export function getOpenApiDocument<E extends Env>(app: Hono<E>, serverUrl: string): MiddlewareHandler<E> {
  return openAPIRouteHandler(app, options(serverUrl)) as MiddlewareHandler<E>;
}
