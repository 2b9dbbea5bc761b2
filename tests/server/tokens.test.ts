import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { adminSetPlan } from '../../server/admin/admin-actions.ts';
import { apiTokens } from '../../server/db/schema/api-tokens.ts';
import { hashCiToken, looksLikeCiToken, mintCiToken } from '../../server/tokens/ci-token.ts';
import { TokenCreatedSchema, TokenListSchema } from '../../shared/contracts.ts';
import { createUserWithToken, describeEachDb, jsonRequest, signUp, type TestServer } from './harness.ts';

function createTokenRequest(server: TestServer, session: string, name: string) {
  return server.request('/v1/tokens', jsonRequest('POST', session, { name }));
}

describeEachDb('/v1/tokens', ({ server, database }) => {
  it('happy: create shows the token once, stores only its sha256, lists without the secret', async () => {
    const { sessionToken } = await signUp(server());
    const response = await createTokenRequest(server(), sessionToken, 'github-actions');
    expect(response.status).toBe(201);
    const created = TokenCreatedSchema.parse(await response.json());
    expect(created.token).toMatch(/^smk_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);

    const [row] = await database().db.select().from(apiTokens).where(eq(apiTokens.id, created.id));
    expect(row?.tokenHash).toBe(hashCiToken(created.token));
    expect(JSON.stringify(row)).not.toContain(created.token);

    const list = TokenListSchema.parse(
      await (await server().request('/v1/tokens', jsonRequest('GET', sessionToken))).json(),
    );
    expect(list.items).toEqual([
      {
        id: created.id,
        name: 'github-actions',
        prefix: created.prefix,
        createdAt: created.createdAt,
        lastUsedAt: null,
      },
    ]);
    expect(JSON.stringify(list)).not.toContain(created.token);

    const me = await server().request('/v1/me', jsonRequest('GET', created.token));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ auth: 'ci-token' });
    const after = TokenListSchema.parse(
      await (await server().request('/v1/tokens', jsonRequest('GET', sessionToken))).json(),
    );
    expect(after.items[0]?.lastUsedAt).not.toBeNull();
  });

  it('error: the plan limits how many tokens exist (free: 1) → 409 TOKEN_LIMIT_REACHED', async () => {
    const { sessionToken, email } = await signUp(server());
    expect((await createTokenRequest(server(), sessionToken, 'one')).status).toBe(201);
    const second = await createTokenRequest(server(), sessionToken, 'two');
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ error: { code: 'TOKEN_LIMIT_REACHED' } });
    await adminSetPlan(server().deps, { email, plan: 'pro' });
    expect((await createTokenRequest(server(), sessionToken, 'two')).status).toBe(201);
  });

  it('error: concurrent creations cannot exceed the limit', async () => {
    const { sessionToken } = await signUp(server());
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, index) => createTokenRequest(server(), sessionToken, `t${index}`)),
    );
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1);
  });

  it('security: a revoked token is refused at once (401)', async () => {
    const { sessionToken } = await signUp(server());
    const created = TokenCreatedSchema.parse(
      await (await createTokenRequest(server(), sessionToken, 'ci')).json(),
    );
    expect((await server().request('/v1/me', jsonRequest('GET', created.token))).status).toBe(200);
    const revoked = await server().request(`/v1/tokens/${created.id}`, jsonRequest('DELETE', sessionToken));
    expect(revoked.status).toBe(204);
    const refused = await server().request('/v1/me', jsonRequest('GET', created.token));
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    const again = await server().request(`/v1/tokens/${created.id}`, jsonRequest('DELETE', sessionToken));
    expect(again.status).toBe(404);
  });

  it('security: users cannot see or revoke each other’s tokens', async () => {
    const alice = await signUp(server());
    const bob = await signUp(server());
    const created = TokenCreatedSchema.parse(
      await (await createTokenRequest(server(), alice.sessionToken, 'a')).json(),
    );
    const bobList = TokenListSchema.parse(
      await (await server().request('/v1/tokens', jsonRequest('GET', bob.sessionToken))).json(),
    );
    expect(bobList.items).toEqual([]);
    expect(
      (await server().request(`/v1/tokens/${created.id}`, jsonRequest('DELETE', bob.sessionToken))).status,
    ).toBe(404);
    expect((await server().request('/v1/me', jsonRequest('GET', created.token))).status).toBe(200);
  });

  it('security: a CI token can list but not create or revoke tokens', async () => {
    const { token } = await createUserWithToken(server(), 'pro');
    expect((await server().request('/v1/tokens', jsonRequest('GET', token))).status).toBe(200);
    const create = await createTokenRequest(server(), token, 'more');
    expect(create.status).toBe(403);
    expect(await create.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('error: bad names and ids are 4xx, never 500', async () => {
    const { sessionToken } = await signUp(server());
    expect((await createTokenRequest(server(), sessionToken, '')).status).toBe(400);
    expect((await createTokenRequest(server(), sessionToken, 'x'.repeat(65))).status).toBe(400);
    const extra = await server().request(
      '/v1/tokens',
      jsonRequest('POST', sessionToken, { name: 'a', admin: true }),
    );
    expect(extra.status).toBe(400);
    expect(
      (await server().request('/v1/tokens/not-a-uuid', jsonRequest('DELETE', sessionToken))).status,
    ).toBe(404);
  });
});

describe('CI token format', () => {
  it('CI tokens: 256-bit, recognisable, hashed', () => {
    const minted = mintCiToken();
    expect(looksLikeCiToken(minted.token)).toBe(true);
    expect(looksLikeCiToken('smk_short')).toBe(false);
    expect(minted.hash).toBe(hashCiToken(minted.token));
    expect(minted.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(mintCiToken().token).not.toBe(minted.token);
  });
});
