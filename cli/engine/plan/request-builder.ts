/**
 * Turns parameter values and a body for one operation into a fully serialised {@link TestStep}.
 */
import type { IrEncoding, IrMediaType, IrOperation, IrParameter, JsonSchema } from '../ir/types.ts';
import {
  buildPath,
  type PathPart,
  serializeCookieParam,
  serializeHeaderParam,
  serializePathParam,
  serializeQueryParam,
} from './serialize-params.ts';
import { isJsonMediaType, rejectionExpectation } from './statuses.ts';
import type { StepAuth, StepBody, StepExpectation, TestStep, VarRef } from './types.ts';
import { xmlBody, xmlRootName } from './xml-body.ts';

/** Headers OpenAPI says to ignore as parameters: they are set by the content and auth machinery. */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Key of a parameter in a values map: `query:limit`. */
export function paramKey(param: Pick<IrParameter, 'in' | 'name'>): string {
  return `${param.in}:${param.name}`;
}

/** Parameters that a request may carry (ignored headers left out). */
export function usableParameters(op: IrOperation): IrParameter[] {
  return op.parameters.filter((p) => !(p.in === 'header' && IGNORED_HEADERS.has(p.name.toLowerCase())));
}

export interface BodyChoice {
  media: IrMediaType;
  kind: StepBody['kind'];
  /** An XML media type's: the spec's schemas, which name the elements its values are written as (xml-body.ts). */
  xmlSchemas?: Readonly<Record<string, JsonSchema>>;
}

/** The request media type a suite sends: JSON first, then form, multipart, text. */
export function pickBodyMedia(op: IrOperation): BodyChoice | undefined {
  const contents = op.requestBody?.contents ?? [];
  const base = (m: IrMediaType): string => m.mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  const json = contents.find((m) => isJsonMediaType(m.mediaType) && base(m) !== '*/*');
  if (json) return { media: json, kind: 'json' };
  const form = contents.find((m) => base(m) === 'application/x-www-form-urlencoded');
  if (form) return { media: form, kind: 'form' };
  const multipart = contents.find((m) => base(m) === 'multipart/form-data');
  if (multipart) return { media: multipart, kind: 'multipart' };
  const text = contents.find((m) => base(m).startsWith('text/'));
  if (text) return { media: text, kind: 'text' };
  const any = contents.find((m) => base(m) === '*/*' || base(m) === 'application/*');
  if (any) return { media: { ...any, mediaType: 'application/json' }, kind: 'json' };
  const first = contents[0];
  return first ? { media: first, kind: 'text' } : undefined;
}

export interface StepInput {
  /** Parameter values by {@link paramKey}; a missing key means the parameter is not sent. */
  params: Record<string, unknown>;
  /** The body to send, or undefined for none. */
  body?: { choice: BodyChoice; value: unknown };
  auth: StepAuth;
  expect: StepExpectation;
  capture?: Record<string, string>;
}

/** A form field's text: a string as it is, any other value as JSON. */
function fieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The separator of a form field's array items when the field is not exploded, by `style`. */
const DELIMITERS: Record<string, string> = { form: ',', spaceDelimited: ' ', pipeDelimited: '|' };

/**
 * One form or multipart field's value as sent. An array of scalars follows the property's Encoding Object:
 * with a JSON `contentType` it is one JSON text; in a form body with `explode: false` (or a delimited style
 * that is not exploded) one field of items joined by the style's separator; otherwise one field (or part) per
 * item under the property's name, OpenAPI's default for both media types (`style: form`, `explode: true`),
 * which servers read back as the array. Anything nested is JSON text.
 * @see https://spec.openapis.org/oas/v3.1.0#encoding-object
 */
function fieldValue(
  value: unknown,
  kind: 'form' | 'multipart',
  encoding: IrEncoding | undefined,
): string | string[] {
  const scalars = Array.isArray(value) && value.every((item) => item === null || typeof item !== 'object');
  if (!scalars || (encoding?.contentType !== undefined && isJsonMediaType(encoding.contentType)))
    return fieldText(value);
  const items = value.map(fieldText);
  // Style and explode apply to form bodies only; a multipart body sends a part per item.
  if (kind === 'multipart') return items;
  const style = encoding?.style ?? 'form';
  const explode = encoding?.explode ?? style === 'form';
  const delimiter = DELIMITERS[style];
  return explode || delimiter === undefined ? items : items.join(delimiter);
}

/** Flattens a body value for form and multipart encodings: one field per property (see {@link fieldValue}). */
function flatten(
  value: unknown,
  kind: 'form' | 'multipart',
  encoding: Readonly<Record<string, IrEncoding>> | undefined,
): Record<string, string | string[]> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { value: String(value) };
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === undefined) continue;
    out[k] = fieldValue(v, kind, encoding?.[k]);
  }
  return out;
}

function bodyOf(input: NonNullable<StepInput['body']>): StepBody {
  const { choice, value } = input;
  const mediaType = choice.media.mediaType;
  if (choice.kind === 'form' || choice.kind === 'multipart') {
    return { mediaType, kind: choice.kind, value: flatten(value, choice.kind, choice.media.encoding) };
  }
  if (choice.kind === 'text') {
    if (typeof value === 'string') return { mediaType, kind: 'text', value };
    const text = choice.xmlSchemas
      ? xmlBody(value, choice.media.schema, choice.xmlSchemas)
      : JSON.stringify(value);
    return { mediaType, kind: 'text', value: text };
  }
  return { mediaType, kind: 'json', value };
}

/** Methods that cannot carry a request body: HTTP clients (fetch, requests) refuse one. */
export function sendsNoBody(op: Pick<IrOperation, 'method'>): boolean {
  return op.method === 'get' || op.method === 'head';
}

/**
 * Why a step sends fewer credentials than the security requirement it meets names (HTTP has one
 * Authorization header: see `resolveAuth`), or `undefined` when it sends them all.
 */
export function authNote(
  op: Pick<IrOperation, 'method' | 'path' | 'security'>,
  auth: StepAuth,
): string | undefined {
  if (auth.mode === 'none' || auth.schemes.length === 0) return undefined;
  const sent = new Set(auth.schemes);
  const requirement = op.security
    .map((alternative) => Object.keys(alternative))
    .find((keys) => auth.schemes.every((key) => keys.includes(key)));
  const left = requirement?.filter((key) => !sent.has(key)) ?? [];
  if (left.length === 0) return undefined;
  const names = (keys: string[]): string => keys.map((key) => `"${key}"`).join(' and ');
  return `${op.method.toUpperCase()} ${op.path} asks for ${names(requirement!)} together; HTTP has one Authorization header, so only the credentials of ${names(auth.schemes)} are sent`;
}

/** Whether the body is XML written from a value whose root element the spec does not name (see xml-body.ts). */
function guessesXmlRoot(body: StepInput['body']): boolean {
  if (!body?.choice.xmlSchemas || typeof body.value === 'string') return false;
  return xmlRootName(body.choice.media.schema, body.choice.xmlSchemas) === undefined;
}

/** `expect` that also accepts the rejection of a request (any 4xx): the spec cannot promise success. */
function withRejection(op: IrOperation, expect: StepExpectation): StepExpectation {
  const rejection = rejectionExpectation(op);
  const status = [...new Set([...expect.status, ...rejection.status])];
  const lenient = [...new Set([...(expect.lenientStatuses ?? []), ...(rejection.lenientStatuses ?? [])])];
  return { ...expect, status, ...(lenient.length > 0 ? { lenientStatuses: lenient } : {}) };
}

/** Builds one serialised step of `op`. */
export function buildStep(op: IrOperation, input: StepInput): TestStep {
  const pathValues = new Map<string, PathPart[]>();
  const query: Array<[string, string | VarRef]> = [];
  const headers: Record<string, string> = {};
  const cookies: Record<string, string> = {};
  for (const param of usableParameters(op)) {
    const key = paramKey(param);
    if (!(key in input.params)) continue;
    const value = input.params[key];
    if (param.in === 'path') pathValues.set(param.name, serializePathParam(param, value));
    else if (param.in === 'query') query.push(...serializeQueryParam(param, value));
    else if (param.in === 'header') headers[param.name] = serializeHeaderParam(param, value);
    else cookies[param.name] = serializeCookieParam(param, value);
  }
  const step: TestStep = {
    operationId: op.id,
    method: op.method.toUpperCase(),
    path: buildPath(op.path, pathValues),
    query,
    headers,
    cookies,
    auth: input.auth,
    expect: input.expect,
  };
  if (input.body && !sendsNoBody(op)) step.body = bodyOf(input.body);
  if (input.capture && Object.keys(input.capture).length > 0) step.capture = input.capture;
  const notes: string[] = [];
  if (op.requestBody && sendsNoBody(op)) {
    notes.push(
      `${step.method} ${op.path} declares a request body; it is not sent (HTTP clients refuse a body on GET and HEAD)`,
    );
    if (op.requestBody.required && input.expect.check === 'positive_data_acceptance') {
      // The spec calls a request without its body invalid: a server that keeps that promise refuses it.
      step.expect = withRejection(op, input.expect);
      notes.push('The spec requires the body, so a 4xx answer is accepted too');
    }
  }
  if (guessesXmlRoot(input.body) && input.expect.check === 'positive_data_acceptance') {
    // The spec is silent on the one name the document must get right: a refusal may be the name's, not the data's.
    step.expect = withRejection(op, step.expect);
    notes.push(
      'The spec names no root element for its XML body (it is sent as <data>), so a 4xx answer is accepted too',
    );
  }
  const credentials = authNote(op, input.auth);
  if (credentials) notes.push(credentials);
  if (notes.length > 0) step.note = notes.join('. ');
  return step;
}
