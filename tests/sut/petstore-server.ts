import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpError, type Reply, writeReply } from './http-io.ts';
import {
  createOwner,
  createPet,
  deletePet,
  getHealth,
  getPet,
  type Handler,
  type HandlerConfig,
  listPets,
  patchPetUndeclared,
  updatePet,
} from './pet-handlers.ts';
import { createPetStore } from './pet-store.ts';
import { loadPetstoreContract } from './petstore-contract.ts';
import type { SutFault } from './sut-faults.ts';

export { isSutFault, SUT_FAULTS, type SutFault } from './sut-faults.ts';

/** Options of {@link startSut}. */
export interface SutOptions {
  /** Seeded fault to run with; absent → the conforming server. */
  fault?: SutFault;
  /** Port on 127.0.0.1. @default 0 (a free random port) */
  port?: number;
  /** Token accepted by `bearerAuth`. @default 'test-token' */
  bearerToken?: string;
  /** Key accepted by `apiKeyAuth` (header `X-API-Key`). @default 'test-api-key' */
  apiKey?: string;
}

/** A running SUT. */
export interface RunningSut {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4010`. */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

/** Paths of tests/fixtures/specs/sut/petstore.yaml and the operation behind each method. */
const ROUTES: Route[] = [
  { pattern: /^\/health$/, methods: { GET: getHealth } },
  { pattern: /^\/pets$/, methods: { GET: listPets, POST: createPet } },
  { pattern: /^\/pets\/([^/]+)$/, methods: { GET: getPet, PUT: updatePet, DELETE: deletePet } },
  { pattern: /^\/owners$/, methods: { POST: createOwner } },
];

async function route(config: HandlerConfig, req: IncomingMessage): Promise<Reply> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  for (const { pattern, methods } of ROUTES) {
    const match = pattern.exec(url.pathname);
    if (!match) continue;
    const handler =
      methods[req.method ?? 'GET'] ??
      (config.fault === 'undeclared-method-ok' && req.method === 'PATCH' && methods.PUT === updatePet
        ? patchPetUndeclared
        : undefined);
    if (!handler) {
      const allow = Object.keys(methods).join(', ');
      throw new HttpError({
        status: 405,
        code: 'METHOD_NOT_ALLOWED',
        message: `${req.method} is not allowed on ${url.pathname} (allowed: ${allow})`,
        headers: { allow },
      });
    }
    return handler({ config, req, url, pathParam: match[1] });
  }
  throw new HttpError({ status: 404, code: 'NOT_FOUND', message: `No route for ${url.pathname}` });
}

function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) return error.toReply();
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { code: 'INTERNAL_ERROR', message } };
}

/** The request listener of one SUT instance (fresh store per call). */
export function createPetstoreListener(
  options: Required<Pick<SutOptions, 'bearerToken' | 'apiKey'>> & Pick<SutOptions, 'fault'>,
): (req: IncomingMessage, res: ServerResponse) => void {
  const config: HandlerConfig = {
    contract: loadPetstoreContract(),
    store: createPetStore(),
    fault: options.fault,
    bearerToken: options.bearerToken,
    apiKey: options.apiKey,
    putCounts: new Map(),
  };
  return (req, res) => {
    route(config, req)
      .catch(errorReply)
      .then((reply) => writeReply(res, reply))
      .catch((error: unknown) => {
        // The socket failed while writing; nothing left to tell the client.
        res.destroy(error instanceof Error ? error : undefined);
      });
  };
}

/**
 * Starts the pet store on 127.0.0.1 with an empty in-memory store.
 * @see tests/fixtures/specs/sut/petstore.yaml
 */
export async function startSut(options: SutOptions = {}): Promise<RunningSut> {
  const listener = createPetstoreListener({
    fault: options.fault,
    bearerToken: options.bearerToken ?? 'test-token',
    apiKey: options.apiKey ?? 'test-api-key',
  });
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets would otherwise hold close() open until they time out.
        server.closeAllConnections();
      }),
  };
}
