/**
 * The structured output a model must answer with: a list of test-case proposals for one operation. The same
 * zod schema validates every answer (fresh or cached) and, converted to JSON Schema, is what the providers'
 * structured-output features enforce (OpenAI `response_format: json_schema` in strict mode, Anthropic a
 * forced tool's `input_schema`).
 *
 * Values travel as JSON text (`"5"`, `"\"dog\""`, `"{\"name\":\"Rex\"}"`) because strict structured output
 * cannot describe "any JSON value"; {@link decodeJsonText} turns them back into values.
 */
import * as z from 'zod';

/** Parameter locations a proposal may set. */
export const PARAM_LOCATIONS = ['path', 'query', 'header', 'cookie'] as const;

/** One parameter value of a proposal. */
export const ProposalParamSchema = z.object({
  in: z.enum(PARAM_LOCATIONS),
  name: z.string().min(1).max(200),
  /** The value as JSON text: `5`, `"dog"`, `["a","b"]`. */
  value: z.string().max(10_000),
});

/** One proposed test case. */
export const ProposalSchema = z.object({
  kind: z.enum(['positive', 'negative']),
  /** One line saying what the case tests. */
  title: z.string().min(1).max(500),
  /** Every parameter the request sends (leave out a parameter to not send it). */
  params: z.array(ProposalParamSchema).max(50),
  /** The request body as JSON text, or null to send no body. */
  body: z.string().max(50_000).nullable(),
  /** The status the API should answer: `201`, `400`, `4XX`. */
  expectStatus: z.string().min(1).max(10),
  /** Negative cases: the one location that is invalid (`body/age`, `query/limit`); null for positive cases. */
  violates: z.string().max(500).nullable(),
});
export type Proposal = z.infer<typeof ProposalSchema>;
export type ProposalParam = z.infer<typeof ProposalParamSchema>;

/** The whole answer for one operation. */
export const ProposalListSchema = z.object({ proposals: z.array(ProposalSchema).max(50) });
export type ProposalList = z.infer<typeof ProposalListSchema>;

/** At most this many proposals of one answer are considered (the rest are ignored). */
export const MAX_PROPOSALS_PER_OPERATION = 8;

/** Size keywords left out of the schema sent to providers (strict modes support only a subset of JSON Schema). */
const SIZE_KEYWORDS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems']);

function withoutSizes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSizes);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of Object.entries(value)) if (!SIZE_KEYWORDS.has(key)) out[key] = withoutSizes(sub);
  return out;
}

/**
 * The answer's JSON Schema, for the providers' structured-output settings: every object closed and every
 * property required (OpenAI strict mode), size limits left to the zod check of the answer.
 */
export function proposalJsonSchema(): Record<string, unknown> {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(ProposalListSchema) as Record<string, unknown>;
  return withoutSizes(schema) as Record<string, unknown>;
}

/** Result of decoding a JSON-text value. */
export type Decoded = { ok: true; value: unknown } | { ok: false; error: string };

/** Parses JSON text; models sometimes send a bare word for a string, which is taken as that string. */
export function decodeJsonText(text: string, options: { bareStrings: boolean }): Decoded {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    if (options.bareStrings) return { ok: true, value: text };
    return { ok: false, error: `is not valid JSON (${(error as Error).message})` };
  }
}
