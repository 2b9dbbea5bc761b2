/**
 * What a spec says that decides, for bench:precision, whose a failure is when the suite is not at fault: the
 * mock cannot keep a promise the spec makes (Prism generates only the properties a schema declares), or the
 * spec contradicts itself so that no answer or request can satisfy it. Each fact is read from the spec's IR,
 * never from the failures, and each rule names the evidence it needs in the failure's text:
 *
 * - mock, `undeclared required`: a property some object schema requires but no schema of the spec declares.
 *   Prism's answers never hold it; a correct server's do. Evidence: `must have required property 'X'`.
 * - spec, `no valid value`: the place of a response body whose schema admits no value (an `enum` none of
 *   whose values has the schema's `type`: `type: string, enum: [1, 2]`). A correct server leaves it out; the
 *   mock fills it. Evidence: `body/0/X must be <type>` or `… must be equal to one of the allowed values`, the
 *   path followed from the named operation's response schema for the named status to that schema.
 * - spec, `invalid example`: a response example its own schema rejects (a JSON document written as a string
 *   for an object schema), which the mock serves as it is. Evidence: the failed request got that example.
 * - mock, `repeated form field`: a case sends a form or multipart field more than once (an array, OpenAPI's
 *   default `style: form, explode: true`); Prism keeps only the last value unless the spec writes the field's
 *   encoding out. Evidence: the failure's case sends such a body and its valid request was refused.
 * - spec, `formless multipart`: an operation whose `multipart/form-data` body schema is not an object, so no
 *   form's fields can match it (the mock parses every form into an object). Evidence: the failure's case
 *   sends such a body.
 * - spec, `overlapping oneOf`: a JSON request body whose schema is a `oneOf` of branches that do not exclude
 *   each other (no required or forbidden property tells them apart), so the body the case sends, its
 *   example or a synthesised one, matches several. Evidence: the failure's case sends such a body.
 */
import { conforms } from '../cli/engine/data/check.ts';
import { flattenSchema } from '../cli/engine/data/resolve.ts';
import type { ApiIr, JsonSchema, JsonSchemaObject } from '../cli/engine/ir/types.ts';
import type { TestPlan } from '../cli/engine/plan/types.ts';

/** See the module comment. */
export interface SpecFacts {
  undeclaredRequired: ReadonlySet<string>;
  /** Whether the place `path` (`body/0/x`) of a response body has a schema that admits no value. */
  noValidValueAt: (place: { operationId: string; status: string; path: string }) => boolean;
  /** Case ids whose valid requests send a form or multipart field more than once. */
  repeatedFieldCases: ReadonlySet<string>;
  /** Canonical JSON text of each response example its schema rejects. */
  invalidExamples: ReadonlySet<string>;
  /** Case ids whose steps send a formless multipart body. */
  formlessMultipartCases: ReadonlySet<string>;
  /** Case ids whose valid requests send a JSON body that matches several branches of its schema's `oneOf`. */
  overlappingOneOfCases: ReadonlySet<string>;
}

/** Why a failure is not the suite's: whose it is, and the rule that says so. */
export interface Attribution {
  owner: 'mock' | 'spec';
  reason: string;
}

/** JSON text with object keys sorted, so that equal documents give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Every schema object reachable from `roots` (each visited once), refs left unresolved. */
function* schemaNodes(roots: readonly JsonSchema[]): Generator<JsonSchemaObject> {
  const seen = new Set<object>();
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object' || seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      stack.push(...(node as JsonSchema[]));
      continue;
    }
    yield node;
    for (const [key, child] of Object.entries(node)) {
      // Literals are values, not schemas.
      if (key === 'enum' || key === 'const' || key === 'example' || key === 'examples' || key === 'default')
        continue;
      if (child !== null && typeof child === 'object') stack.push(child as JsonSchema);
    }
  }
}

/** Whether a schema's own `enum` and `type` leave no value (nothing else of it is considered). */
function admitsNoValue(schema: JsonSchema, ir: ApiIr): boolean {
  const flat = flattenSchema(schema, ir.schemas);
  if (flat === false) return true;
  if (!Array.isArray(flat.enum) || flat.enum.length === 0 || flat.type === undefined) return false;
  const typed: JsonSchema = { type: flat.type };
  return flat.enum.every((value) => !conforms(typed, value, { schemas: ir.schemas }));
}

/** The schemas of the spec: named ones, and those of every parameter, body and response. */
function rootSchemas(ir: ApiIr): JsonSchema[] {
  const roots: JsonSchema[] = Object.values(ir.schemas);
  for (const op of ir.operations) {
    for (const param of op.parameters) roots.push(param.schema);
    for (const media of op.requestBody?.contents ?? [])
      if (media.schema !== undefined) roots.push(media.schema);
    for (const response of op.responses) {
      for (const media of response.contents) if (media.schema !== undefined) roots.push(media.schema);
    }
  }
  return roots;
}

/** Reads the facts of a spec (its IR) and of the plan generated from it. */
export function specFacts(ir: ApiIr, plan: Pick<TestPlan, 'cases'>): SpecFacts {
  const required = new Set<string>();
  const declared = new Set<string>();
  for (const node of schemaNodes(rootSchemas(ir))) {
    for (const name of Array.isArray(node.required) ? node.required : []) required.add(name);
    for (const name of Object.keys(node.properties ?? {})) declared.add(name);
  }
  const invalidExamples = new Set<string>();
  const formless = new Set<string>();
  for (const op of ir.operations) {
    for (const response of op.responses) {
      for (const media of response.contents) {
        if (media.schema === undefined) continue;
        for (const example of media.examples) {
          if (!conforms(media.schema, example, { schemas: ir.schemas, view: 'response' }))
            invalidExamples.add(canonicalJson(example));
        }
      }
    }
    const multipart = op.requestBody?.contents.find((m) => /^multipart\/form-data\b/i.test(m.mediaType));
    const flat = multipart?.schema === undefined ? undefined : flattenSchema(multipart.schema, ir.schemas);
    const isObject = flat !== undefined && flat !== false && (flat.type === 'object' || flat.properties);
    if (multipart && !isObject) formless.add(op.id);
  }
  const overlappingOneOfCases = new Set(
    plan.cases.filter((c) => c.steps.some((step) => sendsOverlappingOneOf(ir, step))).map((c) => c.id),
  );
  const formlessMultipartCases = new Set(
    plan.cases
      .filter((c) => c.steps.some((s) => s.body?.kind === 'multipart' && formless.has(s.operationId)))
      .map((c) => c.id),
  );
  return {
    undeclaredRequired: new Set([...required].filter((name) => !declared.has(name))),
    noValidValueAt: (place) => noValidValueAt(ir, place),
    repeatedFieldCases: new Set(
      plan.cases
        .filter((c) =>
          c.steps.some(
            (step) =>
              (step.body?.kind === 'form' || step.body?.kind === 'multipart') &&
              step.expect.status.some((status) => /^2/.test(status)) &&
              Object.values(step.body.value as Record<string, unknown>).some(Array.isArray),
          ),
        )
        .map((c) => c.id),
    ),
    invalidExamples,
    formlessMultipartCases,
    overlappingOneOfCases,
  };
}

/**
 * Whether the place `path` (`body/0/x`, an index maybe written `*`) of the JSON response `operationId` declares for
 * `status` has a schema that admits no value. Each step flattens the schema ($ref, allOf) and takes `items`
 * for an index, `properties` for a name; a oneOf or anyOf on the way leaves the answer unknown (false).
 */
function noValidValueAt(ir: ApiIr, place: { operationId: string; status: string; path: string }): boolean {
  const op = ir.operations.find((o) => o.id === place.operationId);
  const response = op?.responses.find((r) => r.status === place.status);
  let schema = response?.contents.find((m) => /json/i.test(m.mediaType))?.schema;
  const segments = place.path.split('/');
  if (schema === undefined || segments[0] !== 'body') return false;
  for (const segment of segments.slice(1)) {
    const flat = flattenSchema(schema, ir.schemas);
    if (flat === false || flat.oneOf || flat.anyOf) return false;
    const next: JsonSchema | undefined = /^(\d+|\*)$/.test(segment)
      ? (flat.items as JsonSchema | undefined)
      : flat.properties?.[segment.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (next === undefined) return false;
    schema = next;
  }
  return admitsNoValue(schema, ir);
}

/** Whether a step expecting success sends a JSON body that matches more than one branch of its body's `oneOf`. */
function sendsOverlappingOneOf(ir: ApiIr, step: TestPlan['cases'][number]['steps'][number]): boolean {
  if (step.body?.kind !== 'json' || !step.expect.status.some((s) => /^2/.test(s))) return false;
  const op = ir.operations.find((o) => o.id === step.operationId);
  const media = op?.requestBody?.contents.find((m) => m.mediaType === step.body?.mediaType);
  const flat = media?.schema === undefined ? undefined : flattenSchema(media.schema, ir.schemas);
  if (!flat || !Array.isArray(flat.oneOf)) return false;
  const env = { schemas: ir.schemas, view: 'request' as const };
  const matching = (flat.oneOf as JsonSchema[]).filter((branch) => conforms(branch, step.body?.value, env));
  return matching.length > 1;
}

/** The checks' own lines of a failure (`✗ check: message`), or its whole text when it has none. */
function checkLines(failure: string): string[] {
  const lines = [...failure.replace(/&#10;/g, '\n').matchAll(/✗ ([^\n]*)/g)].map((m) => m[1]!);
  return lines.length > 0 ? lines : [failure];
}

/**
 * Whose a failure is when the spec's facts explain it (`undefined`: the suite's, or the mock's own error
 * answers, which the bench finds from the requests). Every failed check of the failure must be explained:
 * one check the facts do not explain keeps the failure the suite's.
 */
export function attributeFailure(
  failure: string,
  facts: SpecFacts,
  answeredWithInvalidExample: (failure: string) => boolean,
): Attribution | undefined {
  // A case id is a word of the failure's text in every format (`[id]`, `test_id`, `id — title`). The case rules
  // explain a refused request only: every failed check says the valid request was not accepted.
  const words = new Set(failure.split(/\W+/).map((word) => word.replace(/^test_/, '')));
  const refused = checkLines(failure).every((line) =>
    /^(positive_data_acceptance|status_code_conformance):/.test(line),
  );
  const sends = (cases: ReadonlySet<string>): boolean =>
    refused && [...words].some((word) => cases.has(word));
  if (sends(facts.formlessMultipartCases))
    return {
      owner: 'spec',
      reason: 'formless multipart: the body schema of a multipart form is not an object',
    };
  if (sends(facts.repeatedFieldCases))
    return {
      owner: 'mock',
      reason: 'repeated form field: the mock keeps the last of a field sent once per array item',
    };
  if (sends(facts.overlappingOneOfCases))
    return {
      owner: 'spec',
      reason: 'overlapping oneOf: the request body matches several branches of its oneOf',
    };
  const schemaOnly = checkLines(failure).every((line) => line.startsWith('response_schema_conformance:'));
  if (schemaOnly && answeredWithInvalidExample(failure))
    return {
      owner: 'spec',
      reason: 'invalid example: the mock served a response example its schema rejects',
    };
  const reasons = checkLines(failure).map((line) => explainCheck(line, facts));
  if (reasons.length === 0 || reasons.some((r) => r === undefined)) return undefined;
  // The first reason names the class; a mock's failure wins over the spec's when both appear.
  return reasons.find((r) => r!.owner === 'mock') ?? reasons[0];
}

/** One failed check explained by the facts, or `undefined`. */
function explainCheck(line: string, facts: SpecFacts): Attribution | undefined {
  // `body does not match the N response schema of ID: ` and the validator's messages, joined by `; ` in every
  // runtime (a `… and N more` tail is never explained, so such a failure stays the suite's).
  const head = /^response_schema_conformance: body does not match the (\S+) response schema of (\S+): /.exec(
    line,
  );
  if (!head) return undefined;
  const [, status = '', operationId = ''] = head;
  const problems = line.slice(head[0].length).split('; ');
  const explained = problems.map((problem): Attribution | undefined => {
    const missing = /must have required property '([^']+)'/.exec(problem)?.[1];
    if (missing !== undefined && facts.undeclaredRequired.has(missing))
      return {
        owner: 'mock',
        reason: 'undeclared required: the mock leaves out a required property no schema declares',
      };
    const path =
      /^(body\S*) must (?:be (?:string|number|integer|boolean|object|array|null)\b|be equal to one of the allowed values|be one of\b)/.exec(
        problem,
      )?.[1];
    if (path !== undefined && facts.noValidValueAt({ operationId, status, path }))
      return {
        owner: 'spec',
        reason: 'no valid value: the schema of the place admits no value (enum outside its type)',
      };
    return undefined;
  });
  if (explained.some((e) => e === undefined)) return undefined;
  return explained.find((e) => e!.owner === 'mock') ?? explained[0];
}
