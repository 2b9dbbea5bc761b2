/** Validation of a model's structured answer, shared by the providers. */
import { type ProposalList, ProposalListSchema } from '../proposal-schema.ts';
import { ProviderError } from './types.ts';

/** Validates an already-parsed answer against the proposal schema; a mismatch is a `malformed` error. */
export function parseProposalOutput(value: unknown, label: string): ProposalList {
  const parsed = ProposalListSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown problem';
  throw new ProviderError(
    'malformed',
    `${label} answered with output that does not match the proposal schema (${where})`,
  );
}

/** Parses a JSON text answer and validates it. */
export function parseAnswerText(text: string | null | undefined, label: string): ProposalList {
  if (!text) throw new ProviderError('malformed', `${label} answered without content`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ProviderError('malformed', `${label} answered with text that is not JSON`);
  }
  return parseProposalOutput(json, label);
}
