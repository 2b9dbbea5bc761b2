/**
 * A stand-in for k6's `k6/http` so generated load tests can run under Node in tests: requests are
 * synchronous like k6's, done by a worker thread with real `fetch` while this thread waits on Atomics.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

interface ShimReply {
  status: number;
  headers: Record<string, string>;
  body: string;
  error?: string;
}

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { port, shared } = workerData;
const flag = new Int32Array(shared);
port.on('message', async (request) => {
  let reply;
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body === null ? undefined : request.body,
      redirect: 'manual',
    });
    const headers = {};
    response.headers.forEach((value, key) => { headers[key] = value; });
    reply = { status: response.status, headers, body: await response.text() };
  } catch (error) {
    reply = { status: 0, headers: {}, body: '', error: String(error) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

const shared = new SharedArrayBuffer(4);
const flag = new Int32Array(shared);
const channel = new MessageChannel();
const worker = new Worker(WORKER_SOURCE, {
  eval: true,
  workerData: { port: channel.port2, shared },
  transferList: [channel.port2],
});
worker.unref();
channel.port1.unref();

/** k6 canonicalises response header names: `content-type` → `Content-Type`. */
function canonical(name: string): string {
  return name.replace(/(^|-)([a-z])/g, (_all, dash: string, letter: string) => dash + letter.toUpperCase());
}

/** Statuses that count as success for `http_req_failed` (recorded, as k6 would). */
export function expectedStatuses(...ranges: Array<number | { min: number; max: number }>) {
  return { ranges };
}

/** Every request sent, for assertions: what it was, how long it took, and whether k6 counts it as failed. */
export const sent: Array<{
  method: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string | null;
  durationMs: number;
  failed: boolean;
}> = [];

function isExpected(status: number, callback?: { ranges: Array<number | { min: number; max: number }> }) {
  if (!callback) return status >= 200 && status < 400;
  return callback.ranges.some((range) =>
    typeof range === 'number' ? range === status : status >= range.min && status <= range.max,
  );
}

/** Synchronous request, like k6's `http.request`. */
export function request(
  method: string,
  url: string,
  body: string | null,
  params: {
    headers?: Record<string, string>;
    responseCallback?: { ranges: Array<number | { min: number; max: number }> };
  } = {},
) {
  const started = performance.now();
  Atomics.store(flag, 0, 0);
  channel.port1.postMessage({ method, url, body, headers: params.headers ?? {} });
  Atomics.wait(flag, 0, 0, 30_000);
  const reply = receiveMessageOnPort(channel.port1)?.message as ShimReply | undefined;
  if (!reply) throw new Error(`no reply for ${method} ${url}`);
  const durationMs = performance.now() - started;
  const headersSent = params.headers ?? {};
  if (reply.error) {
    // As k6: a failed request is a response with status 0 and an error, not an exception.
    sent.push({ method, url, status: 0, headers: headersSent, body, durationMs, failed: true });
    return { status: 0, headers: {}, body: '', error: reply.error, json: () => undefined };
  }
  const failed = !isExpected(reply.status, params.responseCallback);
  sent.push({ method, url, status: reply.status, headers: headersSent, body, durationMs, failed });
  const headers = Object.fromEntries(
    Object.entries(reply.headers).map(([key, value]) => [canonical(key), value]),
  );
  return { status: reply.status, headers, body: reply.body, json: () => JSON.parse(reply.body) };
}

export default { request, expectedStatuses, sent };
