/**
 * Gets the proposals for each operation — from the cache, or from the provider (bounded concurrency,
 * retries) — and stops asking as soon as the provider fails for good.
 */
import type { ApiIr, IrOperation } from '../ir/types.ts';
import { cacheKey, readCache, writeCache } from './cache.ts';
import { estimateCostUsd } from './cost.ts';
import { sliceOperation } from './operation-slice.ts';
import { mapLimit } from './pool.ts';
import { PROMPT_VERSION, type ProposalKind, systemPrompt, userPrompt } from './prompt.ts';
import { type ProposalList, proposalJsonSchema } from './proposal-schema.ts';
import { type ProposalProvider, ProviderError, type TokenUsage } from './providers/types.ts';
import { withRetries } from './retry.ts';

/** Progress after each operation. */
export interface AiProgress {
  done: number;
  total: number;
  inputTokens: number;
  outputTokens: number;
  estimatedCostUsd: number;
}

/** Options of {@link askModel}. */
export interface AskOptions {
  provider: ProposalProvider;
  baseUrl?: string;
  cacheDir: string;
  redact: boolean;
  kinds: readonly ProposalKind[];
  concurrency: number;
  maxRetries: number;
  onProgress?: (progress: AiProgress) => void;
  /** Called on each retry, for a debug line. */
  onRetry?: (message: string) => void;
}

/** The answer for one operation. */
export type OperationAnswer =
  | { operationId: string; status: 'answered'; output: ProposalList; cached: boolean }
  | { operationId: string; status: 'malformed'; message: string }
  | { operationId: string; status: 'skipped' };

/** What the provider round produced. */
export interface AskResult {
  answers: OperationAnswer[];
  /** The error that ended the round early, if any. */
  failure?: ProviderError;
  usage: TokenUsage;
}

/** Asks about every operation of `ops`. Never throws for provider failures: see {@link AskResult.failure}. */
export async function askModel(
  ir: ApiIr,
  ops: readonly IrOperation[],
  options: AskOptions,
): Promise<AskResult> {
  const { provider } = options;
  const system = systemPrompt();
  const schema = proposalJsonSchema();
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  const abort = new AbortController();
  let failure: ProviderError | undefined;
  let done = 0;
  const report = (): void => {
    done += 1;
    options.onProgress?.({
      done,
      total: ops.length,
      ...usage,
      estimatedCostUsd: estimateCostUsd(provider.model, usage),
    });
  };
  const answers = await mapLimit(ops, options.concurrency, async (op): Promise<OperationAnswer> => {
    const user = userPrompt(sliceOperation(ir, op, { redact: options.redact }), options.kinds);
    const key = cacheKey({
      provider: provider.provider,
      model: provider.model,
      baseUrl: options.baseUrl,
      promptVersion: PROMPT_VERSION,
      operationId: op.id,
      system,
      user,
    });
    const cached = await readCache(options.cacheDir, op.id, key);
    if (cached) {
      report();
      return { operationId: op.id, status: 'answered', output: cached.output, cached: true };
    }
    if (abort.signal.aborted) return { operationId: op.id, status: 'skipped' };
    try {
      const answer = await withRetries(
        () => provider.propose({ system, user, schema, signal: abort.signal }),
        {
          maxRetries: options.maxRetries,
          signal: abort.signal,
          onRetry: ({ error, delayMs }) => options.onRetry?.(`${error.message}; retrying in ${delayMs} ms`),
        },
      );
      usage.inputTokens += answer.usage.inputTokens;
      usage.outputTokens += answer.usage.outputTokens;
      await writeCache(options.cacheDir, key, {
        cacheVersion: 1,
        provider: provider.provider,
        model: provider.model,
        promptVersion: PROMPT_VERSION,
        operationId: op.id,
        output: answer.output,
        usage: answer.usage,
      });
      report();
      return { operationId: op.id, status: 'answered', output: answer.output, cached: false };
    } catch (error) {
      if (error instanceof ProviderError && error.kind === 'malformed') {
        report();
        return { operationId: op.id, status: 'malformed', message: error.message };
      }
      if (!abort.signal.aborted) {
        failure = error instanceof ProviderError ? error : new ProviderError('connection', String(error));
        abort.abort();
      }
      return { operationId: op.id, status: 'skipped' };
    }
  });
  return { answers, failure, usage };
}
