/**
 * Deploy smoke test of a live licence server (run by .github/workflows/deploy.yml after every deploy):
 *
 *   SPECMINT_SMOKE_URL=https://specmint-licence.fly.dev SPECMINT_SMOKE_TOKEN=smk_… npx tsx scripts/smoke.ts
 *   npx tsx scripts/smoke.ts --url http://127.0.0.1:8787 --token smk_… [--expect-version 0.1.0] [--json]
 *
 * Checks, in order: GET /healthz (and the version, if asked), GET /readyz (retried until --ready-timeout),
 * GET /.well-known/jwks.json, a real POST /v1/generations per DESIGN.md's protocol whose usage token must
 * verify against the JWKS, and POST /v1/generations/{id}/complete. It always requests the same spec hash,
 * so the smoke account is charged once per billing period and every later run answers `charged: false`.
 * Exit codes: 0 every check passed · 1 a check failed · 2 usage (no URL or token).
 */
import { createHash, randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as z from 'zod';
import {
  ApiErrorSchema,
  GenerationRecordSchema,
  type GenerationRequest,
  GenerationResponseSchema,
  IDEMPOTENCY_KEY_HEADER,
  type Jwks,
  JwksSchema,
} from '../shared/contracts.ts';
import type { Format } from '../shared/plans.ts';
import { verifyUsageToken } from '../shared/usage-token.ts';
import { SPECMINT_VERSION } from '../shared/version.ts';

/** The spec hash every smoke run requests (sha256 of a fixed label), so re-runs are free. */
export const SMOKE_SPEC_HASH = createHash('sha256').update('specmint deploy smoke test v1').digest('hex');
/** Formats the smoke generation asks for: in every plan, so any smoke account works. */
export const SMOKE_FORMATS: Format[] = ['pytest'];

/** Options of {@link runSmoke}. */
export interface SmokeOptions {
  /** Base URL of the licence server, e.g. `https://specmint-licence.fly.dev`. */
  baseUrl: string;
  /** CI token (or session token) of the smoke account. */
  token: string;
  /** Fail unless /healthz reports this version. */
  expectVersion?: string;
  /** How long /readyz may answer non-200 before the check fails. @default 60_000 */
  readyTimeoutMs?: number;
  /** Per-request timeout. @default 10_000 */
  requestTimeoutMs?: number;
  /** Called with a line per passed or failed check. */
  log?: (line: string) => void;
}

/** The outcome of one check. */
export interface SmokeCheck {
  name: string;
  ok: boolean;
  ms: number;
  detail: string;
}

/** What {@link runSmoke} found. */
export interface SmokeReport {
  ok: boolean;
  baseUrl: string;
  checks: SmokeCheck[];
  generationId?: string;
  charged?: boolean;
}

class CheckFailed extends Error {}

interface Context {
  options: Required<Omit<SmokeOptions, 'expectVersion'>> & Pick<SmokeOptions, 'expectVersion'>;
  report: SmokeReport;
}

async function request(ctx: Context, path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(path, `${ctx.options.baseUrl}/`);
  try {
    return await fetch(url, { ...init, signal: AbortSignal.timeout(ctx.options.requestTimeoutMs) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new CheckFailed(
      `${init.method ?? 'GET'} ${url.pathname}: ${cause?.code ?? cause?.message ?? String(error)}`,
    );
  }
}

async function readJson(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    throw new CheckFailed(`${what}: HTTP ${response.status}, not JSON: ${text.slice(0, 200)}`);
  }
}

async function expectStatus(response: Response, status: number, what: string): Promise<unknown> {
  const body = await readJson(response, what);
  if (response.status === status) return body;
  const error = ApiErrorSchema.safeParse(body);
  const reason = error.success
    ? `${error.data.error.code}: ${error.data.error.message} (request ${error.data.error.requestId})`
    : JSON.stringify(body).slice(0, 300);
  throw new CheckFailed(`${what}: expected HTTP ${status}, got ${response.status} ${reason}`);
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CheckFailed(`${what}: unexpected body: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

async function check(ctx: Context, name: string, body: () => Promise<string>): Promise<void> {
  const started = performance.now();
  let result: SmokeCheck;
  try {
    result = { name, ok: true, ms: 0, detail: await body() };
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
    result = { name, ok: false, ms: 0, detail: error.message };
  }
  result.ms = Math.round(performance.now() - started);
  ctx.report.checks.push(result);
  ctx.options.log(`${result.ok ? 'ok  ' : 'FAIL'} ${name} (${result.ms} ms): ${result.detail}`);
  if (!result.ok) throw new CheckFailed(result.detail);
}

async function checkHealth(ctx: Context): Promise<string> {
  const body = parse(
    z.object({ status: z.literal('ok'), version: z.string() }),
    await expectStatus(await request(ctx, 'healthz'), 200, 'GET /healthz'),
    'GET /healthz',
  );
  const expected = ctx.options.expectVersion;
  if (expected && body.version !== expected) {
    throw new CheckFailed(`GET /healthz: version ${body.version} is live, expected ${expected}`);
  }
  return `version ${body.version}`;
}

async function checkReady(ctx: Context): Promise<string> {
  const deadline = Date.now() + ctx.options.readyTimeoutMs;
  let last = '';
  for (let attempt = 1; ; attempt++) {
    try {
      const body = await expectStatus(await request(ctx, 'readyz'), 200, 'GET /readyz');
      const ready = parse(
        z.object({ status: z.literal('ready'), database: z.string() }),
        body,
        'GET /readyz',
      );
      return `database ${ready.database} (attempt ${attempt})`;
    } catch (error) {
      if (!(error instanceof CheckFailed)) throw error;
      last = error.message;
    }
    if (Date.now() + 2000 > deadline) throw new CheckFailed(`not ready after ${attempt} attempts: ${last}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function fetchJwks(ctx: Context): Promise<Jwks> {
  const response = await request(ctx, '.well-known/jwks.json', { headers: { 'cache-control': 'no-cache' } });
  return parse(JwksSchema, await expectStatus(response, 200, 'GET /.well-known/jwks.json'), 'JWKS');
}

function authHeaders(ctx: Context): Record<string, string> {
  return { authorization: `Bearer ${ctx.options.token}`, 'content-type': 'application/json' };
}

async function checkGeneration(ctx: Context, jwks: Jwks): Promise<{ id: string; detail: string }> {
  const body: GenerationRequest = {
    specHash: SMOKE_SPEC_HASH,
    specTitle: 'SpecMint deploy smoke test',
    operationCount: 1,
    formats: SMOKE_FORMATS,
    ai: null,
    cliVersion: `${SPECMINT_VERSION}+smoke`,
  };
  const response = await request(ctx, 'v1/generations', {
    method: 'POST',
    headers: { ...authHeaders(ctx), [IDEMPOTENCY_KEY_HEADER]: `smoke-${randomUUID()}` },
    body: JSON.stringify(body),
  });
  const grant = parse(
    GenerationResponseSchema,
    await expectStatus(response, 201, 'POST /v1/generations'),
    'POST /v1/generations',
  );
  const expected = { specHash: SMOKE_SPEC_HASH, formats: SMOKE_FORMATS };
  let verified = await verifyUsageToken(grant.usageToken, { jwks, expected });
  // Like the CLI: an unknown kid means the JWKS rotated since it was fetched; refetch once.
  if (!verified.ok && verified.reason === 'unknown_kid') {
    verified = await verifyUsageToken(grant.usageToken, { jwks: await fetchJwks(ctx), expected });
  }
  if (!verified.ok) throw new CheckFailed(`usage token rejected (${verified.reason}): ${verified.message}`);
  if (verified.claims.gid !== grant.generationId) {
    throw new CheckFailed(`usage token is for generation ${verified.claims.gid}, not ${grant.generationId}`);
  }
  ctx.report.generationId = grant.generationId;
  ctx.report.charged = grant.charged;
  const { usage } = grant;
  const quota = usage.limit === null ? 'unlimited' : `${usage.used}/${usage.limit}`;
  return {
    id: grant.generationId,
    detail: `201, token verified (kid ${verified.kid}), plan ${usage.plan}, charged ${grant.charged}, ${quota}`,
  };
}

async function checkComplete(ctx: Context, id: string, startedAt: number): Promise<string> {
  const report = { files: 1, tests: 1, durationMs: Math.round(performance.now() - startedAt) };
  const response = await request(ctx, `v1/generations/${encodeURIComponent(id)}/complete`, {
    method: 'POST',
    headers: authHeaders(ctx),
    body: JSON.stringify(report),
  });
  const what = 'POST /v1/generations/{id}/complete';
  const record = parse(GenerationRecordSchema, await expectStatus(response, 200, what), what);
  if (record.status !== 'completed') throw new CheckFailed(`${what}: status is ${record.status}`);
  return 'recorded';
}

/** Runs every check against a live server; stops at the first failure. Never throws for a failed check. */
export async function runSmoke(options: SmokeOptions): Promise<SmokeReport> {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const ctx: Context = {
    options: {
      readyTimeoutMs: 60_000,
      requestTimeoutMs: 10_000,
      log: () => {},
      ...options,
      baseUrl,
    },
    report: { ok: false, baseUrl, checks: [] },
  };
  const startedAt = performance.now();
  try {
    await check(ctx, 'healthz', () => checkHealth(ctx));
    await check(ctx, 'readyz', () => checkReady(ctx));
    let jwks: Jwks = { keys: [] };
    await check(ctx, 'jwks', async () => {
      jwks = await fetchJwks(ctx);
      if (jwks.keys.length === 0) throw new CheckFailed('the JWKS has no keys');
      return `${jwks.keys.length} key(s)`;
    });
    let generationId = '';
    await check(ctx, 'generation', async () => {
      const result = await checkGeneration(ctx, jwks);
      generationId = result.id;
      return result.detail;
    });
    await check(ctx, 'complete', () => checkComplete(ctx, generationId, startedAt));
    ctx.report.ok = true;
  } catch (error) {
    if (!(error instanceof CheckFailed)) throw error;
  }
  return ctx.report;
}

const USAGE = `usage: tsx scripts/smoke.ts --url URL --token TOKEN [--expect-version V] [--ready-timeout SECONDS] [--json]
  URL and TOKEN default to SPECMINT_SMOKE_URL and SPECMINT_SMOKE_TOKEN (prefer the env var for the token).`;

async function main(argv: string[]): Promise<number> {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const baseUrl = values.url ?? process.env.SPECMINT_SMOKE_URL;
  const token = values.token ?? process.env.SPECMINT_SMOKE_TOKEN;
  const readyTimeout = Number(values['ready-timeout'] ?? 60);
  if (!baseUrl || !URL.canParse(baseUrl) || !token || !Number.isFinite(readyTimeout) || readyTimeout < 0) {
    process.stderr.write(
      `${!baseUrl || !token ? 'a base URL and a token are required' : 'invalid option'}\n${USAGE}\n`,
    );
    return 2;
  }
  const report = await runSmoke({
    baseUrl,
    token,
    readyTimeoutMs: readyTimeout * 1000,
    ...(values['expect-version'] ? { expectVersion: values['expect-version'] } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  process.stderr.write(
    report.ok ? `smoke test passed: ${report.baseUrl}\n` : `smoke test FAILED: ${report.baseUrl}\n`,
  );
  return report.ok ? 0 : 1;
}

function parseFlags(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'expect-version': { type: 'string' },
      'ready-timeout': { type: 'string' },
      json: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main(process.argv.slice(2));
}
