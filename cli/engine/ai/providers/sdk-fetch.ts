/**
 * The `fetch` handed to the AI SDKs: undici through `EnvHttpProxyAgent`, so `HTTPS_PROXY`/`HTTP_PROXY`/
 * `NO_PROXY` apply to provider calls exactly as they do to the licence server (Node's global fetch ignores
 * them), and `NODE_EXTRA_CA_CERTS` works through Node's default TLS context.
 */
import { EnvHttpProxyAgent, fetch as undiciFetch } from 'undici';

/** The fetch signature both SDKs accept. */
export type SdkFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

let agent: EnvHttpProxyAgent | undefined;

/** A proxy-aware fetch for the SDKs (one shared agent per process). */
export function createSdkFetch(): SdkFetch {
  agent ??= new EnvHttpProxyAgent();
  const dispatcher = agent;
  return (input, init) =>
    // undici's fetch takes the same arguments plus `dispatcher`; its Request/Response types are nominally
    // different from the DOM lib's, hence the casts.
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    }) as unknown as Promise<Response>;
}
