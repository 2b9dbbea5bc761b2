/**
 * A `fetch` that honours `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` (Node's global fetch ignores them): undici's
 * fetch through `EnvHttpProxyAgent`, as the licence client (http-client.ts) sends through it too.
 * `NODE_EXTRA_CA_CERTS` works through Node's default TLS context. The proxy variables are read when the
 * fetch is created. Used for spec URLs (engine/spec/read-source.ts) and by the AI SDKs.
 */
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/** The fetch signature the AI SDKs accept (DOM types). */
export type ProxyFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A proxy-aware fetch with its own connection pool; `close` ends the pool's connections. */
export function createProxyFetch(): { fetch: ProxyFetch; close: () => Promise<void> } {
  const dispatcher = new EnvHttpProxyAgent();
  return {
    fetch: (input, init) =>
      // undici's fetch takes the same arguments plus `dispatcher`; its Request/Response types are nominally
      // different from the DOM lib's, hence the casts.
      undiciFetch(input as Parameters<typeof undiciFetch>[0], {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher,
      }) as unknown as Promise<Response>,
    close: () => dispatcher.close(),
  };
}

let shared: ProxyFetch | undefined;

/** One proxy-aware fetch for the whole process (the AI SDKs' calls share its connections). */
export function sharedProxyFetch(): ProxyFetch {
  shared ??= createProxyFetch().fetch;
  return shared;
}
