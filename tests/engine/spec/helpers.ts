import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIr } from '../../../cli/engine/ir/build-ir.ts';
import type { ApiIr, Diagnostic } from '../../../cli/engine/ir/types.ts';
import { type LoadedSpec, loadSpec } from '../../../cli/engine/spec/load-spec.ts';
import { SpecError } from '../../../cli/engine/spec/spec-error.ts';

/** tests/fixtures/specs/features/ */
export const FEATURES = fileURLToPath(new URL('../../fixtures/specs/features/', import.meta.url));
/** tests/fixtures/specs/real/ */
export const REAL = fileURLToPath(new URL('../../fixtures/specs/real/', import.meta.url));
/** Scratch space for these tests (git-ignored). */
export const TMP = fileURLToPath(new URL('../../.tmp/spec/', import.meta.url));

/** Loads a feature fixture and builds its IR. */
export async function buildFixture(
  name: string,
): Promise<{ spec: LoadedSpec; ir: ApiIr; diagnostics: Diagnostic[]; all: Diagnostic[] }> {
  const spec = await loadSpec(join(FEATURES, name));
  const { ir, diagnostics } = buildIr(spec);
  return { spec, ir, diagnostics, all: [...spec.diagnostics, ...diagnostics] };
}

/** The SpecError a promise rejects with (fails the test when it resolves or throws something else). */
export async function specErrorOf(promise: Promise<unknown>): Promise<SpecError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SpecError) return error;
    throw new Error(`expected a SpecError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected a SpecError, but loading succeeded');
}

/** Operation of an IR by id (fails when absent). */
export function operation(ir: ApiIr, id: string) {
  const op = ir.operations.find((o) => o.id === id);
  if (!op) throw new Error(`no operation ${id}; have ${ir.operations.map((o) => o.id).join(', ')}`);
  return op;
}

/** Every `$ref` string anywhere in a value. */
export function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, out);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, member] of Object.entries(value)) {
      if (key === '$ref' && typeof member === 'string') out.push(member);
      else refsIn(member, out);
    }
  }
  return out;
}

/** A loopback HTTP server serving `root` (and extra routes), for URL loading tests. */
export async function serveDirectory(
  root: string,
  routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {},
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const route = routes[path];
    if (route) return route(req, res);
    const file = normalize(join(root, path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      const type = extname(file) === '.json' ? 'application/json' : 'application/yaml';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
