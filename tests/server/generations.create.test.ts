import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { JwksSchema } from '../../shared/contracts.ts';
import { verifyUsageToken } from '../../shared/usage-token.ts';
import {
  createUserWithToken,
  describeEachDb,
  generationBody,
  jsonRequest,
  postGeneration,
} from './harness.ts';

interface GenerationAnswer {
  generationId: string;
  usageToken: string;
  charged: boolean;
  usage: { plan: string; used: number; limit: number | null; remaining: number | null; periodEnd: string };
}

interface ErrorAnswer {
  error: { code: string; message: string; requestId: string; upgradeUrl?: string };
}

describeEachDb('POST /v1/generations', ({ server }) => {
  it('happy: grants a generation with a usage token that verifies against the JWKS', async () => {
    const { token, userId } = await createUserWithToken(server(), 'free');
    const body = generationBody({ formats: ['pytest', 'vitest'] });
    const response = await postGeneration(server(), token, body);
    expect(response.status).toBe(201);
    const answer = (await response.json()) as GenerationAnswer;
    expect(answer).toMatchObject({
      charged: true,
      usage: { plan: 'free', used: 1, limit: 5, remaining: 4 },
    });
    const jwks = JwksSchema.parse(await (await server().request('/.well-known/jwks.json')).json());
    const verified = await verifyUsageToken(answer.usageToken, {
      jwks,
      expected: { specHash: body.specHash as string, formats: ['pytest', 'vitest'] },
    });
    expect(verified).toMatchObject({
      ok: true,
      claims: { sub: userId, plan: 'free', gid: answer.generationId, specHash: body.specHash, ai: null },
    });
    if (verified.ok) expect(verified.claims.exp - verified.claims.iat).toBeLessThanOrEqual(900);
  });

  it('happy: re-running an unchanged spec is free (charged:false) and counts once', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    const body = generationBody();
    const first = (await (await postGeneration(server(), token, body)).json()) as GenerationAnswer;
    const again = await postGeneration(server(), token, { ...body, formats: ['pytest', 'jest'] });
    expect(again.status).toBe(201);
    const second = (await again.json()) as GenerationAnswer;
    expect(first.charged).toBe(true);
    expect(second).toMatchObject({ charged: false, usage: { used: 1, remaining: 4 } });
    expect(second.generationId).not.toBe(first.generationId);
  });

  it('happy: the same Idempotency-Key replays the first answer', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    const body = generationBody();
    const key = randomUUID();
    const first = await postGeneration(server(), token, body, key);
    const replay = await postGeneration(server(), token, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toEqual(await first.json());
    const me = (await (await server().request('/v1/me', jsonRequest('GET', token))).json()) as {
      usage: { used: number };
    };
    expect(me.usage.used).toBe(1);
  });

  it('error: the same Idempotency-Key with another body is 409 IDEMPOTENCY_CONFLICT', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    const key = randomUUID();
    await postGeneration(server(), token, generationBody(), key);
    const response = await postGeneration(server(), token, generationBody(), key);
    expect(response.status).toBe(409);
    expect(((await response.json()) as ErrorAnswer).error.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('error: the quota is counted by distinct spec and answers 402 with an upgrade URL', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    const bodies = Array.from({ length: 5 }, () => generationBody());
    for (const body of bodies) expect((await postGeneration(server(), token, body)).status).toBe(201);
    const over = await postGeneration(server(), token, generationBody());
    expect(over.status).toBe(402);
    const error = ((await over.json()) as ErrorAnswer).error;
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', upgradeUrl: 'http://licence.test/pricing' });
    expect(error.message).toContain('5 of 5');
    // An already-charged spec still runs for free after the quota is used up.
    const rerun = await postGeneration(server(), token, bodies[2]!);
    expect(rerun.status).toBe(201);
    expect(((await rerun.json()) as GenerationAnswer).usage).toMatchObject({ used: 5, remaining: 0 });
  });

  it('happy: a new billing period starts with a fresh quota', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    try {
      server().setNow(new Date('2031-03-31T23:59:00Z'));
      const body = generationBody();
      const march = (await (await postGeneration(server(), token, body)).json()) as GenerationAnswer;
      expect(march.usage).toMatchObject({ used: 1, periodEnd: '2031-04-01T00:00:00.000Z' });
      server().setNow(new Date('2031-04-01T00:01:00Z'));
      const april = (await (await postGeneration(server(), token, body)).json()) as GenerationAnswer;
      expect(april).toMatchObject({
        charged: true,
        usage: { used: 1, periodEnd: '2031-05-01T00:00:00.000Z' },
      });
    } finally {
      server().setNow(null);
    }
  });

  it('happy: enterprise is unlimited (limit and remaining null) and may use custom AI models', async () => {
    const { token } = await createUserWithToken(server(), 'enterprise');
    const response = await postGeneration(
      server(),
      token,
      generationBody({
        formats: ['k6', 'sql'],
        ai: { provider: 'openai', model: 'my-model', baseUrl: 'https://llm.internal' },
      }),
    );
    expect(response.status).toBe(201);
    expect(((await response.json()) as GenerationAnswer).usage).toMatchObject({
      plan: 'enterprise',
      limit: null,
      remaining: null,
    });
  });

  it.each([
    ['free', { formats: ['k6'] }, 'formats'],
    ['free', { ai: { provider: 'openai', model: 'gpt-4.1-mini' } }, 'ai'],
    ['pro', { ai: { provider: 'anthropic', model: 'claude-opus-custom' } }, 'customAiModels'],
    [
      'pro',
      { ai: { provider: 'openai', model: 'gpt-4.1-mini', baseUrl: 'https://x.test' } },
      'customAiModels',
    ],
  ] as const)(
    'error: %s plan without the feature → 403 FEATURE_NOT_IN_PLAN (%j)',
    async (plan, extra, feature) => {
      const { token } = await createUserWithToken(server(), plan);
      const response = await postGeneration(server(), token, generationBody(extra));
      expect(response.status).toBe(403);
      const body = (await response.json()) as ErrorAnswer & { error: { details: { feature: string } } };
      expect(body.error).toMatchObject({ code: 'FEATURE_NOT_IN_PLAN', details: { feature } });
      expect(body.error.upgradeUrl).toBe('http://licence.test/pricing');
    },
  );

  it('happy: pro may use AI with the default model', async () => {
    const { token } = await createUserWithToken(server(), 'pro');
    const response = await postGeneration(
      server(),
      token,
      generationBody({ formats: ['playwright'], ai: { provider: 'anthropic', model: 'claude-haiku-4-5' } }),
    );
    expect(response.status).toBe(201);
  });

  it.each([
    ['unknown field', generationBody({ extra: true })],
    ['bad hash', generationBody({ specHash: 'XYZ' })],
    ['no formats', generationBody({ formats: [] })],
    ['unknown format', generationBody({ formats: ['cobol'] })],
    ['repeated format', generationBody({ formats: ['pytest', 'pytest'] })],
    ['wrong type', generationBody({ operationCount: '12' })],
    ['missing field', { specHash: 'a'.repeat(64) }],
    ['array body', []],
  ])('error: %s → 400 VALIDATION_FAILED', async (_label, body) => {
    const { token } = await createUserWithToken(server(), 'free');
    const response = await server().request(
      '/v1/generations',
      jsonRequest('POST', token, body, { 'idempotency-key': randomUUID() }),
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as ErrorAnswer).error.code).toBe('VALIDATION_FAILED');
  });

  it('error: malformed JSON → 400, wrong content type → 415, missing key → 400', async () => {
    const { token } = await createUserWithToken(server(), 'free');
    const key = { 'idempotency-key': randomUUID() };
    const malformed = await server().request(
      '/v1/generations',
      jsonRequest('POST', token, '{"specHash":', key),
    );
    expect(malformed.status).toBe(400);
    expect(((await malformed.json()) as ErrorAnswer).error.code).toBe('BAD_REQUEST');
    const text = await server().request('/v1/generations', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain', ...key },
      body: JSON.stringify(generationBody()),
    });
    expect(text.status).toBe(415);
    const noKey = await server().request('/v1/generations', jsonRequest('POST', token, generationBody()));
    expect(noKey.status).toBe(400);
    expect(((await noKey.json()) as ErrorAnswer).error.message).toContain('Idempotency-Key');
  });

  it('security: no or bad credentials → 401 and nothing is recorded', async () => {
    const body = generationBody();
    for (const token of [null, 'smk_not-a-real-token', `smk_${'A'.repeat(43)}`, 'garbage.session']) {
      const response = await postGeneration(server(), token as string, body);
      expect(response.status).toBe(401);
      const error = ((await response.json()) as ErrorAnswer).error;
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(error.requestId).toBeTruthy();
    }
  });
});
