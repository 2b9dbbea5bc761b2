/**
 * The notes API of tests/sut/notes/openapi.yaml, implemented correctly: every response is one the spec
 * declares for success, and invalid input (checked against the spec's own schemas) is refused with 422 —
 * malformed JSON with 400, an unknown note with 404 — statuses the spec never mentions. A suite must pass
 * here and only warn about those statuses.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

interface Note {
  id: number;
  title: string;
  text?: string;
  priority: number;
  pinned?: boolean;
}

const SPEC = parse(readFileSync(new URL('./openapi.yaml', import.meta.url), 'utf8')) as {
  components: { schemas: Record<string, unknown> };
};
const ajv = new Ajv2020({ strict: false, allErrors: true });
const validateNewNote = ajv.compile(SPEC.components.schemas.NewNote as object);
const PRIORITY = { min: 1, max: 5 };
const LIMIT = { min: 1, max: 50 };

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  try {
    return JSON.parse(text);
  } catch {
    throw new Refusal(400, 'the body is not JSON');
  }
}

/** A query parameter that must be a whole number in range, or absent. */
function wholeNumber(
  query: URLSearchParams,
  name: string,
  range: { min: number; max: number },
): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  const value = Number(raw);
  if (!/^-?[0-9]+$/.test(raw) || value < range.min || value > range.max) {
    throw new Refusal(422, `${name} must be a whole number from ${range.min} to ${range.max}`);
  }
  return value;
}

/** Serves the notes API on a free loopback port. */
export async function startNotesServer(): Promise<{ url: string; close(): Promise<void> }> {
  const notes = new Map<number, Note>();
  let nextId = 1;
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const item = /^\/notes\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === '/notes' && req.method === 'GET') {
      const priority = wholeNumber(url.searchParams, 'priority', PRIORITY);
      const limit = wholeNumber(url.searchParams, 'limit', LIMIT) ?? 20;
      const items = [...notes.values()].filter((n) => priority === undefined || n.priority === priority);
      return send(res, 200, { items: items.slice(0, limit) });
    }
    if (url.pathname === '/notes' && req.method === 'POST') {
      const body = await readJson(req);
      if (!validateNewNote(body)) throw new Refusal(422, ajv.errorsText(validateNewNote.errors));
      const note: Note = { id: nextId++, ...(body as Omit<Note, 'id'>) };
      notes.set(note.id, note);
      return send(res, 201, note);
    }
    if (item && req.method === 'GET') {
      const raw = decodeURIComponent(item[1] ?? '');
      const id = Number(raw);
      if (!/^[0-9]+$/.test(raw) || id < 1) throw new Refusal(422, 'noteId must be a whole number from 1');
      const note = notes.get(id);
      if (!note) throw new Refusal(404, `no note ${id}`);
      return send(res, 200, note);
    }
    throw new Refusal(
      url.pathname === '/notes' || item ? 405 : 404,
      `${req.method} ${url.pathname} is not served`,
    );
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (error instanceof Refusal) send(res, error.status, { error: error.message });
      else send(res, 500, { error: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
