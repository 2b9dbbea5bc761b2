/**
 * `pathParams` (`specmint generate --path-param owner=octocat`): values for path parameters that name
 * resources known to exist. They are sent as given, the operations under them expect success, and the
 * lifecycle flows under them (create → read → update → delete) can be planned.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiIr } from '../../../cli/engine/ir/types.ts';
import { prepareSpec } from '../../../cli/engine/pipeline.ts';
import { planTests } from '../../../cli/engine/plan/plan-tests.ts';

const SPEC = join(import.meta.dirname, '../../fixtures/specs/nested/repo-issues.yaml');

let ir: ApiIr;

beforeAll(async () => {
  ir = (await prepareSpec(SPEC)).ir;
});

describe('path parameter values', () => {
  it('without them, parents are synthesised, 404 is acceptable and no flow is planned', () => {
    const plan = planTests(ir, { seed: 1 });
    expect(plan.pathParams).toBeUndefined();
    expect(plan.cases.filter((c) => c.category === 'stateful')).toEqual([]);
    const contract = plan.cases.find((c) => c.operationId === 'createIssue' && c.category === 'contract');
    expect(contract?.steps.at(-1)?.expect.status).toEqual(['201', '404']);
  });

  it('with them, they are sent as given, success is expected and the lifecycle is planned', () => {
    const pathParams = { repo: 'hello-world', owner: 'octocat' };
    const plan = planTests(ir, { seed: 1, pathParams });
    expect(plan.pathParams).toEqual({ owner: 'octocat', repo: 'hello-world' });
    expect(Object.keys(plan.pathParams ?? {})).toEqual(['owner', 'repo']);
    const contract = plan.cases.find((c) => c.operationId === 'createIssue' && c.category === 'contract');
    expect(contract?.steps.at(-1)?.expect.status).toEqual(['201']);
    expect(JSON.stringify(contract?.steps.at(-1)?.path)).toContain('octocat');
    const [flow, ...others] = plan.cases.filter((c) => c.category === 'stateful');
    expect(others).toEqual([]);
    expect(flow?.title).toBe(
      'Lifecycle of /repos/{owner}/{repo}/issues: POST /repos/{owner}/{repo}/issues → GET → DELETE → GET is gone',
    );
    // The created issue is read back by its number, the parameter's last word.
    expect(flow?.steps[0]?.capture).toEqual({ issue_number: '/number' });
    for (const step of flow?.steps ?? []) expect(JSON.stringify(step.path)).toContain('hello-world');
    // A parameter the user did not give still gets a synthesised value and its setup.
    const read = plan.cases.find((c) => c.operationId === 'getIssue' && c.category === 'contract');
    expect(read?.steps.map((s) => s.operationId)).toEqual(['createIssue', 'getIssue']);
  });

  it('is deterministic', () => {
    const a = planTests(ir, { seed: 3, pathParams: { owner: 'o', repo: 'r' } });
    const b = planTests(ir, { seed: 3, pathParams: { repo: 'r', owner: 'o' } });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});
