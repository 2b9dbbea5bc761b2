import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { threadId } from 'node:worker_threads';
import { wrapped } from './failure.ts';
import { api, operations } from './schemas.ts';
import { callHook } from './specmint.runtime.ts';
import { CHECK_NAMES, reportsEnabled, selectedChecks, statusMatches } from './values.ts';

/** What one step did, as each test worker writes it for the end-of-run summary (one JSON line). */
export interface StepEvent {
  case: string;
  operation: string;
  check: string;
  /** Undefined when no response came. */
  status?: number;
  ran: string[];
  failures: Array<{ check: string; key: string }>;
  /** Lenient statuses: [key, text], reported once per key. */
  warnings: Array<[string, string]>;
  /** The variables a step with valid credentials read. */
  credentials: string[];
  missing: string[];
}

const RUN_DIR = 'SPECMINT_RUN_DIR';

/** Appends a step's event to this worker's file, when a run started (the suite's global setup). */
export function recordStep(event: StepEvent): void {
  const dir = process.env[RUN_DIR];
  if (!dir) return;
  appendFileSync(join(dir, `events-${process.pid}-${threadId}.jsonl`), `${JSON.stringify(event)}\n`);
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function counter(): Map<string, number> {
  return new Map();
}

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** The coverage report's shape (docs/checks.md). */
export interface Coverage {
  specmint: 1;
  format: string;
  api: { title: string; version: string };
  operations: Array<{
    id: string;
    method: string;
    path: string;
    requests: number;
    declared: string[];
    seen: Record<string, number>;
    notSeen: string[];
  }>;
  checks: Array<{ name: string; run: number; failed: number }>;
  failures: Array<{ operation: string; check: string; message: string; tests: number }>;
  warnings: string[];
}

/** What a run did, from its step events (see {@link createRecord}). */
export interface RunRecord {
  add(event: StepEvent): void;
  /** The statuses an operation declares that no response had. */
  notSeen(id: string): string[];
  /** Schemathesis-style advice: credentials, ids, constraints, and statuses the spec leaves open. */
  warnings(): string[];
  /** reports/coverage.json (docs/checks.md gives the shape). */
  coverage(): Coverage;
  /** The summary printed at the end of every run. */
  summaryLines(): string[];
}

/**
 * The record of a run: requests and statuses per operation, checks run and failed, failures grouped by
 * operation and check, and warnings. Feeds the end-of-run summary and reports/coverage.json.
 */
export function createRecord(format: string, checks: Set<string>): RunRecord {
  const requests = counter();
  const seenBy = new Map<string, Map<string, number>>();
  const authRejected = counter();
  const notFound = counter();
  const rejectedValid = counter();
  const credentialVars = new Map<string, Set<string>>();
  const missing = new Set<string>();
  const checksRun = counter();
  const checksFailed = counter();
  // `operation\tcheck\tmessage` → the ids of the tests it failed in.
  const failures = new Map<string, Set<string>>();
  // Lenient statuses, once each.
  const lenient = new Map<string, string>();

  function add(event: StepEvent): void {
    const operation = event.operation;
    for (const name of event.ran) bump(checksRun, name);
    for (const name of new Set(event.failures.map((f) => f.check))) {
      if (event.ran.includes(name)) bump(checksFailed, name);
    }
    for (const name of event.missing) missing.add(name);
    for (const failure of event.failures) {
      const key = `${operation}\t${failure.check}\t${failure.key.replace(/\/\d+(?=\/| |$)/g, '/*')}`;
      let tests = failures.get(key);
      if (!tests) {
        tests = new Set();
        failures.set(key, tests);
      }
      tests.add(event.case);
    }
    for (const [key, text] of event.warnings) if (!lenient.has(key)) lenient.set(key, text);
    if (event.credentials.length > 0) {
      let names = credentialVars.get(operation);
      if (!names) {
        names = new Set();
        credentialVars.set(operation, names);
      }
      for (const name of event.credentials) names.add(name);
    }
    if (event.status === undefined || !Object.hasOwn(operations, operation)) return;
    if (event.check === 'unsupported_method') return;
    const status = event.status;
    bump(requests, operation);
    let seen = seenBy.get(operation);
    if (!seen) {
      seen = counter();
      seenBy.set(operation, seen);
    }
    bump(seen, String(status));
    if (status === 401 || status === 403) bump(authRejected, operation);
    if (status === 404) bump(notFound, operation);
    if (
      event.check === 'positive_data_acceptance' &&
      status >= 400 &&
      status < 500 &&
      ![401, 403, 404, 409, 429].includes(status)
    ) {
      bump(rejectedValid, operation);
    }
  }

  function notSeen(id: string): string[] {
    const seen = [...(seenBy.get(id)?.keys() ?? [])].map(Number);
    const declared = (operations[id]?.responses ?? []).map((response) => response.status);
    return declared.filter((status) => {
      if (status === 'default') {
        const covered = seen.filter((s) => declared.some((d) => d !== 'default' && statusMatches(d, s)));
        return covered.length >= seen.length;
      }
      return !seen.some((s) => statusMatches(status, s));
    });
  }

  function warnings(): string[] {
    const out: string[] = [];
    for (const [id, operation] of Object.entries(operations)) {
      const sent = requests.get(id) ?? 0;
      if (sent === 0) continue;
      const where = `${operation.method} ${operation.path}`;
      if ((authRejected.get(id) ?? 0) * 2 > sent) {
        const names = [...(credentialVars.get(id) ?? [])].sort();
        const unset = names.filter((name) => missing.has(name));
        let advice = names.length > 0 ? `set ${names.join(', ')}` : 'check the credentials the API expects';
        if (unset.length > 0) advice += ` (${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set)`;
        out.push(`most requests to ${where} answered 401/403: ${advice}`);
      }
      const parameters = [...operation.path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
      if (parameters.length > 0 && (notFound.get(id) ?? 0) * 2 > sent) {
        const ids = parameters.map((name) => `--path-param ${name}=<id>`).join(' ');
        out.push(`most requests to ${where} answered 404: give real ids with ${ids}`);
      }
      const rejected = rejectedValid.get(id) ?? 0;
      if (rejected > 0) {
        out.push(
          `the server rejected ${plural(rejected, 'valid input')} to ${where} with 4xx:` +
            " the spec's constraints may differ from the server's",
        );
      }
    }
    out.push(...lenient.values());
    return out;
  }

  function coverage(): Coverage {
    return {
      specmint: 1,
      format,
      api: { title: api.title, version: api.version },
      operations: Object.entries(operations).map(([id, operation]) => {
        const seen = seenBy.get(id) ?? counter();
        return {
          id,
          method: operation.method,
          path: operation.path,
          requests: requests.get(id) ?? 0,
          declared: operation.responses.map((response) => response.status),
          seen: Object.fromEntries([...seen.entries()].sort(([a], [b]) => (a < b ? -1 : 1))),
          notSeen: notSeen(id),
        };
      }),
      checks: CHECK_NAMES.filter((name) => checks.has(name)).map((name) => ({
        name,
        run: checksRun.get(name) ?? 0,
        failed: checksFailed.get(name) ?? 0,
      })),
      failures: [...failures.entries()].map(([key, tests]) => {
        const [operation = '', check = '', message = ''] = key.split('\t');
        return { operation, check, message, tests: tests.size };
      }),
      warnings: warnings(),
    };
  }

  function summaryLines(): string[] {
    const report = coverage();
    const called = report.operations.filter((op) => op.requests > 0);
    const total = report.operations.reduce((sum, op) => sum + op.requests, 0);
    const lines = [
      `operations: ${called.length} of ${report.operations.length} called, ${plural(total, 'request')}`,
    ];
    const uncalled = report.operations.filter((op) => op.requests === 0).map((op) => op.id);
    if (uncalled.length > 0) lines.push(`  not called: ${uncalled.join(', ')}`);
    const unseen = called
      .filter((op) => op.notSeen.length > 0)
      .map((op) => `${op.id} ${op.notSeen.join(' ')}`);
    if (unseen.length > 0) lines.push(`  declared statuses not seen: ${unseen.join('; ')}`);
    const ran = report.checks.map(
      (check, index) =>
        `${check.name} ${check.run}${check.failed > 0 ? ` (${check.failed} failed)` : ''}${
          index < report.checks.length - 1 ? ',' : ''
        }`,
    );
    if (ran.length > 0) lines.push(...wrapped(['checks run:', ...ran], '\n  ').split('\n'));
    const skipped = CHECK_NAMES.filter((name) => !checks.has(name));
    if (skipped.length > 0) {
      lines.push(`  not run (SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS): ${skipped.join(', ')}`);
    }
    if (report.failures.length > 0) {
      lines.push('failures by operation and check:');
      for (const failure of report.failures) {
        lines.push(
          `  ${failure.operation} · ${failure.check}: ${failure.message} — ${plural(failure.tests, 'test')}`,
        );
      }
    }
    if (report.warnings.length > 0) lines.push('warnings:', ...report.warnings.map((w) => `  ${w}`));
    return lines;
  }

  return { add, notSeen, warnings, coverage, summaryLines };
}

// --- the run (the suite's global setup and teardown call these) ---------------------------------------------

/**
 * Starts a run of the suite in `root`: checks SPECMINT_CHECKS and SPECMINT_EXCLUDE_CHECKS (an unknown name
 * stops the run, listing the known ones), makes the folder the test workers record their steps in (its path
 * reaches them in SPECMINT_RUN_DIR), and calls the beforeRun hook.
 */
export async function startRun(root: string, format: string): Promise<void> {
  selectedChecks(process.env);
  const dir = mkdtempSync(join(tmpdir(), 'specmint-run-'));
  process.env[RUN_DIR] = dir;
  process.env.SPECMINT_ROOT = root;
  process.env.SPECMINT_FORMAT = format;
  await callHook('beforeRun', []);
}

/**
 * Ends the run: calls the afterRun hook, prints the summary (coverage, failures by operation and check,
 * warnings) and, when reports are on, writes reports/coverage.json beside the format's reports/junit.xml.
 */
export async function finishRun(): Promise<void> {
  const dir = process.env[RUN_DIR];
  const root = process.env.SPECMINT_ROOT ?? process.cwd();
  const record = createRecord(process.env.SPECMINT_FORMAT ?? 'vitest', selectedChecks(process.env));
  if (dir) {
    for (const name of readdirSync(dir).sort()) {
      for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
        if (line.trim() !== '') record.add(JSON.parse(line) as StepEvent);
      }
    }
    rmSync(dir, { recursive: true, force: true });
    delete process.env[RUN_DIR];
  }
  let hookError: unknown;
  try {
    await callHook('afterRun', []);
  } catch (error) {
    hookError = error;
  }
  const lines = ['', '==================== SpecMint summary ====================', ...record.summaryLines()];
  if (reportsEnabled(process.env)) {
    const folder = join(root, 'reports');
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'coverage.json');
    writeFileSync(file, `${JSON.stringify(record.coverage(), null, 2)}\n`);
    lines.push(
      `reports: ${relative(process.cwd(), join(folder, 'junit.xml'))}, ${relative(process.cwd(), file)}`,
    );
  }
  console.log(lines.join('\n'));
  if (hookError !== undefined) throw hookError;
}
