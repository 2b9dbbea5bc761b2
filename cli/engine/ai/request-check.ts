/**
 * Checks a proposed request against an operation's schemas with the data stage's checker: which locations
 * (a parameter, or the body) are invalid, and whether fixing one location of the body alone makes it valid.
 * Parameters are judged as the server sees them — as text on the wire — so `"5"` and `5` are the same query
 * value, and a "violation" that disappears on the wire is not one.
 */
import { type CheckEnv, conforms } from '../data/check.ts';
import { cloneJson, isPlainObject, jsonType } from '../data/json.ts';
import { flattenSchema } from '../data/resolve.ts';
import { createRng } from '../data/rng.ts';
import { synthesizeValid } from '../data/synthesize.ts';
import type { ApiIr, IrOperation, IrParameter, JsonSchema } from '../ir/types.ts';
import { paramKey, pickBodyMedia, usableParameters } from '../plan/request-builder.ts';
import { isVarRef } from '../plan/serialize-params.ts';

/** A proposed request: parameter values by `in:name` key, and the body when one is sent. */
export interface RequestDraft {
  params: Record<string, unknown>;
  body: { present: false } | { present: true; value: unknown };
}

/** One invalid location: `query/limit`, `path/petId`, `body`. */
export interface Problem {
  location: string;
  message: string;
}

/** The location name of a parameter in problems and `violates`. */
export function paramLocation(param: Pick<IrParameter, 'in' | 'name'>): string {
  return `${param.in}/${param.name}`;
}

function requestEnv(ir: ApiIr): CheckEnv {
  return { schemas: ir.schemas, view: 'request' };
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

/** The values a server may read from wire text: the text, and the number or boolean it spells. */
function readings(text: string): unknown[] {
  const out: unknown[] = [text];
  if (/^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/.test(text)) out.push(Number(text));
  if (text === 'true' || text === 'false') out.push(text === 'true');
  return out;
}

/** Whether a parameter value is valid once it has travelled as text. */
export function wireConforms(param: IrParameter, value: unknown, ir: ApiIr): boolean {
  const env = requestEnv(ir);
  if (param.contentType || isPlainObject(value)) return conforms(param.schema, value, env);
  if (Array.isArray(value)) {
    const flat = flattenSchema(param.schema, ir.schemas);
    const items: JsonSchema = flat !== false && flat.items !== undefined ? flat.items : true;
    const read = value.map((item) => {
      const options = readings(scalarText(item));
      return options.find((o) => conforms(items, o, env)) ?? options[0];
    });
    return conforms(param.schema, read, env);
  }
  return readings(scalarText(value)).some((reading) => conforms(param.schema, reading, env));
}

function showValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Every invalid location of the draft (empty when the request is valid). */
export function requestProblems(ir: ApiIr, op: IrOperation, draft: RequestDraft): Problem[] {
  const problems: Problem[] = [];
  for (const param of usableParameters(op)) {
    const key = paramKey(param);
    const location = paramLocation(param);
    if (!Object.hasOwn(draft.params, key)) {
      if (param.required) problems.push({ location, message: 'required parameter is missing' });
      continue;
    }
    const value = draft.params[key];
    if (isVarRef(value)) continue;
    if (!wireConforms(param, value, ir)) {
      problems.push({ location, message: `${showValue(value)} does not match the parameter's schema` });
    }
  }
  problems.push(...bodyProblems(ir, op, draft.body));
  return problems;
}

function bodyProblems(ir: ApiIr, op: IrOperation, body: RequestDraft['body']): Problem[] {
  const choice = pickBodyMedia(op);
  if (!choice)
    return body.present ? [{ location: 'body', message: 'the operation takes no request body' }] : [];
  if (!body.present) {
    return op.requestBody?.required
      ? [{ location: 'body', message: 'the required request body is missing' }]
      : [];
  }
  if ((choice.kind === 'form' || choice.kind === 'multipart') && !isPlainObject(body.value)) {
    return [{ location: 'body', message: `a ${choice.media.mediaType} body must be an object of fields` }];
  }
  const schema = choice.media.schema;
  if (schema !== undefined && !conforms(schema, body.value, requestEnv(ir))) {
    return [{ location: 'body', message: 'the body does not match its schema' }];
  }
  return [];
}

type Tokens = readonly string[];

function valueAt(root: unknown, tokens: Tokens): { found: boolean; value?: unknown } {
  let node = root;
  for (const token of tokens) {
    if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(token) && Number(token) < node.length)
      node = node[Number(token)];
    else if (isPlainObject(node) && Object.hasOwn(node, token)) node = node[token];
    else return { found: false };
  }
  return { found: true, value: node };
}

/** A copy of `root` with the value at `tokens` replaced, or removed (`remove`); undefined when the parent is missing. */
function edit(
  root: unknown,
  tokens: Tokens,
  change: { remove: true } | { remove: false; value: unknown },
): unknown {
  if (tokens.length === 0) return change.remove ? undefined : change.value;
  const copy = cloneJson(root);
  const parent = valueAt(copy, tokens.slice(0, -1));
  const last = tokens[tokens.length - 1] as string;
  if (!parent.found) return undefined;
  const node = parent.value;
  if (Array.isArray(node) && /^(0|[1-9][0-9]*)$/.test(last) && Number(last) <= node.length) {
    if (change.remove) node.splice(Number(last), 1);
    else node[Number(last)] = change.value;
    return copy;
  }
  if (!isPlainObject(node)) return undefined;
  if (change.remove) delete node[last];
  else node[last] = change.value;
  return copy;
}

/**
 * The schema that applies at `tokens` inside a value of `schema`: `false` when nothing is allowed there,
 * `true` when anything is, undefined when composition (`oneOf`/`anyOf`) makes it ambiguous.
 */
export function schemaAt(
  schema: JsonSchema,
  tokens: Tokens,
  schemas: Record<string, JsonSchema>,
): JsonSchema | undefined {
  let current: JsonSchema = schema;
  for (const token of tokens) {
    const flat = flattenSchema(current, schemas);
    if (flat === false) return false;
    if (flat.oneOf !== undefined || flat.anyOf !== undefined) return undefined;
    const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : undefined;
    if (flat.properties && Object.hasOwn(flat.properties, token))
      current = flat.properties[token] as JsonSchema;
    else if (index !== undefined && Array.isArray(flat.prefixItems) && index < flat.prefixItems.length)
      current = flat.prefixItems[index] as JsonSchema;
    else if (index !== undefined && flat.items !== undefined) current = flat.items;
    else if (
      index === undefined &&
      flat.additionalProperties !== undefined &&
      flat.patternProperties === undefined
    )
      current = flat.additionalProperties;
    else return flat.patternProperties === undefined ? true : undefined;
  }
  return current;
}

/** Options of {@link checkBodyViolation}. */
export interface BodyViolationInput {
  ir: ApiIr;
  schema: JsonSchema;
  /** The proposed (invalid) body. */
  body: unknown;
  /** Location inside the body the proposal claims is invalid. */
  tokens: Tokens;
  /** A valid body of the operation (the deterministic plan's), to borrow repair values from. */
  baseline: unknown;
}

/**
 * Whether the body's only problem is at `tokens`: the value there (if any) is invalid for the schema that
 * applies there, and replacing or removing just that value makes the whole body valid. Returns the reason
 * when not.
 */
export function checkBodyViolation(input: BodyViolationInput): string | undefined {
  const { ir, schema, body, tokens, baseline } = input;
  const env = requestEnv(ir);
  const where = `body/${tokens.join('/')}`;
  if (tokens.length === 0) {
    const sameKind =
      baseline === undefined ||
      jsonType(body).replace('integer', 'number') === jsonType(baseline).replace('integer', 'number');
    return sameKind ? 'name the invalid property (e.g. "body/name"), not the whole body' : undefined;
  }
  const current = valueAt(body, tokens);
  const sub = schemaAt(schema, tokens, ir.schemas);
  if (current.found && sub !== undefined && conforms(sub, current.value, env)) {
    return `the value at ${where} is valid for its schema; the violation is elsewhere`;
  }
  const candidates: unknown[] = [];
  const borrowed = valueAt(baseline, tokens);
  if (borrowed.found) candidates.push(edit(body, tokens, { remove: false, value: borrowed.value }));
  if (sub !== undefined && sub !== false) {
    const fresh = synthesizeValid(sub, { schemas: ir.schemas, rng: createRng(1), view: 'request' });
    if (fresh !== undefined) candidates.push(edit(body, tokens, { remove: false, value: fresh }));
  }
  if (current.found) candidates.push(edit(body, tokens, { remove: true }));
  const repaired = candidates.some(
    (candidate) => candidate !== undefined && conforms(schema, candidate, env),
  );
  return repaired ? undefined : `fixing ${where} alone does not make the body valid: it has other violations`;
}
