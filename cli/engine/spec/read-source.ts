import { open } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXIT } from '../../errors.ts';
import type { ProxyFetch } from '../../net/proxy-fetch.ts';
import { SpecError, type SpecErrorOptions } from './spec-error.ts';

/** Default time limit for fetching a spec (or a file it references) over HTTP. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/** The raw text of a spec source and where it came from. */
export interface SourceText {
  text: string;
  /** Path as given, URL, or `<stdin>`. */
  origin: string;
  /** Absolute `file:` or `http(s):` URL that relative `$ref`s resolve against. */
  baseUrl: string;
  /** A file's bytes as read (the text is their UTF-8, BOM stripped); absent for stdin and URLs. */
  bytes?: Uint8Array;
}

/** Options of {@link readSource}. */
export interface ReadSourceOptions {
  /** Stream read for `-`. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
  /** Time limit for HTTP. @default 30000 */
  timeoutMs?: number;
  /** A local file's bytes, already read (by another thread): used instead of reading the file. */
  bytes?: Uint8Array;
  /** Told a local file's bytes as soon as they are read, before they are decoded (they must not be changed). */
  onBytes?: (bytes: Uint8Array) => void;
}

/**
 * A spec URL that cannot be fetched for a reason outside the input — no connection, DNS, time-out, the
 * server failing (5xx) — is a network failure: exit 5, as DESIGN.md's table has it ("licence server or
 * network unreachable"), not 1. A URL the server answers 4xx for is a wrong input (exit 1). Still a
 * {@link SpecError}, so it is reported with its diagnostics like any spec problem.
 */
export class SpecUnreachableError extends SpecError {
  override readonly exitCode = EXIT.UNREACHABLE;

  constructor(message: string, options: SpecErrorOptions) {
    super(message, options);
    this.name = 'SpecUnreachableError';
  }
}

/** Whether a source is an http(s) URL. */
export function isHttpUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Reads a spec from a file path, a `file:`/http(s) URL, or stdin (`-`). Throws {@link SpecError}. */
export async function readSource(source: string, options: ReadSourceOptions = {}): Promise<SourceText> {
  if (source === '-') {
    const text = await readStream(options.stdin ?? process.stdin);
    return { text, origin: '<stdin>', baseUrl: pathToFileURL(resolvePath('<stdin>')).href };
  }
  if (isHttpUrl(source)) {
    const text = await fetchText(source, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    return { text, origin: source, baseUrl: source };
  }
  const path = localPath(source);
  const bytes = options.bytes ?? (await readFileBytes(path, source));
  options.onBytes?.(bytes);
  return { text: decodeText(bytes), origin: source, baseUrl: pathToFileURL(path).href, bytes };
}

/** Reads a local file as UTF-8 (BOM stripped); missing or unreadable files become a {@link SpecError}. */
export async function readTextFile(path: string, shownAs: string): Promise<string> {
  return decodeText(await readFileBytes(path, shownAs));
}

/**
 * A file's bytes as UTF-8 text, BOM stripped. Decoded once, whole: readFile(path, 'utf8') decodes chunk by
 * chunk and joins the pieces, which the first look at the text then copies into one string again (tens of ms
 * for GitHub's 13 MB description).
 */
export function decodeText(bytes: Uint8Array): string {
  return stripBom(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

/** The absolute path of a spec source that is neither stdin nor an http(s) URL. */
function localPath(source: string): string {
  return source.startsWith('file:') ? fileURLToPath(source) : resolvePath(source);
}

/**
 * A file's bytes, in one read where the file has a size: `readFile` reads 512 KB at a time, each piece a turn
 * of the event loop, so a read started ahead ({@link prefetchSpec}) would stall whenever this thread is busy
 * loading modules; one read runs to its end on libuv's threads meanwhile. A file without a size (a pipe)
 * is read by `readFile`. The bytes are read into shared memory: the render helper thread, which loads a large
 * spec too (engine/render/render-helper.ts), is handed them without a copy (a copy of GitHub's 13 MB
 * description took ~35 ms of this thread's start-up).
 */
async function readWhole(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return await handle.readFile();
    const buffer = Buffer.from(new SharedArrayBuffer(size));
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? buffer : buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

/** Spec files being read ahead ({@link prefetchSpec}), by absolute path. */
const prefetched = new Map<string, Promise<Buffer>>();

/**
 * Starts reading a local spec file now, so that the read (~50 ms for GitHub's 13 MB description) runs while
 * the command loads its modules and settings; the next {@link readSource} of that path takes the bytes. A
 * failed read is reported there, as if it happened then.
 */
export function prefetchSpec(source: string): void {
  if (source === '-' || isHttpUrl(source)) return;
  const path = localPath(source);
  const read = readWhole(path);
  read.catch(() => undefined);
  // One at a time: a run that stops before loading leaves nothing behind for long.
  prefetched.clear();
  prefetched.set(path, read);
}

/** Reads a local file; missing or unreadable files become a {@link SpecError}. */
async function readFileBytes(path: string, shownAs: string): Promise<Buffer> {
  const ahead = prefetched.get(path);
  prefetched.delete(path);
  try {
    return await (ahead ?? readWhole(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'file not found'
        : code === 'EISDIR'
          ? 'is a directory, not a file'
          : code === 'EACCES'
            ? 'permission denied'
            : `cannot be read (${code ?? String(error)})`;
    throw new SpecError(`Spec ${shownAs}: ${problem}`, {
      code: code === 'ENOENT' ? 'SPEC_NOT_FOUND' : 'SPEC_UNREADABLE',
      diagnostics: [{ severity: 'error', code: 'FILE_UNREADABLE', message: problem, file: shownAs }],
      hint:
        code === 'ENOENT'
          ? `Check the path (relative paths start from ${process.cwd()}), or pass a URL or - for stdin.`
          : 'Pass the path of an OpenAPI file (JSON or YAML).',
    });
  }
}

/** GETs a URL as text with a time limit; HTTP errors and network failures become a {@link SpecError}. */
export async function fetchText(url: string, timeoutMs: number): Promise<string> {
  // Loaded on first use: local files, the common case, need no HTTP client (~70 ms of module loading).
  const { createProxyFetch } = await import('../../net/proxy-fetch.ts');
  const { fetch, close } = createProxyFetch();
  try {
    return await fetchWith(fetch, url, timeoutMs);
  } finally {
    close().catch(() => undefined);
  }
}

async function fetchWith(fetch: ProxyFetch, url: string, timeoutMs: number): Promise<string> {
  let response: Awaited<ReturnType<typeof fetch>>;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json, application/yaml, text/yaml, */*;q=0.5' },
    });
  } catch (error) {
    const reason = describeFetchFailure(error, timeoutMs);
    throw new SpecUnreachableError(`Could not fetch spec ${url}: ${reason}`, {
      code: 'SPEC_FETCH_FAILED',
      diagnostics: [{ severity: 'error', code: 'FETCH_FAILED', message: reason, file: url }],
      hint: 'Check that the URL is right and the server is running and reachable (HTTPS_PROXY/NO_PROXY apply).',
      cause: error,
    });
  }
  if (!response.ok) {
    const reason = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    await response.body?.cancel().catch(() => undefined);
    const Failure = response.status >= 500 || response.status === 429 ? SpecUnreachableError : SpecError;
    throw new Failure(`Could not fetch spec ${url}: ${reason}`, {
      code: 'SPEC_FETCH_FAILED',
      diagnostics: [{ severity: 'error', code: 'FETCH_FAILED', message: reason, file: url }],
      hint:
        response.status === 404
          ? 'The server has no document at that URL: check the path.'
          : response.status === 401 || response.status === 403
            ? 'The server wants credentials: download the spec and pass the file instead.'
            : response.status >= 500 || response.status === 429
              ? 'The server failed to answer; try again later, or download the spec and pass the file instead.'
              : 'Check the URL, or download the spec and pass the file instead.',
    });
  }
  try {
    return stripBom(await response.text());
  } catch (error) {
    const reason = describeFetchFailure(error, timeoutMs);
    throw new SpecUnreachableError(`Could not fetch spec ${url}: ${reason}`, {
      code: 'SPEC_FETCH_FAILED',
      diagnostics: [{ severity: 'error', code: 'FETCH_FAILED', message: reason, file: url }],
      hint: 'Try again, or download the spec and pass the file instead.',
      cause: error,
    });
  }
}

/** A one-line reason for a failed fetch: connection refused, DNS, timeout… */
function describeFetchFailure(error: unknown, timeoutMs: number): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = err.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code) return `${code}${err.cause?.message ? ` (${err.cause.message})` : ''}`;
  return err.cause?.message ?? err.message ?? String(error);
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return stripBom(Buffer.concat(chunks).toString('utf8'));
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
