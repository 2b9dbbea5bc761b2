/**
 * AI-enhanced test cases: asks an AI model (OpenAI or Anthropic, the user's own key) for extra scenarios per
 * operation, validates every proposal against the spec, and merges the accepted ones into the deterministic
 * plan, marked with `ai: {provider, model}`. Answers are cached, so re-runs make no request and give the same
 * plan. When the provider fails, the deterministic plan is returned unchanged with a warning.
 */
import type { ApiIr } from '../ir/types.ts';
import type { Category, TestPlan } from '../plan/types.ts';
import { askModel } from './ask-model.ts';
import { mergeProposals } from './merge-cases.ts';
import type { ProposalKind } from './prompt.ts';
import { createProvider } from './providers/create-provider.ts';

/** Options of {@link enhancePlan}. */
export interface AiOptions {
  provider: 'openai' | 'anthropic';
  model: string;
  /** A custom OpenAI-compatible (or Anthropic) endpoint; the provider's public API otherwise. */
  baseUrl?: string;
  /** The user's key (`OPENAI_API_KEY` / `ANTHROPIC_API_KEY`); sent to the provider only, never logged. */
  apiKey: string;
  /** Where answers are cached, e.g. `<config dir>/cache/ai`. */
  cacheDir: string;
  /** Leave descriptions, summaries and examples out of what is sent. @default false */
  redact?: boolean;
  /** Operations asked at once. @default 4 */
  concurrency?: number;
  /** Per-request timeout. @default 60000 */
  timeoutMs?: number;
  /** Retries of a failed request (429, 5xx, timeouts, malformed answers). @default 3 */
  maxRetries?: number;
  /**
   * The plan's categories: positive proposals become `contract` cases, negative ones `negative` cases, so
   * only the kinds whose category is selected are asked for. @default all
   */
  categories?: readonly Category[];
  onProgress?: (p: {
    done: number;
    total: number;
    inputTokens: number;
    outputTokens: number;
    estimatedCostUsd: number;
  }) => void;
  /** Debug lines (retries). Never contain the key. */
  onDebug?: (message: string) => void;
}

/** What happened, for the CLI's summary. */
export interface AiStats {
  /** Operations sent to the provider. */
  requested: number;
  /** Operations answered from the cache. */
  cached: number;
  /** Proposals received (fresh or cached). */
  proposed: number;
  /** Proposals that became test cases. */
  accepted: number;
  /** Proposals that failed validation. */
  rejected: number;
  rejections: Array<{ operationId: string; reason: string }>;
  /** True when the provider failed and the plan is the deterministic one. */
  fellBack: boolean;
  warnings: string[];
  inputTokens: number;
  outputTokens: number;
}

function kindsFor(categories: readonly Category[] | undefined): ProposalKind[] {
  const selected = categories && categories.length > 0 ? categories : ['contract', 'negative'];
  const kinds: ProposalKind[] = [];
  if (selected.includes('contract')) kinds.push('positive');
  if (selected.includes('negative')) kinds.push('negative');
  return kinds;
}

/** Removes the key from a message, should a provider ever echo it. */
function scrub(text: string, apiKey: string): string {
  return apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
}

/** Adds validated AI cases to `plan`. Never throws for provider failures (see {@link AiStats.fellBack}). */
export async function enhancePlan(
  ir: ApiIr,
  plan: TestPlan,
  options: AiOptions,
): Promise<{ plan: TestPlan; stats: AiStats }> {
  const stats: AiStats = {
    requested: 0,
    cached: 0,
    proposed: 0,
    accepted: 0,
    rejected: 0,
    rejections: [],
    fellBack: false,
    warnings: [],
    inputTokens: 0,
    outputTokens: 0,
  };
  const kinds = kindsFor(options.categories);
  const planned = new Set(plan.cases.map((c) => c.operationId));
  const ops = ir.operations.filter((op) => planned.has(op.id));
  if (kinds.length === 0 || ops.length === 0) return { plan, stats };
  const provider = createProvider(options.provider, {
    model: options.model,
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    timeoutMs: options.timeoutMs ?? 60_000,
  });
  const asked = await askModel(ir, ops, {
    provider,
    baseUrl: options.baseUrl,
    cacheDir: options.cacheDir,
    redact: options.redact === true,
    kinds,
    concurrency: options.concurrency ?? 4,
    maxRetries: options.maxRetries ?? 3,
    onProgress: options.onProgress,
    onRetry: (message) => options.onDebug?.(scrub(message, options.apiKey)),
  });
  stats.inputTokens = asked.usage.inputTokens;
  stats.outputTokens = asked.usage.outputTokens;
  for (const answer of asked.answers) {
    if (answer.status === 'answered') {
      if (answer.cached) stats.cached += 1;
      else stats.requested += 1;
    } else if (answer.status === 'malformed') {
      stats.requested += 1;
      stats.warnings.push(scrub(`No AI cases for ${answer.operationId}: ${answer.message}.`, options.apiKey));
    }
  }
  if (asked.failure) {
    stats.fellBack = true;
    const hint =
      asked.failure.kind === 'auth'
        ? ` Check ${options.provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY'}.`
        : '';
    stats.warnings.push(
      scrub(
        `AI-enhanced cases skipped: ${asked.failure.message}.${hint} The suites contain the deterministic cases only; answers received so far are cached for the next run.`,
        options.apiKey,
      ),
    );
    return { plan, stats };
  }
  const merged = mergeProposals({
    ir,
    plan,
    answers: asked.answers,
    kinds,
    ai: { provider: options.provider, model: options.model },
  });
  stats.proposed = merged.proposed;
  stats.accepted = merged.accepted;
  stats.rejections = merged.rejections.map((r) => ({
    operationId: r.operationId,
    reason: scrub(r.reason, options.apiKey),
  }));
  stats.rejected = merged.rejections.length;
  return { plan: { ...plan, cases: merged.cases }, stats };
}
