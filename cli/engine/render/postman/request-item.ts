/**
 * One Postman request item per plan step: URL with `{{baseUrl}}`, headers, credentials (inherited from the
 * collection unless the step sends others), body, a pre-request script when the step uses values captured by
 * earlier steps, and a Tests tab that names the step's checks (specmint.checkResponse, defined by the
 * collection's Tests tab, runs them).
 * @see https://schema.postman.com/collection/json/v2.1.0/draft-07/docs/index.html
 */

import type { PlanOperation, TestCase, TestPlan, TestStep, VarRef } from '../../plan/types.ts';
import { layoutJson } from '../common/json-layout.ts';
import { isVarRef, mentionsVar, stepMentionsVar } from '../common/var-ref.ts';
import { stepCredentials } from './auth.ts';
import { stepChecks } from './step-checks.ts';

/** The parts of a Postman v2.1 item this renderer writes. */
export interface PostmanItem {
  name: string;
  description?: string;
  event?: Array<{ listen: 'prerequest' | 'test'; script: { type: 'text/javascript'; exec: string[] } }>;
  request?: Record<string, unknown>;
  item?: PostmanItem[];
}

/** Collects the variables a step reads, by how each is written into the request. */
interface VarUse {
  url: Set<string>;
  text: Set<string>;
  json: Set<string>;
}

const SENTINEL = (name: string) => `@@specmint-var:${name}@@`;

function replaceVars(value: unknown, uses: VarUse): unknown {
  if (isVarRef(value)) {
    uses.json.add(value.$var);
    return SENTINEL(value.$var);
  }
  if (Array.isArray(value)) return value.map((item) => replaceVars(item, uses));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, replaceVars(item, uses)]));
  }
  return value;
}

function fieldText(value: unknown, uses: VarUse): string {
  if (isVarRef(value)) {
    uses.text.add(value.$var);
    return `{{${value.$var}.text}}`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Whether the step's method carries no body: HTTP clients refuse one on GET and HEAD. */
export function sendsNoBody(step: TestStep): boolean {
  return step.method === 'GET' || step.method === 'HEAD';
}

function body(step: TestStep, uses: VarUse): Record<string, unknown> | undefined {
  const { body: stepBody } = step;
  if (!stepBody || sendsNoBody(step)) return undefined;
  if (stepBody.kind === 'json') {
    // Most bodies hold no variable: written as they are, without a copy.
    const hasVars = stepMentionsVar(step) && mentionsVar(stepBody.value);
    const value = hasVars ? replaceVars(stepBody.value, uses) : stepBody.value;
    let raw = JSON.stringify(value, null, 2) ?? 'null';
    for (const name of uses.json) raw = raw.split(JSON.stringify(SENTINEL(name))).join(`{{${name}.json}}`);
    return { mode: 'raw', raw, options: { raw: { language: 'json' } } };
  }
  if (stepBody.kind === 'text')
    return { mode: 'raw', raw: String(stepBody.value ?? ''), options: { raw: { language: 'text' } } };
  // An array is one field per item under the same name (form style, exploded; a part per item).
  const fields = Object.entries((stepBody.value ?? {}) as Record<string, unknown>).flatMap(([key, value]) =>
    (Array.isArray(value) ? value : [value]).map((one): [string, unknown] => [key, one]),
  );
  if (stepBody.kind === 'form') {
    return {
      mode: 'urlencoded',
      urlencoded: fields.map(([key, value]) => ({ key, value: fieldText(value, uses) })),
    };
  }
  return {
    mode: 'formdata',
    formdata: fields.map(([key, value]) => ({ key, value: fieldText(value, uses), type: 'text' })),
  };
}

function urlPart(value: string | VarRef, uses: VarUse): string {
  if (typeof value === 'string') return value;
  uses.url.add(value.$var);
  return `{{${value.$var}.url}}`;
}

/** Options of {@link stepItem}. */
export interface StepItemOptions {
  plan: TestPlan;
  testCase: TestCase;
  /** 0-based index of the step in the case. */
  index: number;
  operation: PlanOperation;
  /** The scheme set of the collection's auth (see auth.ts), which a step with the same credentials inherits. */
  inheritedAuth: string | undefined;
}

/**
 * Lines of a script: `// text` comments, then `call(pm, <spec as JSON>);` (JSON, so it reads as data; laid out
 * as Prettier would, short records on one line).
 */
function callLines(comments: string[], call: string, spec: Record<string, unknown>): string[] {
  return [
    ...comments.map((line) => `// ${line.replace(/[\r\n]+/g, ' ')}`),
    `${call}(pm, ${layoutJson(spec, { column: call.length + 7 })});`,
  ].flatMap((line) => line.split('\n'));
}

/** The pre-request script, when the step needs one: it uses captured values or starts a case that captures. */
function prerequest(options: StepItemOptions, uses: VarUse): string[] | undefined {
  const { testCase, index } = options;
  const spec: Record<string, unknown> = { case: testCase.id, step: index + 1 };
  if (index === 0) {
    const captured = testCase.steps.flatMap((s) => Object.keys(s.capture ?? {}));
    if (captured.length > 0) spec.clear = [...new Set(captured)];
  }
  for (const kind of ['url', 'text', 'json'] as const) {
    if (uses[kind].size > 0) spec[kind] = [...uses[kind]].sort();
  }
  // Made-up texts the server may keep unique: renamed in each run, in this step and the later ones.
  if (testCase.steps.slice(0, index + 1).some((s) => s.unique && s.unique.length > 0)) {
    spec.unique = (testCase.steps[index]?.unique ?? []).map((made) => [made.text, made.shape]);
  }
  if (Object.keys(spec).length === 2) return undefined;
  const comment =
    index === 0
      ? `${testCase.id} starts: forget what an earlier run of it captured`
      : `${testCase.id} step ${index + 1}: the values earlier steps captured (not sent when one is missing)`;
  return callLines([comment], 'specmint.prepareStep', spec);
}

/** The Tests tab: the step's checks by name, run by specmint.checkResponse (the collection's Tests tab). */
function tests(options: StepItemOptions): string[] {
  const { testCase, index, operation } = options;
  const step = testCase.steps[index]!;
  const spec: Record<string, unknown> = {
    case: testCase.id,
    title: testCase.title,
    step: index + 1,
    operation: step.operationId,
    auth: step.auth,
    checks: stepChecks(operation, step),
  };
  if (step.capture && Object.keys(step.capture).length > 0) spec.capture = step.capture;
  if (step.snapshot) spec.snapshot = step.snapshot;
  const comments = ["The checks of this request (docs/checks.md); the collection's Tests tab runs them."];
  if (step.note) comments.push(`Note: ${step.note}`);
  if (step.body && sendsNoBody(step) && !step.note) {
    comments.push(
      `Note: the spec gives ${step.method} a request body; it is not sent (HTTP clients refuse one).`,
    );
  }
  return callLines(comments, 'specmint.checkResponse', spec);
}

/** The item name of a step: the case for a one-step case, the case and step for a flow. */
export function stepName(testCase: TestCase, index: number, operation: PlanOperation): string {
  if (testCase.steps.length === 1) return `${testCase.id} · ${testCase.title}`;
  const step = testCase.steps[index]!;
  return `${testCase.id} · step ${index + 1}: ${step.method} ${operation.path}`;
}

/** The request item of one step. */
export function stepItem(options: StepItemOptions): PostmanItem {
  const { plan, testCase, index, operation } = options;
  const step = testCase.steps[index]!;
  const uses: VarUse = { url: new Set(), text: new Set(), json: new Set() };
  const path = step.path.map((part) => urlPart(part, uses)).join('');
  const credentials = stepCredentials(plan, step.auth, options.inheritedAuth);
  const query = [
    ...step.query.map(([name, value]) => ({
      key: encodeURIComponent(name),
      value: typeof value === 'string' ? encodeURIComponent(value) : urlPart(value, uses),
    })),
    ...credentials.query,
  ];
  const requestBody = body(step, uses);
  const headers = Object.entries(step.headers).map(([key, value]) => ({ key, value }));
  if (requestBody && step.body && step.body.kind !== 'multipart')
    headers.push({ key: 'Content-Type', value: step.body.mediaType });
  headers.push(...credentials.headers);
  const cookies = [
    ...Object.entries(step.cookies).map(([name, value]) => `${name}=${value}`),
    ...credentials.cookies,
  ];
  if (cookies.length > 0) headers.push({ key: 'Cookie', value: cookies.join('; ') });
  const queryText = query.map(({ key, value }) => `${key}=${value}`).join('&');
  const url: Record<string, unknown> = {
    raw: `{{baseUrl}}${path}${queryText ? `?${queryText}` : ''}`,
    host: ['{{baseUrl}}'],
    path: path.replace(/^\//, '').split('/'),
  };
  if (query.length > 0) url.query = query;
  const request: Record<string, unknown> = { method: step.method, header: headers };
  if (credentials.auth) request.auth = credentials.auth;
  request.url = url;
  if (requestBody) request.body = requestBody;
  const event: NonNullable<PostmanItem['event']> = [];
  const before = prerequest(options, uses);
  if (before) event.push({ listen: 'prerequest', script: { type: 'text/javascript', exec: before } });
  event.push({ listen: 'test', script: { type: 'text/javascript', exec: tests(options) } });
  return { name: stepName(testCase, index, operation), event, request };
}
