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

/** Every request sent, for assertions. */
export const sent: Array<{ method: string; url: string; status: number }> = [];

/** Synchronous request, like k6's `http.request`. */
export function request(
  method: string,
  url: string,
  body: string | null,
  params: { headers?: Record<string, string> } = {},
) {
  Atomics.store(flag, 0, 0);
  channel.port1.postMessage({ method, url, body, headers: params.headers ?? {} });
  Atomics.wait(flag, 0, 0, 30_000);
  const reply = receiveMessageOnPort(channel.port1)?.message as ShimReply | undefined;
  if (!reply) throw new Error(`no reply for ${method} ${url}`);
  if (reply.error) throw new Error(`${method} ${url} failed: ${reply.error}`);
  sent.push({ method, url, status: reply.status });
  const headers = Object.fromEntries(
    Object.entries(reply.headers).map(([key, value]) => [canonical(key), value]),
  );
  return { status: reply.status, headers, body: reply.body, json: () => JSON.parse(reply.body) };
}

export default { request, expectedStatuses, sent };
