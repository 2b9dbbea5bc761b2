/**
 * A minimal forward proxy for tests of HTTP_PROXY support: every CONNECT is tunnelled to one local port
 * (whatever host it names), and the requested authorities (`host:port`) are recorded.
 */
import { createServer } from 'node:http';
import { type AddressInfo, connect } from 'node:net';

export interface ConnectProxy {
  /** `http://127.0.0.1:<port>`, for HTTP_PROXY. */
  url: string;
  /** The authority of every CONNECT, in order. */
  tunnels: string[];
  close(): Promise<void>;
}

/** Starts a proxy that tunnels every CONNECT to 127.0.0.1:`targetPort`. */
export async function startConnectProxy(targetPort: number): Promise<ConnectProxy> {
  const tunnels: string[] = [];
  const proxy = createServer();
  proxy.on('connect', (req, clientSocket, head) => {
    tunnels.push(req.url ?? '');
    const upstream = connect(targetPort, '127.0.0.1', () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

const PROXY_VARS = ['HTTP_PROXY', 'http_proxy', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy'];

/** Runs `fn` with only HTTP_PROXY=`proxyUrl` and NO_PROXY=`noProxy` of the proxy variables set, then restores them. */
export async function withProxyEnv<T>(proxyUrl: string, noProxy: string, fn: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(PROXY_VARS.map((name) => [name, process.env[name]]));
  for (const name of PROXY_VARS) delete process.env[name];
  process.env.HTTP_PROXY = proxyUrl;
  process.env.NO_PROXY = noProxy;
  try {
    return await fn();
  } finally {
    for (const name of PROXY_VARS) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}
