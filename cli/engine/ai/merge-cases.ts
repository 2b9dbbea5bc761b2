/**
 * Validates every proposal and merges the accepted ones into the plan: ids unique and deterministic
 * (`createPet_ai_negative_1`), each operation's AI cases right after its deterministic ones, duplicates of
 * existing requests dropped.
 */

import { shortHash } from '../data/class-keys.ts';
import type { ApiIr } from '../ir/types.ts';
import { identifier } from '../plan/case-ids.ts';
import { buildOperationContext, createPlanContext } from '../plan/operation-context.ts';
import type { TestCase, TestPlan } from '../plan/types.ts';
import type { OperationAnswer } from './ask-model.ts';
import type { ProposalKind } from './prompt.ts';
import { MAX_PROPOSALS_PER_OPERATION } from './proposal-schema.ts';
import { cleanTitle, validateProposal } from './validate-proposal.ts';

/** Counts and the merged cases. */
export interface MergeResult {
  cases: TestCase[];
  proposed: number;
  accepted: number;
  rejections: Array<{ operationId: string; reason: string }>;
}

/**
 * The request a case sends, for spotting duplicates: its last step whole, and which resources its setup
 * creates (not their bodies, whose names and codes each case varies: plan/unique-values.ts).
 */
function requestKey(c: Pick<TestCase, 'steps'>): string {
  const setup = c.steps.slice(0, -1).map((step) => [step.operationId, step.path, step.capture]);
  return JSON.stringify([setup, c.steps.at(-1)]);
}

/** Merges the validated proposals of `answers` into `plan.cases`. Pure and deterministic. */
export function mergeProposals(input: {
  ir: ApiIr;
  plan: TestPlan;
  answers: readonly OperationAnswer[];
  kinds: readonly ProposalKind[];
  ai: { provider: string; model: string };
}): MergeResult {
  const { ir, plan } = input;
  const ctx = createPlanContext(ir, plan.seed, plan.pathParams);
  const ids = new Set(plan.cases.map((c) => c.id));
  const seen = new Map(plan.cases.map((c) => [requestKey(c), c.id]));
  const known = new Set(plan.operations.map((o) => o.id));
  const byOperation = new Map<string, TestCase[]>();
  const result: MergeResult = { cases: [], proposed: 0, accepted: 0, rejections: [] };
  for (const answer of input.answers) {
    if (answer.status !== 'answered') continue;
    const op = ir.operations.find((o) => o.id === answer.operationId);
    if (!op) continue;
    const octx = buildOperationContext(ctx, op);
    for (const proposal of answer.output.proposals.slice(0, MAX_PROPOSALS_PER_OPERATION)) {
      result.proposed += 1;
      const rejectWith = (reason: string): void => {
        result.rejections.push({
          operationId: op.id,
          reason: `${reason} (proposal "${cleanTitle(proposal.title)}")`,
        });
      };
      if (!input.kinds.includes(proposal.kind)) {
        rejectWith(`${proposal.kind} cases were not asked for (categories)`);
        continue;
      }
      const validation = validateProposal({ ir, octx }, proposal);
      if (!validation.ok) {
        rejectWith(validation.reason);
        continue;
      }
      const planned = validation.planned;
      const duplicate = seen.get(requestKey(planned));
      if (duplicate !== undefined) {
        rejectWith(`sends the same requests as case ${duplicate}`);
        continue;
      }
      const outside = planned.steps.find((step) => !known.has(step.operationId));
      if (outside) {
        rejectWith(`needs operation ${outside.operationId}, which is outside the selected operations`);
        continue;
      }
      // Named by what the case is (its title), never by its position among the answers.
      const { key, ...rest } = planned;
      const base = identifier(`${op.id}_ai_${planned.category}_${key}`);
      let id = base;
      if (ids.has(id)) id = `${base}_${shortHash(JSON.stringify(planned.steps))}`;
      for (let n = 2; ids.has(id); n++) id = `${base}_${n}`;
      ids.add(id);
      const testCase: TestCase = { id, ...rest, ai: { ...input.ai } };
      seen.set(requestKey(testCase), id);
      const list = byOperation.get(op.id) ?? [];
      list.push(testCase);
      byOperation.set(op.id, list);
      result.accepted += 1;
    }
  }
  const last = new Map<string, number>();
  for (const [index, c] of plan.cases.entries()) last.set(c.operationId, index);
  plan.cases.forEach((c, index) => {
    result.cases.push(c);
    if (last.get(c.operationId) === index) result.cases.push(...(byOperation.get(c.operationId) ?? []));
  });
  return result;
}
