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
import { api, operations } from './schemas.ts';
import type { Incoming, Outgoing } from './specmint.runtime.ts';
import { callHook, INVALID_PASSWORD, INVALID_USERNAME } from './specmint.runtime.ts';
import { CHECK_NAMES, cut, reportsEnabled, selectedChecks, statusMatches } from './values.ts';

/** A credential in a request: shown as *** in a failure, and as $ENV (or -u for basic) in its curl line. */
export interface Secret {
  text: string;
  /** `$BEARER_AUTH`, or `basic:USER_ENV:PASSWORD_ENV` for a basic token. */
  shell: string;
}

/** One failed check of a step: its name, the message, and the message without values for the summary. */
export interface Failure {
  check: string;
  message: string;
  summary?: string;
}

/** What the failure text of a step needs besides the request and response. */
export interface FailureContext {
  caseId: string;
  title: string;
  /** The step's number (from 1) and how many the case has. */
  step: number;
  steps: number;
  operation: string;
  /** The requests before this one: 'POST http://…/pets → 201'. */
  history: string[];
  secrets: Secret[];
  /** Credential variables the step needed that are not set. */
  missing: string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `text` with every credential (and its URL-encoded form) replaced by ***. */
export function redact(text: string, secrets: readonly Secret[]): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of new Set([secret.text, encodeURIComponent(secret.text)])) {
      if (form) out = out.replace(new RegExp(escapeRegExp(form), 'g'), '***');
    }
  }
  return out;
}

function isInvalidBasic(token: string): boolean {
  return Buffer.from(token, 'base64').toString('utf8') === `${INVALID_USERNAME}:${INVALID_PASSWORD}`;
}

/** A request header as a failure shows it: credentials as ***, deliberately invalid ones as sent. */
export function shownHeader(name: string, value: string, secrets: readonly Secret[]): string {
  const shown = redact(value, secrets);
  if (shown !== value || !['authorization', 'proxy-authorization'].includes(name.toLowerCase())) return shown;
  // Not one of the suite's credentials: its own invalid ones are shown as sent, any other (a hook's) keeps only
  // its scheme word.
  const space = value.indexOf(' ');
  const scheme = space < 0 ? value : value.slice(0, space);
  const token = space < 0 ? '' : value.slice(space + 1);
  if (value.includes('invalid-specmint-') || (scheme.toLowerCase() === 'basic' && isInvalidBasic(token))) {
    return value;
  }
  return token ? `${scheme} ***` : '***';
}

type ShellPart = ['text' | 'var', string];

/** One shell word from literal and $VAR parts: single quotes when there is no variable, else double. */
function shellWord(parts: readonly ShellPart[]): string {
  if (parts.every(([kind]) => kind === 'text')) {
    return `'${parts
      .map(([, text]) => text)
      .join('')
      .replace(/'/g, "'\\''")}'`;
  }
  const out = parts.map(([kind, text], index) => {
    if (kind === 'text') return text.replace(/([\\"$`])/g, '\\$1');
    const following = parts[index + 1]?.[1].charAt(0) ?? '';
    return /\w/.test(following) ? `\${${text}}` : `$${text}`;
  });
  return `"${out.join('')}"`;
}

/** `text` split into literal parts and $VAR parts where a credential stood. */
function withVars(text: string, secrets: readonly Secret[]): ShellPart[] {
  let parts: ShellPart[] = [['text', text]];
  for (const secret of secrets) {
    if (!secret.shell.startsWith('$')) continue;
    const split: ShellPart[] = [];
    for (const part of parts) {
      const form =
        part[0] === 'text'
          ? [secret.text, encodeURIComponent(secret.text)].find((f) => f && part[1].includes(f))
          : undefined;
      if (form === undefined) {
        split.push(part);
        continue;
      }
      part[1].split(form).forEach((piece, index) => {
        if (index > 0) split.push(['var', secret.shell.slice(1)]);
        split.push(['text', piece]);
      });
    }
    parts = split.filter(([kind, value]) => kind !== 'text' || value !== '');
  }
  return parts.length > 0 ? parts : [['text', '']];
}

/** Words joined by spaces, a new line (after `separator`) before one that would pass `width`. */
function wrapped(words: readonly string[], separator: string, width = 100): string {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines.join(separator);
}

/** The body a failure shows for a request: its text, or its multipart fields. */
function requestBodyText(request: Outgoing): string | undefined {
  const body = request.body;
  if (!body) return undefined;
  if (body.kind === 'multipart') {
    return `multipart fields: ${body.fields.map(([name, value]) => `${name}=${value}`).join(', ')}`;
  }
  return body.text;
}

/** A curl command that sends the same request, each credential as the variable that holds it. */
export function curlCommand(request: Outgoing, secrets: readonly Secret[]): string {
  const method = request.method === 'HEAD' ? '--head' : `-X ${request.method}`;
  const words = [`curl ${method} ${shellWord(withVars(request.url, secrets))}`];
  const basic = new Map(secrets.filter((s) => s.shell.startsWith('basic:')).map((s) => [s.text, s.shell]));
  for (const [name, value] of Object.entries(request.headers)) {
    const token = value.slice(value.indexOf(' ') + 1);
    const shell = basic.get(token);
    if (name.toLowerCase() === 'authorization' && /^basic /i.test(value) && shell) {
      const [, user = '', password = ''] = shell.split(':');
      words.push(
        `-u ${shellWord([
          ['var', user],
          ['text', ':'],
          ['var', password],
        ])}`,
      );
      continue;
    }
    if (request.body?.kind === 'multipart' && name.toLowerCase() === 'content-type') continue;
    let parts = withVars(`${name}: ${value}`, secrets);
    if (parts.every(([kind]) => kind === 'text'))
      parts = [['text', `${name}: ${shownHeader(name, value, secrets)}`]];
    words.push(`-H ${shellWord(parts)}`);
  }
  if (request.body?.kind === 'multipart') {
    for (const [name, value] of request.body.fields)
      words.push(`-F ${shellWord([['text', `${name}=${value}`]])}`);
  } else if (request.body) {
    words.push(`--data-raw ${shellWord(withVars(request.body.text, secrets))}`);
  }
  return wrapped(words, ' \\\n      ');
}

function indented(text: string, prefix: string): string {
  return text.split(/\r?\n/).join(`\n${prefix}`);
}

/** The text of a failed step, in the shape of docs/checks.md ("A failure"). */
export function failureText(
  context: FailureContext,
  request: Outgoing,
  response: Incoming | undefined,
  failures: readonly Failure[],
): string {
  const pad = ' '.repeat(12);
  const { secrets } = context;
  const lines = [`${context.caseId} — ${context.title}`];
  const steps = Math.max(context.step, context.steps);
  if (steps > 1) {
    const after = context.history.length > 0 ? `, after ${context.history.join('; ')}` : '';
    lines.push(`  at step ${context.step} of ${steps} (${context.operation})${after}`);
  }
  const known: readonly string[] = CHECK_NAMES;
  for (const failure of failures) {
    const label = known.includes(failure.check) ? failure.check : failure.check.replace(/_/g, ' ');
    lines.push(`  ✗ ${label}: ${indented(failure.message, '    ')}`);
  }
  if (context.missing.length > 0) {
    const names = [...new Set(context.missing)];
    lines.push(
      `  note: ${names.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set, so the request went without ${
        names.length === 1 ? 'that credential' : 'those credentials'
      }`,
    );
  }
  lines.push(`  request:  ${request.method} ${redact(request.url, secrets)}`);
  for (const [name, value] of Object.entries(request.headers)) {
    lines.push(`${pad}${name}: ${shownHeader(name, value, secrets)}`);
  }
  const body = requestBodyText(request);
  if (body !== undefined) lines.push(pad + indented(cut(redact(body, secrets)), pad));
  if (response) {
    lines.push(`  response: ${response.status} ${response.contentType || '(no Content-Type)'}`.trimEnd());
    if (request.method === 'HEAD' || [204, 205, 304].includes(response.status)) {
      lines.push(`${pad}(no content)`);
    } else {
      const text = redact(response.text, secrets);
      lines.push(pad + indented(text ? cut(text) : '(empty body)', pad));
    }
  }
  lines.push('  reproduce:', `    ${curlCommand(request, secrets)}`);
  return lines.join('\n');
}

// --- the run's record --------------------------------------------------------------------------------------

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
