/**
 * One Postman request item per plan step: URL with `{{baseUrl}}`, headers, credentials, body, and a
 * pre-request script that hands the step's expectations to the collection test script.
 * @see https://schema.postman.com/collection/json/v2.1.0/draft-07/docs/index.html
 */
import type { PlanOperation, TestCase, TestPlan, TestStep, VarRef } from '../../plan/types.ts';
import { isVarRef, mentionsVar, stepMentionsVar } from '../common/var-ref.ts';
import { STEP_VARIABLE } from './collection-script.ts';

/** A deliberately wrong credential for `invalid` auth steps. */
export const INVALID_CREDENTIAL = 'invalid-specmint-credential';
const INVALID_USERNAME = 'invalid-specmint-user';
const INVALID_PASSWORD = 'invalid-specmint-password';

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

function body(step: TestStep, uses: VarUse): Record<string, unknown> | undefined {
  const { body: stepBody } = step;
  if (!stepBody) return undefined;
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
  const fields = Object.entries((stepBody.value ?? {}) as Record<string, unknown>);
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

interface Credentials {
  headers: Array<{ key: string; value: string }>;
  query: Array<{ key: string; value: string }>;
  cookies: string[];
  auth: Record<string, unknown>;
}

function credentials(plan: TestPlan, step: TestStep): Credentials {
  const out: Credentials = { headers: [], query: [], cookies: [], auth: { type: 'noauth' } };
  if (step.auth.mode === 'none') return out;
  const invalid = step.auth.mode === 'invalid';
  for (const key of step.auth.schemes) {
    const scheme = plan.securitySchemes[key];
    if (!scheme) continue;
    const httpScheme = (scheme.scheme ?? '').toLowerCase();
    if (scheme.type === 'http' && httpScheme === 'basic') {
      const username = invalid ? INVALID_USERNAME : `{{${scheme.env.username}}}`;
      const password = invalid ? INVALID_PASSWORD : `{{${scheme.env.password}}}`;
      out.auth = {
        type: 'basic',
        basic: [
          { key: 'username', value: username, type: 'string' },
          { key: 'password', value: password, type: 'string' },
        ],
      };
      continue;
    }
    const value = invalid ? INVALID_CREDENTIAL : `{{${scheme.env.token}}}`;
    if (scheme.type === 'apiKey') {
      const name = scheme.name ?? key;
      if (scheme.in === 'query') out.query.push({ key: encodeURIComponent(name), value });
      else if (scheme.in === 'cookie') out.cookies.push(`${name}=${value}`);
      else out.headers.push({ key: name, value });
    } else if (scheme.type === 'http' && httpScheme !== '' && httpScheme !== 'bearer') {
      const prefix = httpScheme.charAt(0).toUpperCase() + httpScheme.slice(1);
      out.headers.push({ key: 'Authorization', value: `${prefix} ${value}` });
    } else {
      out.headers.push({ key: 'Authorization', value: `Bearer ${value}` });
    }
  }
  return out;
}

/** Options of {@link stepItem}. */
export interface StepItemOptions {
  plan: TestPlan;
  testCase: TestCase;
  /** 0-based index of the step in the case. */
  index: number;
  operation: PlanOperation;
}

function prerequest(options: StepItemOptions, uses: VarUse): string[] {
  const { testCase, index } = options;
  const step = testCase.steps[index]!;
  const where = `${testCase.id} step ${index + 1} of ${testCase.steps.length}`;
  const meta: Record<string, unknown> = {
    case: testCase.id,
    step: index + 1,
    operation: step.operationId,
    method: step.method,
    expect: step.expect.status,
    validateBody: step.expect.validateBody,
  };
  if (step.expect.bodyEquals && step.expect.bodyEquals.length > 0) meta.bodyEquals = step.expect.bodyEquals;
  if (step.capture && Object.keys(step.capture).length > 0) meta.capture = step.capture;
  const lines = [
    `// ${where}: what the collection test script checks`,
    `const step = ${JSON.stringify(meta, null, 2)};`,
  ];
  lines.push(`pm.variables.set('${STEP_VARIABLE}', JSON.stringify(step));`);
  if (index === 0) {
    const captured = testCase.steps.flatMap((s) => Object.keys(s.capture ?? {}));
    for (const name of [...new Set(captured)]) {
      lines.push(`pm.collectionVariables.unset(${JSON.stringify(`${testCase.id}.${name}`)});`);
    }
  }
  const names = [...new Set([...uses.url, ...uses.text, ...uses.json])];
  if (names.length > 0) {
    lines.push(
      '// Values captured by earlier steps of this case',
      'const captured = (name) => {',
      `  const value = pm.collectionVariables.get(${JSON.stringify(`${testCase.id}.`)} + name);`,
      `  if (value === undefined || value === null) throw new Error(${JSON.stringify(`${where}: `)} + name + ' was not captured by an earlier step');`,
      '  return value;',
      '};',
      "const asText = (value) => (typeof value === 'string' ? value : JSON.stringify(value));",
    );
    for (const name of [...uses.url].sort()) {
      lines.push(`pm.variables.set('${name}.url', encodeURIComponent(asText(captured('${name}'))));`);
    }
    for (const name of [...uses.text].sort())
      lines.push(`pm.variables.set('${name}.text', asText(captured('${name}')));`);
    for (const name of [...uses.json].sort()) {
      lines.push(`pm.variables.set('${name}.json', JSON.stringify(captured('${name}')));`);
    }
  }
  return lines.join('\n').split('\n');
}

/** The request item of one step. */
export function stepItem(options: StepItemOptions): PostmanItem {
  const { plan, testCase, index, operation } = options;
  const step = testCase.steps[index]!;
  const uses: VarUse = { url: new Set(), text: new Set(), json: new Set() };
  const path = step.path.map((part) => urlPart(part, uses)).join('');
  const auth = credentials(plan, step);
  const query = [
    ...step.query.map(([name, value]) => ({
      key: encodeURIComponent(name),
      value: typeof value === 'string' ? encodeURIComponent(value) : urlPart(value, uses),
    })),
    ...auth.query,
  ];
  const requestBody = body(step, uses);
  const headers = Object.entries(step.headers).map(([key, value]) => ({ key, value }));
  if (step.body && step.body.kind !== 'multipart')
    headers.push({ key: 'Content-Type', value: step.body.mediaType });
  headers.push(...auth.headers);
  const cookies = [
    ...Object.entries(step.cookies).map(([name, value]) => `${name}=${value}`),
    ...auth.cookies,
  ];
  if (cookies.length > 0) headers.push({ key: 'Cookie', value: cookies.join('; ') });
  const queryText = query.map(({ key, value }) => `${key}=${value}`).join('&');
  const url: Record<string, unknown> = {
    raw: `{{baseUrl}}${path}${queryText ? `?${queryText}` : ''}`,
    host: ['{{baseUrl}}'],
    path: path.replace(/^\//, '').split('/'),
  };
  if (query.length > 0) url.query = query;
  const request: Record<string, unknown> = { method: step.method, header: headers, auth: auth.auth, url };
  if (requestBody) request.body = requestBody;
  const single = testCase.steps.length === 1;
  const name = single
    ? `${testCase.id} · ${testCase.title}`
    : `Step ${index + 1}: ${step.method} ${operation.path} (${operation.id})`;
  return {
    name,
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: prerequest(options, uses) } }],
    request,
  };
}
