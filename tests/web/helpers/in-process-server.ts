/**
 * The licence server app on an in-memory PGlite, served over real HTTP on a loopback port — for browser
 * tests that also need the database (expiring a device code, checking the anonymised ledger).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import type { DatabaseHandle } from '../../../server/db/client.ts';
import {
  createTestDatabase,
  createTestServer,
  type TestServer,
  type TestServerOptions,
} from '../../server/harness.ts';

/** A served test app. */
export interface ServedApp {
  /** Public URL, also what the CLI uses (`http://localhost:PORT`). */
  url: string;
  server: TestServer;
  database: DatabaseHandle;
  close(): Promise<void>;
}

/** Starts the app over HTTP; `options` tune the app (poll interval, rate limits…). */
export async function serveTestApp(options: TestServerOptions = {}): Promise<ServedApp> {
  const database = await createTestDatabase('pglite');
  let fetcher: ((request: Request, env: unknown) => Response | Promise<Response>) | undefined;
  const http = createAdaptorServer({
    fetch: (request, env) => (fetcher ? fetcher(request, env) : new Response('starting', { status: 503 })),
  }) as Server;
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://localhost:${(http.address() as AddressInfo).port}`;
  const server = await createTestServer('pglite', database.handle, {
    baseUrl: url,
    // Real sockets: the client address comes from the connection, as in production.
    clientIp: () => '127.0.0.1',
    ...options,
  });
  fetcher = (request, env) => server.app.fetch(request, env);
  return {
    url,
    server,
    database: database.handle,
    close: async () => {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await database.dispose();
    },
  };
}
