import type { Incoming, Outgoing } from './specmint.runtime.ts';
import { INVALID_PASSWORD, INVALID_USERNAME } from './specmint.runtime.ts';
import { CHECK_NAMES, cut } from './values.ts';

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
export function wrapped(words: readonly string[], separator: string, width = 100): string {
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
