/**
 * Runs a subject server until it is told to stop: listens on a loopback port, prints its base URL as the
 * only line on stdout, and on SIGTERM or SIGINT closes and exits normally, so that a run under
 * `NODE_V8_COVERAGE` writes its coverage data.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function serveUntilStopped(server: Server, port = 0): void {
  server.listen(port, '127.0.0.1', () => {
    const { port: bound } = server.address() as AddressInfo;
    process.stdout.write(`http://127.0.0.1:${bound}\n`);
  });
  const stop = (): void => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
