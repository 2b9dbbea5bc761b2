import { setFlagsFromString } from 'node:v8';
import type { AnySchema, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Failure } from './failure.ts';
import { components, operations } from './schemas.ts';
import type { Incoming, OperationSpec, ResponseSpec, StepSpec } from './specmint.runtime.ts';
import type { Vars } from './values.ts';
import {
  coerceHeader,
  differences,
  expectedText,
  holds,
  isJson,
  jsonText,
  mediaMatches,
  mediaTypeOf,
  pointerGet,
  sameValue,
  statusMatches,
  substitute,
} from './values.ts';

/** What Ajv needs of a compiled 'pattern': a test, and a text to share compiled patterns by. */
export interface PatternTest {
  test(value: string): boolean;
  toString(): string;
}

/**
 * Compiles a schema's 'pattern' with Ajv's 'u' flag or, for patterns only valid without it (common in real
 * specs, e.g. '[\-\.\_0-9A-Za-z]'), without it, as SpecMint read them when it generated the test data.
 * A pattern that means the same without the flag is tested without it on values with no surrogates: V8
 * can then finish a runaway match (a nested quantifier such as '([\w.-]*)*$' against a long value it does
 * not match) in linear time, so a wrong response fails its test instead of hanging the run.
 */
export function patternRegExp(pattern: string, flags: string): PatternTest {
  const plainFlags = flags.replace('u', '');
  let unicode: RegExp;
  try {
    unicode = new RegExp(pattern, flags);
  } catch {
    return new RegExp(pattern, plainFlags);
  }
  // '\u{41}', '\p{L}' and astral characters mean something else without the flag.
  if (plainFlags === flags || /\\[pP]|\\u\{|\\u[dD][89a-fA-F]|[\ud800-\udfff]/.test(pattern)) return unicode;
  const plain = new RegExp(pattern, plainFlags);
  return {
    test: (value: string) => (/[\ud800-\udfff]/.test(value) ? unicode : plain).test(value),
    // Ajv shares compiled patterns by this text.
    toString: () => String(unicode),
  };
}
patternRegExp.code = 'patternRegExp';

// A match past 50,000 backtracks is finished by V8's linear-time engine (same answer; patterns with
// backreferences or lookarounds, and 'u'-flag ones, keep the backtracking engine).
setFlagsFromString('--enable-experimental-regexp-engine-on-excessive-backtracks');

// multipleOfPrecision: 0.3 is a multiple of 0.1 (whose quotient is 2.9999999999999996 in floating point), and so
// is 1e38 (whose quotient parseInt, Ajv's test without it, reads as 1); the pytest and k6 runtimes use the same
// tolerance.
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  logger: false,
  multipleOfPrecision: 9,
  code: { regExp: patternRegExp },
});
addFormats(ajv);
// byte: RFC 4648 base64 in either of its alphabets (section 4, or section 5's URL-safe one, which Google's APIs
// declare as byte too), padded as the RFC requires; one alphabet per value. ajv-formats knows only the first.
ajv.addFormat(
  'byte',
  /^(?:(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?|(?:[A-Za-z0-9_-]{4})*(?:[A-Za-z0-9_-]{2}==|[A-Za-z0-9_-]{3}=)?)$/,
);
ajv.addSchema(components);
const validators = new Map<unknown, ValidateFunction>();

/** The response an operation declares for a status: exact, else its class ('2XX'), else 'default'. */
export function declaredResponse(operation: OperationSpec, status: number): ResponseSpec | undefined {
  const exact = operation.responses.find((r) => r.status === String(status));
  const range = operation.responses.find(
    (r) => /^[1-5]XX$/i.test(r.status) && statusMatches(r.status, status),
  );
  return exact ?? range ?? operation.responses.find((r) => r.status === 'default');
}

function validatorFor(schema: AnySchema): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

/** Ajv's errors as '<where><pointer> <what the schema asks for>', each once. */
function schemaErrors(validate: ValidateFunction, where: string): string[] {
  return [...new Set((validate.errors ?? []).map((error) => ajv.errorsText([error], { dataVar: where })))];
}

/** The schema a '#/components/schemas/X' reference (as the contract writes it) points at. */
function resolveSchema(schema: unknown): unknown {
  let current = schema;
  for (let depth = 0; depth < 10; depth += 1) {
    const ref =
      current !== null && typeof current === 'object' ? (current as { $ref?: unknown }).$ref : undefined;
    const at = typeof ref === 'string' ? ref.indexOf('#/components/schemas/') : -1;
    if (typeof ref !== 'string' || at < 0) return current;
    const name = decodeURIComponent(ref.slice(at + '#/components/schemas/'.length));
    const named = (components.components.schemas as Record<string, unknown>)[name];
    current = named ?? {};
  }
  return current;
}

/** A JSON pointer with array indexes as '*', so equal findings at different items read the same. */
function anyIndex(text: string): string {
  return text.replace(/\/\d+(?=\/| |$)/g, '/*');
}

/** The first five items joined by '; ', and how many more there are. */
function listed5(items: string[]): string {
  const more = items.length > 5 ? `; … and ${items.length - 5} more` : '';
  return items.slice(0, 5).join('; ') + more;
}

function shortJson(value: unknown, limit = 200): string {
  const text = jsonText(value);
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length - limit} more characters)` : text;
}

/** What a snapshot holds for a response without a JSON body. */
export const NO_JSON = Symbol('no JSON body');

/** A response body parsed as JSON: the value, or why there is none. */
export type Parsed = { ok: true; value: unknown } | { ok: false; why: string };

/** The checks of one step, run: what ran, what failed, what only warns, and the body as JSON. */
export interface Evaluation {
  ran: string[];
  failures: Failure[];
  /** [key once per operation and status, text]. */
  warnings: Array<[string, string]>;
  json(): Parsed;
  /** Stores the captured values in `vars`, or adds a `capture` failure. */
  capture(capture: Record<string, string>, vars: Vars): void;
}

/** What the checks across steps read: captured values, kept bodies, and the checks that are on. */
export interface EvaluationContext {
  vars: Vars;
  snapshots: Map<string, unknown>;
  checks: Set<string>;
}

/** One step's checks in progress: what the step is, what came back, and what was found so far. */
interface Run {
  spec: StepSpec;
  response: Incoming;
  context: EvaluationContext;
  /** The step's status check. */
  check: string;
  /** An unsupported-method step belongs to no operation: no conformance checks. */
  unsupported: boolean;
  operation: OperationSpec | undefined;
  declared: ResponseSpec | undefined;
  hasContent: boolean;
  ran: string[];
  failures: Failure[];
  warnings: Array<[string, string]>;
  /** Whether a check is on (and counts it as run). */
  runs(name: string): boolean;
  fail(name: string, message: string, summary?: string): void;
  json(): Parsed;
}

function beginChecks(spec: StepSpec, method: string, response: Incoming, context: EvaluationContext): Run {
  const status = response.status;
  const check = spec.check ?? 'positive_data_acceptance';
  const unsupported = check === 'unsupported_method';
  const operation = Object.hasOwn(operations, spec.operationId) ? operations[spec.operationId] : undefined;
  const declared = unsupported || !operation ? undefined : declaredResponse(operation, status);
  const hasContent = !(
    method === 'HEAD' ||
    [204, 205, 304].includes(status) ||
    status < 200 ||
    (response.text === '' && !(declared && declared.contents.length > 0))
  );
  const run: Run = {
    spec,
    response,
    context,
    check,
    unsupported,
    operation,
    declared,
    hasContent,
    ran: [],
    failures: [],
    warnings: [],
    runs(name) {
      if (!context.checks.has(name)) return false;
      run.ran.push(name);
      return true;
    },
    fail(name, message, summary) {
      run.failures.push(summary === undefined ? { check: name, message } : { check: name, message, summary });
    },
    json: () => parsed(),
  };
  let body: Parsed | undefined;
  const parsed = (): Parsed => {
    if (body) return body;
    if (!hasContent) body = { ok: false, why: 'the response has no content' };
    else {
      try {
        body = { ok: true, value: JSON.parse(response.text) };
      } catch (error) {
        body = { ok: false, why: `the body is not JSON (${error instanceof Error ? error.message : error})` };
      }
    }
    return body;
  };
  return run;
}

/** not_a_server_error and the step's status check; whether the status is one the step expects. */
function statusChecks(run: Run): boolean {
  const status = run.response.status;
  if (run.runs('not_a_server_error') && status >= 500 && !(run.unsupported && status === 501)) {
    run.fail('not_a_server_error', `the server answered ${status}`);
  }
  const ok = run.unsupported
    ? !((status >= 200 && status < 300) || (status >= 500 && status !== 501))
    : run.spec.expect.some((pattern) => statusMatches(pattern, status));
  if (run.runs(run.check) && !ok) {
    const wanted = run.unsupported ? '404, 405, 501 or another 4xx' : expectedText(run.spec.expect);
    run.fail(run.check, `expected ${wanted}, got ${status}`);
  }
  return ok;
}

/** status_code_conformance: a status the operation does not declare fails, or warns where the spec is silent. */
function declaredStatus(run: Run, operation: OperationSpec): void {
  if (!run.runs('status_code_conformance') || run.declared) return;
  const status = run.response.status;
  const list = operation.responses.map((r) => r.status).join(', ') || 'none';
  if ((run.spec.lenient ?? []).some((pattern) => statusMatches(pattern, status))) {
    run.warnings.push([
      `${run.spec.operationId} ${status}`,
      `${operation.method} ${operation.path} answered ${status}, which it does not declare (declared: ${list});` +
        ' the spec declares no response for this kind of rejection, so this is a warning, not a failure',
    ]);
    return;
  }
  run.fail('status_code_conformance', `status ${status} not declared (declared: ${list})`);
}

/** content_type_conformance and response_schema_conformance of a response with content. */
function contentChecks(run: Run, declared: ResponseSpec): void {
  if (!run.hasContent || declared.contents.length === 0) return;
  const actual = mediaTypeOf(run.response.contentType);
  const listed = declared.contents.map((content) => content.mediaType).join(', ');
  const matching = declared.contents.filter((c) => actual !== '' && mediaMatches(c.mediaType, actual));
  if (run.runs('content_type_conformance') && matching.length === 0) {
    run.fail(
      'content_type_conformance',
      actual
        ? `Content-Type ${actual} is not declared for ${declared.status} (declared: ${listed})`
        : `the Content-Type header is missing, but ${declared.status} declares ${listed}`,
    );
  }
  const content = matching.find((c) => mediaTypeOf(c.mediaType) === actual) ?? matching[0];
  if (run.spec.validateBody === false || content?.schema === undefined || !isJson(actual)) return;
  if (!run.runs('response_schema_conformance')) return;
  const what = `the ${declared.status} response schema of ${run.spec.operationId}`;
  const body = run.json();
  if (!body.ok) {
    run.fail('response_schema_conformance', `body does not match ${what}: ${body.why}`, 'body is not JSON');
    return;
  }
  const validate = validatorFor(content.schema);
  if (validate(body.value)) return;
  const errors = schemaErrors(validate, 'body');
  run.fail(
    'response_schema_conformance',
    `body does not match ${what}: ${listed5(errors)}`,
    `body does not match ${what}: ${listed5([...new Set(errors.map(anyIndex))])}`,
  );
}

/** response_headers_conformance: required headers present, declared ones valid (coerced to their type). */
function headerChecks(run: Run, declared: ResponseSpec): void {
  if (!declared.headers || declared.headers.length === 0 || !run.runs('response_headers_conformance')) return;
  for (const header of declared.headers) {
    if (header.name.toLowerCase() === 'content-type') continue;
    const value = run.response.headers[header.name.toLowerCase()];
    if (value === undefined) {
      if (header.required) {
        run.fail(
          'response_headers_conformance',
          `required header ${header.name} of the ${declared.status} response is missing`,
        );
      }
      continue;
    }
    if (header.schema === undefined) continue;
    const validate = validatorFor(header.schema);
    if (!validate(coerceHeader(value, header.schema, resolveSchema))) {
      run.fail('response_headers_conformance', listed5(schemaErrors(validate, `header ${header.name}`)));
    }
  }
}

/** The body as JSON for a check that compares values; a failure of that check when there is none. */
function jsonFor(run: Run, name: string): Parsed {
  const body = run.json();
  if (!body.ok) run.fail(name, `cannot compare values: ${body.why}`);
  return body;
}

/** read_after_write: the body holds each value sent (with what this step captures, too). */
function readAfterWrite(run: Run, checks: NonNullable<StepSpec['bodyEquals']>): void {
  const body = jsonFor(run, 'read_after_write');
  if (!body.ok) return;
  const vars = new Map(run.context.vars);
  for (const [name, pointer] of Object.entries(run.spec.capture ?? {})) {
    const value = pointerGet(body.value, pointer);
    if (value !== undefined) vars.set(name, value);
  }
  for (const [pointer, expected, format] of checks) {
    const sent = substitute(expected, vars);
    const actual = pointerGet(body.value, pointer);
    const where = pointer || 'the body';
    if (actual === undefined) {
      run.fail(
        'read_after_write',
        `${where}: sent ${shortJson(sent)}, missing in the body read back`,
        `${where} is missing in the body read back`,
      );
    } else if (!holds(actual, sent, format)) {
      run.fail(
        'read_after_write',
        `${where}: sent ${shortJson(sent)}, read back ${shortJson(actual)}`,
        `${where} read back is not what was sent`,
      );
    }
  }
}

/** filter_consistency: no item of the filtered list has another value of the filtered property. */
function filterConsistency(run: Run, [pointer, property, filtered]: [string, string, unknown]): void {
  const wanted = substitute(filtered, run.context.vars);
  const body = jsonFor(run, 'filter_consistency');
  if (!body.ok) return;
  const items = pointerGet(body.value, pointer);
  if (!Array.isArray(items)) {
    run.fail('filter_consistency', `no list of items at ${pointer || 'the body'}`);
    return;
  }
  const index = items.findIndex(
    (item) =>
      item !== null &&
      typeof item === 'object' &&
      Object.hasOwn(item, property) &&
      !sameValue((item as Record<string, unknown>)[property], wanted),
  );
  if (index < 0) return;
  const value = (items[index] as Record<string, unknown>)[property];
  run.fail(
    'filter_consistency',
    `${pointer}/${index} has ${property} = ${shortJson(value, 100)},` +
      ` but the list was filtered by ${property} = ${shortJson(wanted, 100)}`,
    `the list filtered by ${property} holds items with another ${property}`,
  );
}

/** idempotence: the body equals the one an earlier step kept, but for the pointers left out. */
function idempotence(run: Run, [name, ignore]: [string, string[]]): void {
  if (!run.context.snapshots.has(name)) {
    run.fail('idempotence', `no earlier step kept a body as "${name}" to compare with`);
    return;
  }
  const before = run.context.snapshots.get(name);
  const body = run.json();
  const after = body.ok ? body.value : NO_JSON;
  // Two responses without a JSON body (a 404 after a delete) are alike; one with and one without differ.
  const changed =
    before === NO_JSON || after === NO_JSON
      ? before === after
        ? []
        : ['(the whole body)']
      : differences(before, after, ignore);
  if (changed.length === 0) return;
  const more = changed.length > 10 ? ` and ${changed.length - 10} more` : '';
  run.fail(
    'idempotence',
    `repeating the request changed the resource at ${changed.slice(0, 10).join(', ')}${more}`,
  );
}

/**
 * Why a step that answered `status` (one it accepts) made nothing to capture: a 409 means the server already
 * holds a resource with the values the step sends, most often one an earlier run of the suite created.
 */
function nothingCreated(status: number): string {
  const conflict =
    status === 409
      ? ': it already holds a resource with the values this step sends (left by an earlier run?); run the' +
        ' suite against a fresh server or clear its data'
      : '';
  return `the server answered ${status}, so nothing was created${conflict}`;
}

/**
 * Stores what a step captures in `vars`; a `capture` failure for the first value that is missing. Only a 2xx
 * body made something: a 409's problem body may well hold a `code` or an `id`, of the error, not of a resource.
 */
function capture(run: Run, wanted: Record<string, string>, vars: Vars): void {
  const status = run.response.status;
  const made = status >= 200 && status < 300;
  const body = run.json();
  for (const [name, pointer] of Object.entries(wanted)) {
    const value = made && body.ok ? pointerGet(body.value, pointer) : undefined;
    if (value === undefined || value === null) {
      const why =
        status < 200 || status >= 300
          ? nothingCreated(status)
          : body.ok
            ? `${pointer} is missing in the response body`
            : body.why;
      run.fail('capture', `cannot capture "${name}" for the next steps: ${why}`);
      return;
    }
    vars.set(name, value);
  }
}

/**
 * Runs every enabled check that applies to a step's response (docs/checks.md): the five on every response, the
 * step's status check, and, when the status is one the step expects, the checks across steps. Collects every
 * failure (not only the first) and the lenient statuses that only warn.
 */
export function evaluate(
  spec: StepSpec,
  method: string,
  response: Incoming,
  context: EvaluationContext,
): Evaluation {
  const run = beginChecks(spec, method, response, context);
  const statusOk = statusChecks(run);
  if (!run.unsupported && !run.operation) {
    run.fail('status_code_conformance', `operation ${spec.operationId} is not in schemas`);
  } else if (!run.unsupported && run.operation) {
    declaredStatus(run, run.operation);
    if (run.declared) {
      contentChecks(run, run.declared);
      headerChecks(run, run.declared);
    }
  }
  // The checks across steps compare only a response whose status the step expects.
  if (statusOk) {
    if (spec.bodyEquals && spec.bodyEquals.length > 0 && run.runs('read_after_write')) {
      readAfterWrite(run, spec.bodyEquals);
    }
    if (spec.itemsMatch && run.runs('filter_consistency')) filterConsistency(run, spec.itemsMatch);
    if (spec.sameAs && run.runs('idempotence')) idempotence(run, spec.sameAs);
  }
  return {
    ran: run.ran,
    failures: run.failures,
    warnings: run.warnings,
    json: run.json,
    capture: (wanted, vars) => capture(run, wanted, vars),
  };
}
