/**
 * enhancePlan with the real `openai` and `@anthropic-ai/sdk` clients pointed at loopback fakes of their APIs:
 * proposals merged and rendered, invalid ones rejected and counted, the cache, retries, outages, redaction and
 * where the key goes. Every test runs against both wire formats.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { enhancePlan } from '../../cli/engine/ai/enhance-plan.ts';
import type { ApiIr } from '../../cli/engine/ir/types.ts';
import { planTests } from '../../cli/engine/plan/plan-tests.ts';
import type { TestPlan } from '../../cli/engine/plan/types.ts';
import { RENDERERS } from '../../cli/engine/render/registry.ts';
import type { FakeProvider } from './fake-provider-core.ts';
import { loadPetstoreIr } from './petstore-ir.ts';
import { expectedCounts, proposalsByOperation } from './petstore-proposals.ts';
import { freshCacheDir, optionsFor, PROVIDERS_UNDER_TEST, TEST_KEY } from './provider-fixtures.ts';

let ir: ApiIr;
let basePlan: TestPlan;
const fakes: FakeProvider[] = [];

beforeAll(async () => {
  ir = await loadPetstoreIr();
  basePlan = planTests(ir, { seed: 1 });
});

afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

/** Renderers that render AI cases without marking them yet, and why (owned by their renderer engineer). */
const MARKING_GAPS: Record<string, string> = {};

const OPERATIONS = ['getHealth', 'listPets', 'createPet', 'getPet', 'updatePet', 'deletePet', 'createOwner'];

describe.each(PROVIDERS_UNDER_TEST)('enhancePlan with $name', (p) => {
  async function start(behaviour: Parameters<typeof p.start>[0]): Promise<FakeProvider> {
    const fake = await p.start(behaviour);
    fakes.push(fake);
    return fake;
  }

  test('merges valid proposals, rejects and counts invalid ones, and every renderer shows them', async () => {
    const fake = await start({ apiKey: TEST_KEY, proposals: proposalsByOperation() });
    const progress: number[] = [];
    const { plan, stats } = await enhancePlan(
      ir,
      basePlan,
      optionsFor(p, fake, { onProgress: (e) => progress.push(e.done) }),
    );
    const counts = expectedCounts();
    expect(fake.askedOperations().sort()).toEqual([...OPERATIONS].sort());
    expect(stats).toMatchObject({ requested: OPERATIONS.length, cached: 0, fellBack: false, warnings: [] });
    expect(stats.accepted, JSON.stringify(stats.rejections, null, 2)).toBe(counts.accepted);
    expect(stats.rejected).toBe(counts.rejected);
    expect(stats.proposed).toBe(counts.accepted + counts.rejected);
    expect(stats.inputTokens).toBeGreaterThan(0);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(stats.rejections.map((r) => r.reason).join('\n')).toMatch(
      /sends the same requests as case getPet_contract_typical/,
    );

    const ai = plan.cases.filter((c) => c.ai);
    expect(ai).toHaveLength(counts.accepted);
    expect(plan.cases.length).toBe(basePlan.cases.length + counts.accepted);
    expect(new Set(plan.cases.map((c) => c.id)).size).toBe(plan.cases.length);
    for (const c of ai) {
      expect(c.ai).toEqual({ provider: p.name, model: p.model });
      expect(c.id).toMatch(/^[A-Za-z_][A-Za-z0-9_]*_ai_(contract|negative)_[a-z0-9_]+$/);
    }
    // Named by what they test, not by their position among the answers.
    const usDate = ai.find((c) => c.title.includes('birth date in US notation'));
    expect(usDate?.id).toMatch(/^createPet_ai_negative_rejects_a_birth_[a-z0-9_]+$/);
    // The deterministic cases are untouched and keep their order.
    expect(plan.cases.filter((c) => !c.ai)).toEqual(basePlan.cases);

    for (const [format, renderer] of Object.entries(RENDERERS)) {
      const rendered = renderer.render(plan, { generatorVersion: '0.0.0-test' });
      const reported = rendered.diagnostics.map((d) => d.message).join('\n');
      // Every AI case is rendered, or reported like a deterministic case of its category would be.
      const lost = ai.filter((c) => !rendered.renderedCaseIds.includes(c.id) && !reported.includes(c.id));
      expect(
        lost.map((c) => c.id),
        `${format} silently dropped AI cases`,
      ).toEqual([]);
      const shown = ai.filter((c) => rendered.renderedCaseIds.includes(c.id));
      if (format !== 'sql') expect(shown.length, `${format} rendered no AI case`).toBeGreaterThan(0);
      const text = rendered.files.map((f) => f.contents).join('\n');
      if (shown.length > 0 && MARKING_GAPS[format]) {
        // Known gap: when the renderer starts marking AI cases, this fails; then drop it from MARKING_GAPS.
        expect(text, `${format} marks AI cases now: remove it from MARKING_GAPS`).not.toContain(p.model);
      } else if (shown.length > 0) {
        expect(text, `${format} does not name the model of its AI cases`).toContain(p.model);
      }
      expect(text).not.toContain(TEST_KEY);
    }
  });

  test('a re-run is answered from the cache: no request, the same plan', async () => {
    const fake = await start({ apiKey: TEST_KEY, proposals: proposalsByOperation() });
    const cacheDir = freshCacheDir();
    const first = await enhancePlan(ir, basePlan, optionsFor(p, fake, { cacheDir }));
    const requestsAfterFirst = fake.modelRequests().length;
    expect(requestsAfterFirst).toBe(OPERATIONS.length);
    const second = await enhancePlan(ir, basePlan, optionsFor(p, fake, { cacheDir }));
    expect(fake.modelRequests().length).toBe(requestsAfterFirst);
    expect(second.stats).toMatchObject({
      requested: 0,
      cached: OPERATIONS.length,
      inputTokens: 0,
      fellBack: false,
    });
    expect(second.plan).toEqual(first.plan);
    // A different model is a different cache entry.
    await enhancePlan(ir, basePlan, optionsFor(p, fake, { cacheDir, model: `${p.model}-other` }));
    expect(fake.modelRequests().length).toBe(requestsAfterFirst + OPERATIONS.length);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(OPERATIONS.length * 2);
    for (const file of files) expect(readFileSync(join(cacheDir, file), 'utf8')).not.toContain(TEST_KEY);
  });

  test('retries a rate limit after Retry-After and an overload with backoff', async () => {
    const fake = await start({
      apiKey: TEST_KEY,
      proposals: proposalsByOperation(),
      failFirst: [
        {
          status: 429,
          headers: { 'retry-after': '1' },
          body: { error: { message: 'Rate limit reached', type: 'rate_limit_error' } },
        },
        { status: p.overloadStatus, body: { error: { message: 'Overloaded', type: 'overloaded_error' } } },
      ],
    });
    const started = Date.now();
    const { plan, stats } = await enhancePlan(
      ir,
      basePlan,
      optionsFor(p, fake, { concurrency: 1, maxRetries: 3 }),
    );
    const elapsed = Date.now() - started;
    expect(stats.fellBack).toBe(false);
    expect(stats.accepted).toBe(expectedCounts().accepted);
    expect(plan.cases.some((c) => c.ai)).toBe(true);
    expect(fake.modelRequests().length).toBe(OPERATIONS.length + 2);
    expect(elapsed).toBeGreaterThanOrEqual(1000);
  });

  test('a provider outage falls back to the deterministic plan with a warning', async () => {
    const fake = await start({
      apiKey: TEST_KEY,
      always: { status: p.overloadStatus, body: { error: { message: 'Service unavailable' } } },
    });
    const { plan, stats } = await enhancePlan(
      ir,
      basePlan,
      optionsFor(p, fake, { maxRetries: 1, concurrency: 2 }),
    );
    expect(plan).toEqual(basePlan);
    expect(stats.fellBack).toBe(true);
    expect(stats.warnings.join('\n')).toMatch(
      new RegExp(`AI-enhanced cases skipped: .*answered ${p.overloadStatus}`),
    );
    // It stops asking once the provider has failed for good: at most the in-flight operations were tried.
    expect(fake.modelRequests().length).toBeLessThanOrEqual(2 * 2);
  });

  test('an unreachable endpoint falls back too', async () => {
    const fake = await start({ apiKey: TEST_KEY });
    const options = optionsFor(p, fake, { maxRetries: 0 });
    await fake.close();
    const { plan, stats } = await enhancePlan(ir, basePlan, options);
    expect(plan).toEqual(basePlan);
    expect(stats.fellBack).toBe(true);
    expect(stats.warnings[0]).toMatch(/could not be reached/);
  });

  test('a provider that does not answer in time is abandoned after the retries', async () => {
    const fake = await start({ apiKey: TEST_KEY, delayMs: 3000 });
    const started = Date.now();
    const { plan, stats } = await enhancePlan(
      ir,
      basePlan,
      optionsFor(p, fake, { timeoutMs: 300, maxRetries: 1, concurrency: 1 }),
    );
    expect(Date.now() - started).toBeLessThan(2500);
    expect(plan).toEqual(basePlan);
    expect(stats.fellBack).toBe(true);
    expect(stats.warnings[0]).toMatch(/did not answer in time/);
    expect(fake.modelRequests()).toHaveLength(2);
  });

  test('a wrong key is not retried, and the warning does not repeat the key', async () => {
    const fake = await start({ apiKey: 'sk-the-right-one' });
    const { plan, stats } = await enhancePlan(
      ir,
      basePlan,
      optionsFor(p, fake, { maxRetries: 3, concurrency: 1 }),
    );
    expect(plan).toEqual(basePlan);
    expect(stats.fellBack).toBe(true);
    expect(fake.modelRequests()).toHaveLength(1);
    const warning = stats.warnings.join('\n');
    expect(warning).toMatch(/answered 401/);
    expect(warning).toMatch(p.name === 'openai' ? /OPENAI_API_KEY/ : /ANTHROPIC_API_KEY/);
    expect(warning).toContain('[redacted]');
    expect(warning).not.toContain(TEST_KEY);
  });

  test('a malformed answer is retried, then skipped with a warning (no fallback)', async () => {
    const fake = await start({ apiKey: TEST_KEY, malformedOutput: { cases: 'none' } });
    const { plan, stats } = await enhancePlan(
      ir,
      basePlan,
      optionsFor(p, fake, { maxRetries: 1, concurrency: 1 }),
    );
    expect(stats.fellBack).toBe(false);
    expect(plan.cases).toEqual(basePlan.cases);
    expect(stats.warnings).toHaveLength(OPERATIONS.length);
    expect(stats.warnings[0]).toMatch(/does not match the proposal schema/);
    expect(fake.modelRequests()).toHaveLength(OPERATIONS.length * 2);
  });

  test('only the operation slice is sent; redact strips descriptions and examples', async () => {
    const fake = await start({ apiKey: TEST_KEY });
    await enhancePlan(ir, basePlan, optionsFor(p, fake));
    const plain = fake.requests.map((r) => r.rawBody).join('\n');
    expect(plain).toContain('A page of pets');
    expect(plain).toContain('friendly');
    // Each prompt holds one operation and nothing of the others (nor the spec's info text).
    for (const request of fake.modelRequests()) {
      const slice = userSlice(request.rawBody) as { operationId: string };
      const text = JSON.stringify(slice);
      const others = OPERATIONS.filter((id) => id !== slice.operationId && text.includes(`"${id}"`));
      expect(others, `prompt of ${slice.operationId}`).toEqual([]);
    }
    expect(plain).not.toContain('seeded fault');

    const redactedFake = await start({ apiKey: TEST_KEY });
    await enhancePlan(ir, basePlan, optionsFor(p, redactedFake, { redact: true }));
    expect(redactedFake.modelRequests()).toHaveLength(OPERATIONS.length);
    for (const request of redactedFake.modelRequests()) {
      const user = userSlice(request.rawBody);
      expect(findKeys(user, ['description', 'example', 'examples', 'summary'])).toEqual([]);
      expect(request.rawBody).not.toContain('A page of pets');
      expect(request.rawBody).not.toContain('friendly');
      expect(request.rawBody).not.toContain('List pets');
    }
  });

  test('the key goes to the provider only, in its auth header', async () => {
    const fake = await start({ apiKey: TEST_KEY, proposals: proposalsByOperation() });
    const options = optionsFor(p, fake);
    const { plan, stats } = await enhancePlan(ir, basePlan, options);
    expect(fake.requests).toHaveLength(OPERATIONS.length);
    for (const request of fake.requests) {
      const { authorization, 'x-api-key': apiKey } = request.headers;
      expect(
        authorization === `Bearer ${TEST_KEY}` || apiKey === TEST_KEY,
        JSON.stringify(request.headers),
      ).toBe(true);
      expect(request.rawBody).not.toContain(TEST_KEY);
      // Nothing else carries it (no stray header).
      const others = Object.entries(request.headers).filter(
        ([name]) => name !== 'authorization' && name !== 'x-api-key',
      );
      expect(JSON.stringify(others)).not.toContain(TEST_KEY);
    }
    expect(JSON.stringify(plan)).not.toContain(TEST_KEY);
    expect(JSON.stringify(stats)).not.toContain(TEST_KEY);
    for (const file of readdirSync(options.cacheDir)) {
      expect(readFileSync(join(options.cacheDir, file), 'utf8')).not.toContain(TEST_KEY);
    }
  });

  test('categories limit what is asked for and kept', async () => {
    const fake = await start({ apiKey: TEST_KEY, proposals: proposalsByOperation() });
    const negativeOnly = planTests(ir, { seed: 1, categories: ['negative'] });
    const { plan, stats } = await enhancePlan(
      ir,
      negativeOnly,
      optionsFor(p, fake, { categories: ['negative'] }),
    );
    expect(plan.cases.filter((c) => c.ai).every((c) => c.category === 'negative')).toBe(true);
    expect(plan.cases.some((c) => c.ai)).toBe(true);
    expect(stats.rejections.some((r) => /positive cases were not asked for/.test(r.reason))).toBe(true);
    expect(fake.modelRequests()[0]?.rawBody).toContain('Propose only \\"negative\\" cases');
  });
});

/** The operation slice JSON inside a recorded request body. */
function userSlice(rawBody: string): unknown {
  const body = JSON.parse(rawBody) as { messages: Array<{ role: string; content: string }> };
  const user = body.messages.find((m) => m.role === 'user')?.content ?? '';
  return JSON.parse(user.slice(user.indexOf('{')));
}

/** Paths of object keys named one of `names`, anywhere in `value` (schema keywords, not property names). */
function findKeys(value: unknown, names: string[], path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findKeys(v, names, `${path}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  for (const [key, sub] of Object.entries(value)) {
    const inPropertyMap = path.endsWith('/properties');
    if (!inPropertyMap && names.includes(key)) out.push(`${path}/${key}`);
    out.push(...findKeys(sub, names, `${path}/${key}`));
  }
  return out;
}
