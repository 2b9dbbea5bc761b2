/**
 * Precision benchmark: suites generated from real specs, run against a mock that keeps every promise its spec
 * makes. A correct server is the one place a suite must pass, so every failure is either the suite's fault
 * (ours) or the mock's own error.
 *
 *   npm run bench:precision                                  # the corpus sample, every runnable format
 *   npm run bench:precision -- --filter azure --formats pytest,vitest
 *   npm run bench:precision -- --limit 5 --json
 *   npm run bench:precision -- --max-kb 300 --out before.json   # specs up to 300 KB; the report as JSON too
 *
 * For each spec of the corpus sample (tests/engine/corpus-sample-list.ts; specs whose path keys carry a `#`
 * are left out, since the mock cannot route them): the engine generates the stateless categories (contract,
 * negative, boundary) in every format that runs here (vitest, jest, playwright, pytest through python3,
 * Postman through newman); Stoplight Prism serves the spec in dynamic mode with a fixed seed
 * (`prism mock -d --seed 1`) on a free loopback port, behind a small recording proxy; each suite runs against
 * the proxy with its own runner (tests/run/runners.ts, as the run-for-real tests run them), one at a time.
 *
 * A failure is the mock's when a request of the failed test got one of Prism's own error answers
 * (`UNKNOWN`, `NO_COMPLEX_OBJECT_TEXT`: it could not build a response the spec describes); the proxy
 * records those answers by request line, and a failure whose text names such a request, or shows Prism's
 * error type, counts as the mock's. A failure the spec's own facts explain (bench-precision-facts.ts: a
 * required property no schema declares, which Prism never generates, is the mock's; a property whose schema
 * admits no value, a response example its schema rejects, a multipart body that is not an object are the
 * spec's contradictions) counts as the mock's or the spec's, with its reason. Every other failure is the
 * suite's, grouped in classes (the failure's message with values, names and numbers blanked) with one example
 * each. Postman counts requests, the others test functions. Prints per spec and in total; exit code 0
 * whatever the figures (it measures).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { generateInMemory } from '../cli/engine/library.ts';
import { prepareSpec } from '../cli/engine/pipeline.ts';
import type { Category } from '../cli/engine/plan/types.ts';
import { getRenderer } from '../cli/engine/render/registry.ts';
import type { Format } from '../shared/plans.ts';
import { CORPUS_API_DIR, CORPUS_SAMPLE } from '../tests/engine/corpus-sample-list.ts';
import { REPO } from '../tests/render/js/suite-runner.ts';
import { RUNNERS } from '../tests/run/runners.ts';
import { attributeFailure, canonicalJson, type SpecFacts, specFacts } from './bench-precision-facts.ts';

/** The stateless categories: a stateless mock can answer them faithfully. */
const CATEGORIES: Category[] = ['contract', 'negative', 'boundary'];
/** Formats whose suites run here, in the order they run. */
const RUNNABLE: Format[] = ['vitest', 'jest', 'playwright', 'pytest', 'postman'];
/** Prism's answers when it cannot do what the spec asks of it (not a verdict on the request). */
const MOCK_ERRORS = ['UNKNOWN', 'NO_COMPLEX_OBJECT_TEXT'];
const MOCK_ERROR_RE = new RegExp(`stoplight\\.io/prism/errors#(${MOCK_ERRORS.join('|')})\\b`);
const SEED = '1';
/** The named checks of docs/checks.md, kept in failure classes. */
const CHECK_NAME =
  /^(not_a_server_error|status_code_conformance|content_type_conformance|response_schema_conformance|response_headers_conformance|positive_data_acceptance|negative_data_rejection|negative_format_rejection|auth_enforced|use_after_delete|unsupported_method|read_after_write|filter_consistency)$/;

/** One suite's figures. */
export interface SuiteRow {
  spec: string;
  format: Format;
  tests: number;
  /** Failures the suite caused. */
  suite: number;
  /** Failures that are the mock's own errors. */
  mock: number;
  /** Failures the spec's own contradictions cause (no answer or request can satisfy it). */
  contradiction: number;
  /** The suite-caused failures, as the runner reported them (test: the whole message where it gives one). */
  failures: string[];
  /** The failures that are not the suite's, with whose they are and why. */
  explained: Array<{ owner: 'mock' | 'spec'; reason: string; failure: string }>;
  /** Set when the suite could not run at all. */
  error?: string;
}

/** A failure class: the blanked message, how many failures, on how many specs, one example. */
export interface FailureClass {
  key: string;
  count: number;
  specs: string[];
  formats: string[];
  example: string;
}

/** A spec left out, and why. */
export interface SkippedSpec {
  spec: string;
  reason: string;
}

/**
 * The key of a failure class: the case's category (`negative/unsupported` for an undeclared method), the
 * check or message that failed, with quoted values, URLs, paths, identifiers and numbers blanked.
 */
export function failureClass(failure: string): string {
  const text = failure.replace(/&#10;/g, '\n');
  const id = /\b\w+?_(contract|negative|boundary)_(\w+)/.exec(text);
  const kind = id ? (id[2]!.startsWith('unsupported_') ? `${id[1]}/unsupported` : id[1]!) : 'case';
  // pytest: `✗ check: message`; JS: `step N (METHOD /path): message`; Postman: `…: check — case — title`.
  const message =
    /✗ ([^\n]*)/.exec(text)?.[1] ??
    /\bstep \d+ \([A-Z]+ [^)]*\): ([^\n]*)/.exec(text)?.[1] ??
    /: (\w+) — \S+ — /.exec(text)?.[1] ??
    text.split('\n')[0]!;
  const blanked = message
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '…')
    .replace(/\(declared: [^)]*\)/g, '(declared: …)')
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/\/[\w{}.$~%:@!*+,;=-]+(?:\/[\w{}.$~%:@!*+,;=-]*)*/g, '/PATH')
    .replace(/\b(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|TRACE)\b/g, 'METHOD')
    .replace(/(declared by|schema of) \S+/g, '$1 ID')
    // Identifiers (camelCase, snake_case), but not the names of the checks.
    .replace(/\b\w*(?:[a-z][A-Z]|[A-Za-z]_[A-Za-z])\w*\b/g, (word) => (CHECK_NAME.test(word) ? word : 'ID'))
    .replace(/\b\d+(?:\.\d+)?\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
  return `${kind}: ${blanked}`.slice(0, 160);
}

/** A loopback port nobody listens on. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Request lines (`GET /a?b=1`) that got one of the mock's own error answers, or an invalid example. */
interface Recorder {
  mockErrors: Set<string>;
  /** Request lines answered with a response example of the spec that its schema rejects. */
  invalidExamples: Set<string>;
  requests: number;
}

/** The canonical JSON text of a body, or `undefined` when it is not JSON. */
function canonicalBody(body: Buffer): string | undefined {
  try {
    return canonicalJson(JSON.parse(body.toString('utf8')));
  } catch {
    return undefined;
  }
}

/**
 * A proxy in front of the mock that passes everything through and records the mock's own errors, and the
 * answers that are one of `invalidExamples` (canonical JSON texts).
 */
function startProxy(
  target: number,
  invalidExamples: ReadonlySet<string>,
): Promise<{ server: Server; port: number; recorder: Recorder }> {
  const recorder: Recorder = { mockErrors: new Set(), invalidExamples: new Set(), requests: 0 };
  const server = createServer((req, res) => {
    recorder.requests += 1;
    const upstream = httpRequest(
      { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          if (MOCK_ERROR_RE.test(body.toString('utf8', 0, Math.min(body.length, 2000)))) {
            recorder.mockErrors.add(`${req.method} ${req.url}`);
          }
          if (invalidExamples.size > 0 && body.length < 1_000_000) {
            const text = canonicalBody(body);
            if (text !== undefined && invalidExamples.has(text))
              recorder.invalidExamples.add(`${req.method} ${req.url}`);
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(body);
        });
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`bench proxy: ${error.message}`);
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ server, port: (server.address() as AddressInfo).port, recorder });
    });
  });
}

/** Starts `prism mock -d` for `spec` on `port`; resolves once it listens. */
async function startPrism(spec: string, port: number): Promise<ChildProcess> {
  const bin = join(REPO, 'node_modules/.bin/prism');
  const child = spawn(
    bin,
    ['mock', '-d', '--seed', SEED, '-h', '127.0.0.1', '-p', String(port), '--errors', 'false', spec],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: false },
  );
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (/Prism is listening/.test(output)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited (${code}):\n${output.slice(-2000)}`)));
  });
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`prism did not start in 120 s:\n${output.slice(-2000)}`)), 120_000),
  );
  try {
    await Promise.race([started, timeout]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  // Keep draining its log (a full pipe would stall it).
  child.stdout?.removeAllListeners('data');
  child.stderr?.removeAllListeners('data');
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/**
 * Whether a failure is the mock's own error: its text shows Prism's error type, or names a request (its URL,
 * or its method and path template, as Postman's test names do) that got one of the mock's error answers.
 */
export function isMockFailure(failure: string, mockErrors: ReadonlySet<string>): boolean {
  return MOCK_ERROR_RE.test(failure) || namesRequest(failure, mockErrors);
}

/**
 * Whether a failure names one of `lines` (request lines, `GET /a?b=1`): by its URL, or by its method and path
 * template, as Postman's test names do.
 */
export function namesRequest(failure: string, lines: ReadonlySet<string>): boolean {
  if (lines.size === 0) return false;
  const templates = [...failure.matchAll(/\b([A-Z]{3,7}) (\/[^\s:,)]*)/g)].map(([, method, path]) => ({
    method,
    pattern: new RegExp(
      `^${path!.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}/]*\\?\}|\{[^}/]*\}/g, '[^/?]+')}(?:\\?.*)?$`,
    ),
  }));
  for (const line of lines) {
    const space = line.indexOf(' ');
    const [method, url] = [line.slice(0, space), line.slice(space + 1)];
    if (failure.includes(`${method} `) && failure.includes(url)) return true;
    if (templates.some((t) => t.method === method && t.pattern.test(url))) return true;
  }
  return false;
}

/** Credentials for every scheme of the plan: the mock checks they are present, not what they are. */
function credentialEnv(plan: {
  securitySchemes: Record<string, { env: Record<string, string | undefined> }>;
}) {
  const env: Record<string, string> = {};
  for (const scheme of Object.values(plan.securitySchemes)) {
    for (const name of Object.values(scheme.env)) if (name) env[name] = 'bench-precision-credential';
  }
  return env;
}

/** Whether a spec's path keys carry a `#` (Prism cannot route them). */
function hasHashPaths(file: string): boolean {
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, unknown> };
  return Object.keys(spec.paths ?? {}).some((key) => key.includes('#'));
}

async function benchSpec(file: string, formats: Format[], log: (line: string) => void): Promise<SuiteRow[]> {
  const spec = relative(CORPUS_API_DIR, file);
  const { result, outputs } = await generateInMemory(file, { formats, categories: CATEGORIES });
  const facts = specFacts((await prepareSpec(file)).ir, result.plan);
  const port = await freePort();
  const prism = await startPrism(file, port);
  const proxy = await startProxy(port, facts.invalidExamples);
  const rows: SuiteRow[] = [];
  try {
    const env = { BASE_URL: `http://127.0.0.1:${proxy.port}`, ...credentialEnv(result.plan) };
    for (const format of formats) {
      const output = outputs.find((o) => o.format === format);
      const kind = getRenderer(format).runner;
      if (!output || !kind) continue;
      const runner = RUNNERS[kind];
      const runId = `precision-${basename(spec, '.json').replace(/[^\w-]/g, '_')}-${spec.split('/').length}`;
      proxy.recorder.mockErrors.clear();
      proxy.recorder.invalidExamples.clear();
      const started = performance.now();
      try {
        // The output's paths start with the format's folder; a runner wants the suite's own.
        const files = output.files.map((f) => ({ ...f, path: f.path.slice(f.path.indexOf('/') + 1) }));
        const report = await runner.run({ files, env, runId, bail: false });
        // The whole message where the runner gives it: the failed check and the request it names.
        const failures = report.failures.map((line, i) => report.details?.[i] ?? line);
        const { suite, explained } = sortFailures(failures, facts, proxy.recorder);
        const mock = explained.filter((e) => e.owner === 'mock').length;
        // A run that failed outside its tests (a file that does not load) counts once, as the suite's.
        const extra = Math.max(0, report.failed - failures.length);
        rows.push({
          spec,
          format,
          tests: report.executed,
          suite: suite.length + extra,
          mock,
          contradiction: explained.length - mock,
          failures: extra > 0 ? [...suite, `(run) ${report.output.split('\n').slice(-5).join(' ')}`] : suite,
          explained,
        });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        const empty = { tests: 0, suite: 0, mock: 0, contradiction: 0, failures: [], explained: [] };
        rows.push({ spec, format, ...empty, error: message.slice(0, 500) });
      }
      const row = rows.at(-1)!;
      log(
        `  ${format.padEnd(10)} ${String(row.tests).padStart(5)} tests ${String(row.suite).padStart(4)} suite ${String(row.mock).padStart(4)} mock ${String(row.contradiction).padStart(4)} spec ${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s${row.error ? `  ERROR ${row.error.split('\n')[0]}` : ''}`,
      );
    }
  } finally {
    proxy.server.close();
    await stop(prism);
  }
  return rows;
}

/**
 * Splits failures into the suite's and those that are not: the mock's own error answers, then what the
 * spec's facts explain (see bench-precision-facts.ts).
 */
export function sortFailures(
  failures: readonly string[],
  facts: SpecFacts,
  recorder: Pick<Recorder, 'mockErrors' | 'invalidExamples'>,
): { suite: string[]; explained: SuiteRow['explained'] } {
  const suite: string[] = [];
  const explained: SuiteRow['explained'] = [];
  for (const failure of failures) {
    if (isMockFailure(failure, recorder.mockErrors)) {
      explained.push({
        owner: 'mock',
        reason: "the mock's own error answer (UNKNOWN, NO_COMPLEX_OBJECT_TEXT)",
        failure,
      });
      continue;
    }
    const why = attributeFailure(failure, facts, (text) => showsRequest(text, recorder.invalidExamples));
    if (why) explained.push({ ...why, failure });
    else suite.push(failure);
  }
  return { suite, explained };
}

/** Groups suite-caused failures into classes, most frequent first. */
export function classify(rows: SuiteRow[]): FailureClass[] {
  const classes = new Map<string, FailureClass>();
  for (const row of rows) {
    for (const failure of row.failures) {
      const key = failureClass(failure);
      let entry = classes.get(key);
      if (!entry) {
        entry = { key, count: 0, specs: [], formats: [], example: `${row.spec} (${row.format}): ${failure}` };
        classes.set(key, entry);
      }
      entry.count += 1;
      if (!entry.specs.includes(row.spec)) entry.specs.push(row.spec);
      if (!entry.formats.includes(row.format)) entry.formats.push(row.format);
    }
  }
  return [...classes.values()].sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

/**
 * Whether a failure shows one of `lines` (`GET /a?b=1`) as its request: the method, then the URL with exactly
 * that path and query (the failure texts of every runner print `request:  METHOD URL`).
 */
export function showsRequest(failure: string, lines: ReadonlySet<string>): boolean {
  for (const line of lines) {
    const space = line.indexOf(' ');
    const [method, url] = [line.slice(0, space), line.slice(space + 1)];
    const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`\\b${method} (?:https?://[^/\\s]+)?${escaped}(?=\\s|&#10;|$)`).test(failure)) return true;
  }
  return false;
}

/** The failures that are not the suite's, grouped by owner and reason, most frequent first. */
export function explainedReasons(
  rows: readonly SuiteRow[],
): Array<{ owner: string; reason: string; count: number; specs: string[]; example: string }> {
  const groups = new Map<
    string,
    { owner: string; reason: string; count: number; specs: string[]; example: string }
  >();
  for (const row of rows) {
    for (const e of row.explained) {
      const key = `${e.owner}: ${e.reason}`;
      let group = groups.get(key);
      if (!group) {
        group = {
          owner: e.owner,
          reason: e.reason,
          count: 0,
          specs: [],
          example: `${row.spec} (${row.format}): ${e.failure}`,
        };
        groups.set(key, group);
      }
      group.count += 1;
      if (!group.specs.includes(row.spec)) group.specs.push(row.spec);
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      filter: { type: 'string' },
      limit: { type: 'string' },
      formats: { type: 'string' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      'max-kb': { type: 'string' },
    },
  });
  const formats = (values.formats?.split(',') ?? RUNNABLE) as Format[];
  for (const format of formats) {
    if (!RUNNABLE.includes(format))
      throw new Error(`--formats: ${format} does not run here (${RUNNABLE.join(', ')})`);
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  let specs = CORPUS_SAMPLE.filter((spec) => !values.filter || spec.includes(values.filter));
  if (values['max-kb']) {
    const max = Number(values['max-kb']) * 1024;
    specs = specs.filter((spec) => statSync(join(CORPUS_API_DIR, spec)).size <= max);
  }
  if (values.limit) specs = specs.slice(0, Number(values.limit));
  const skipped: SkippedSpec[] = [];
  const rows: SuiteRow[] = [];
  for (const spec of specs) {
    const file = join(CORPUS_API_DIR, spec);
    if (hasHashPaths(file)) {
      skipped.push({ spec, reason: 'path keys carry a #' });
      continue;
    }
    log(spec);
    try {
      rows.push(...(await benchSpec(file, formats, log)));
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      skipped.push({ spec, reason: message });
      log(`  skipped: ${message}`);
    }
    // What is measured so far survives an interrupted run.
    if (values.out) writeFileSync(values.out, `${JSON.stringify({ formats, rows, skipped }, null, 2)}\n`);
  }
  const classes = classify(rows);
  const total = {
    tests: rows.reduce((sum, row) => sum + row.tests, 0),
    suite: rows.reduce((sum, row) => sum + row.suite, 0),
    mock: rows.reduce((sum, row) => sum + row.mock, 0),
    contradiction: rows.reduce((sum, row) => sum + row.contradiction, 0),
    errors: rows.filter((row) => row.error).length,
  };
  const reasons = explainedReasons(rows);
  const report = { formats, categories: CATEGORIES, seed: SEED, total, rows, classes, reasons, skipped };
  if (values.out) writeFileSync(values.out, `${JSON.stringify(report, null, 2)}\n`);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const out: string[] = [];
  const bySpec = new Map<string, SuiteRow[]>();
  for (const row of rows) bySpec.set(row.spec, [...(bySpec.get(row.spec) ?? []), row]);
  const columns = (n: number[]): string => n.map((v) => String(v).padStart(6)).join(' ');
  out.push(
    '',
    `${'spec'.padEnd(58)} ${['tests', 'suite', 'mock', 'spec'].map((h) => h.padStart(6)).join(' ')}`,
  );
  for (const [spec, specRows] of bySpec) {
    const sum = (key: 'tests' | 'suite' | 'mock' | 'contradiction'): number =>
      specRows.reduce((s, r) => s + r[key], 0);
    const errors = specRows.filter((r) => r.error).map((r) => r.format);
    out.push(
      `${spec.padEnd(58)} ${columns([sum('tests'), sum('suite'), sum('mock'), sum('contradiction')])}${errors.length > 0 ? `  (did not run: ${errors.join(', ')})` : ''}`,
    );
  }
  const pct = total.tests === 0 ? 0 : (100 * total.suite) / total.tests;
  out.push(
    `${'total'.padEnd(58)} ${columns([total.tests, total.suite, total.mock, total.contradiction])}`,
    '',
    `suite-caused failures: ${total.suite} of ${total.tests} tests (${pct.toFixed(2)} %); the mock's: ${total.mock}; the spec's contradictions: ${total.contradiction}`,
  );
  if (skipped.length > 0) out.push('', 'left out:', ...skipped.map((s) => `  ${s.spec}: ${s.reason}`));
  if (reasons.length > 0) {
    out.push('', "failures that are not the suite's, by reason, one example each:");
    for (const r of reasons) {
      out.push(
        `  ${String(r.count).padStart(5)} × ${r.owner}: ${r.reason}`,
        `        on ${r.specs.length} spec(s): ${r.specs.join(', ')}; e.g. ${r.example.replace(/\s*(?:\n|&#10;)\s*/g, ' ⏎ ').slice(0, 300)}`,
      );
    }
  }
  if (classes.length > 0) {
    out.push('', 'failure classes (suite-caused), one example each:');
    for (const c of classes) {
      out.push(
        `  ${String(c.count).padStart(5)} × ${c.key}`,
        `        on ${c.specs.length} spec(s), ${c.formats.join(', ')}; e.g. ${c.example.replace(/\s*(?:\n|&#10;)\s*/g, ' ⏎ ').slice(0, 400)}`,
      );
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv[1] && import.meta.url.endsWith(basename(process.argv[1]))) {
  rmSync(join(REPO, 'tests/.tmp/run'), { recursive: true, force: true });
  await main();
}
