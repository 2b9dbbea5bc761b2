import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type RunningSut, startSut } from './petstore-server.ts';
import { type CallOptions, callSut, FULL_PET, responseProblem } from './test-client.ts';

let sut: RunningSut;
beforeEach(async () => {
  sut = await startSut();
});
afterEach(async () => {
  await sut.close();
});

/** Calls the SUT and asserts the response conforms to `operationId`'s declared responses. */
async function call(operationId: string, path: string, options?: CallOptions) {
  const result = await callSut(sut.url, path, options);
  expect(
    responseProblem(operationId, result),
    `${operationId} ${path} → ${result.status} ${result.text}`,
  ).toBeNull();
  return result;
}

async function createPet(body: unknown = FULL_PET): Promise<Record<string, unknown>> {
  const result = await call('createPet', '/pets', { method: 'POST', body });
  expect(result.status).toBe(201);
  return result.body as Record<string, unknown>;
}

describe('getHealth', () => {
  it('answers 200 {status: ok} without credentials', async () => {
    const result = await call('getHealth', '/health', { auth: 'none' });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ status: 'ok' });
  });
});

describe('createPet', () => {
  it('answers 201 with the full pet, ids counting from 1', async () => {
    const first = await createPet();
    expect(first).toMatchObject({ id: 1, ...FULL_PET });
    expect(new Date(String(first.createdAt)).toISOString()).toBe(first.createdAt);
    const second = await createPet({ name: 'Tom', species: 'cat', microchip: null });
    expect(second).toEqual({
      id: 2,
      name: 'Tom',
      species: 'cat',
      microchip: null,
      createdAt: second.createdAt,
    });
  });

  it('starts every server with an empty store', async () => {
    await createPet();
    const other = await startSut();
    try {
      const result = await callSut(other.url, '/pets', { method: 'POST', body: FULL_PET });
      expect((result.body as { id: number }).id).toBe(1);
    } finally {
      await other.close();
    }
  });

  const invalidBodies: [string, CallOptions][] = [
    ['invalid JSON', { rawBody: '{"name": "Rex",' }],
    ['text/plain content type', { rawBody: JSON.stringify(FULL_PET), contentType: 'text/plain' }],
    ['no body', {}],
    ['empty body', { rawBody: '' }],
    ['a JSON array', { body: [FULL_PET] }],
    ['a JSON string', { body: 'Rex' }],
    ['JSON null', { rawBody: 'null' }],
    ['missing name', { body: { species: 'dog' } }],
    ['missing species', { body: { name: 'Rex' } }],
    ['empty name', { body: { name: '', species: 'dog' } }],
    ['name over 40 chars', { body: { name: 'x'.repeat(41), species: 'dog' } }],
    ['species outside the enum', { body: { name: 'Rex', species: 'dragon' } }],
    ['age below 0', { body: { name: 'Rex', species: 'dog', age: -1 } }],
    ['age above 50', { body: { name: 'Rex', species: 'dog', age: 51 } }],
    ['age not an integer', { body: { name: 'Rex', species: 'dog', age: 1.5 } }],
    ['age as a string', { body: { name: 'Rex', species: 'dog', age: '3' } }],
    ['weightKg of 0 (exclusive minimum)', { body: { name: 'Rex', species: 'dog', weightKg: 0 } }],
    ['weightKg above 500', { body: { name: 'Rex', species: 'dog', weightKg: 500.5 } }],
    ['status outside the enum', { body: { name: 'Rex', species: 'dog', status: 'lost' } }],
    ['six tags', { body: { name: 'Rex', species: 'dog', tags: ['a', 'b', 'c', 'd', 'e', 'f'] } }],
    ['an empty tag', { body: { name: 'Rex', species: 'dog', tags: [''] } }],
    ['microchip not matching the pattern', { body: { name: 'Rex', species: 'dog', microchip: 'abc-123' } }],
    ['birthDate not a date', { body: { name: 'Rex', species: 'dog', birthDate: '2021-13-45' } }],
    ['readOnly id', { body: { ...FULL_PET, id: 7 } }],
    ['readOnly createdAt', { body: { ...FULL_PET, createdAt: '2024-01-01T00:00:00Z' } }],
    ['an unknown property', { body: { ...FULL_PET, colour: 'brown' } }],
  ];
  it.each(invalidBodies)('answers 400 {code, message} to %s', async (_name, options) => {
    const result = await call('createPet', '/pets', { method: 'POST', ...options });
    expect(result.status).toBe(400);
    expect(result.body).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const list = await call('listPets', '/pets');
    expect(list.body).toEqual({ items: [], total: 0 });
  });

  it('accepts boundary values', async () => {
    const pet = await createPet({
      name: 'x'.repeat(40),
      species: 'fish',
      age: 50,
      weightKg: 0.01,
      tags: ['a', 'b', 'c', 'd', 'x'.repeat(20)],
    });
    expect(pet).toMatchObject({ age: 50, weightKg: 0.01 });
    await createPet({ name: 'y', species: 'bird', age: 0, weightKg: 500 });
  });

  it('accepts application/json with a charset', async () => {
    const result = await call('createPet', '/pets', {
      method: 'POST',
      rawBody: JSON.stringify(FULL_PET),
      contentType: 'application/json; charset=utf-8',
    });
    expect(result.status).toBe(201);
  });
});

describe('getPet', () => {
  it('returns a created pet', async () => {
    const created = await createPet();
    const result = await call('getPet', `/pets/${created.id}`);
    expect(result.status).toBe(200);
    expect(result.body).toEqual(created);
  });

  it('answers 404 for an unknown pet', async () => {
    const result = await call('getPet', '/pets/42');
    expect(result.status).toBe(404);
    expect(result.body).toMatchObject({ code: 'NOT_FOUND' });
  });

  it.each(['abc', '0', '-1', '1.5', '1e3', '%20'])('answers 400 for petId %j', async (petId) => {
    const result = await call('getPet', `/pets/${petId}`);
    expect(result.status).toBe(400);
  });
});

describe('listPets', () => {
  it('returns {items, total}, honouring limit, status and tag', async () => {
    await createPet({ name: 'A', species: 'dog', status: 'available', tags: ['small'] });
    await createPet({ name: 'B', species: 'cat', status: 'sold', tags: ['small', 'old'] });
    await createPet({ name: 'C', species: 'cat', status: 'available' });
    const names = (body: unknown) => (body as { items: { name: string }[] }).items.map((p) => p.name);

    const all = await call('listPets', '/pets');
    expect(names(all.body)).toEqual(['A', 'B', 'C']);
    expect(all.body).toMatchObject({ total: 3 });
    const limited = await call('listPets', '/pets?limit=2');
    expect(names(limited.body)).toEqual(['A', 'B']);
    expect(limited.body).toMatchObject({ total: 3 });
    expect(names((await call('listPets', '/pets?status=available')).body)).toEqual(['A', 'C']);
    expect(names((await call('listPets', '/pets?tag=small')).body)).toEqual(['A', 'B']);
    const both = await call('listPets', '/pets?tag=small&status=sold&unknown=1');
    expect(both.body).toMatchObject({ items: [{ name: 'B' }], total: 1 });
  });

  it('returns 20 pets by default', async () => {
    for (let i = 0; i < 22; i++) await createPet({ name: `P${i}`, species: 'fish' });
    const result = await call('listPets', '/pets');
    expect(result.body).toMatchObject({ total: 22 });
    expect((result.body as { items: unknown[] }).items).toHaveLength(20);
    const max = await call('listPets', '/pets?limit=100');
    expect((max.body as { items: unknown[] }).items).toHaveLength(22);
  });

  it.each([
    'limit=0',
    'limit=101',
    'limit=abc',
    'limit=1.5',
    'limit=',
    'limit=1&limit=2',
    'status=lost',
    'tag=',
    `tag=${'x'.repeat(21)}`,
  ])('answers 400 to ?%s', async (query) => {
    const result = await call('listPets', `/pets?${query}`);
    expect(result.status).toBe(400);
  });
});

describe('updatePet', () => {
  it('replaces all writable fields and keeps id and createdAt', async () => {
    const created = await createPet();
    const result = await call('updatePet', `/pets/${created.id}`, {
      method: 'PUT',
      body: { name: 'Max', species: 'cat', age: 4 },
    });
    expect(result.status).toBe(200);
    const expected = { id: created.id, name: 'Max', species: 'cat', age: 4, createdAt: created.createdAt };
    expect(result.body).toEqual(expected);
    expect((await call('getPet', `/pets/${created.id}`)).body).toEqual(expected);
  });

  it('answers 404 for an unknown pet and 400 for an invalid body or id', async () => {
    const created = await createPet();
    const body = { name: 'Max', species: 'cat' };
    expect((await call('updatePet', '/pets/99', { method: 'PUT', body })).status).toBe(404);
    expect((await call('updatePet', '/pets/x', { method: 'PUT', body })).status).toBe(400);
    const missingSpecies = await call('updatePet', `/pets/${created.id}`, {
      method: 'PUT',
      body: { name: 'Max' },
    });
    expect(missingSpecies.status).toBe(400);
    expect((await call('getPet', `/pets/${created.id}`)).body).toEqual(created);
  });
});

describe('deletePet', () => {
  it('answers 204 without a body, then the pet is gone', async () => {
    const created = await createPet();
    const result = await call('deletePet', `/pets/${created.id}`, { method: 'DELETE' });
    expect(result.status).toBe(204);
    expect(result.text).toBe('');
    expect((await call('getPet', `/pets/${created.id}`)).status).toBe(404);
    expect((await call('deletePet', `/pets/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    expect((await call('deletePet', '/pets/0', { method: 'DELETE' })).status).toBe(400);
  });
});

describe('createOwner', () => {
  it('answers 201 with a uuid id', async () => {
    const body = { email: 'ann@example.com', name: 'Ann', phone: '+441234567890' };
    const result = await call('createOwner', '/owners', { method: 'POST', auth: 'apiKey', body });
    expect(result.status).toBe(201);
    expect(result.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...body });
  });

  it.each([
    ['a bad email', { email: 'not-an-email', name: 'Ann' }],
    ['a one-letter name', { email: 'ann@example.com', name: 'A' }],
    ['a bad phone', { email: 'ann@example.com', name: 'Ann', phone: '0123' }],
    ['a readOnly id', { id: '7d3f4d1e-0000-4000-8000-000000000000', email: 'ann@example.com', name: 'Ann' }],
    ['no email', { name: 'Ann' }],
  ])('answers 400 to %s', async (_name, body) => {
    const result = await call('createOwner', '/owners', { method: 'POST', auth: 'apiKey', body });
    expect(result.status).toBe(400);
  });
});

describe('security', () => {
  const owner = { email: 'ann@example.com', name: 'Ann' };
  const cases: [string, string, CallOptions][] = [
    ['listPets', '/pets', {}],
    ['createPet', '/pets', { method: 'POST', body: FULL_PET }],
    ['getPet', '/pets/1', {}],
    ['updatePet', '/pets/1', { method: 'PUT', body: FULL_PET }],
    ['deletePet', '/pets/1', { method: 'DELETE' }],
  ];
  it.each(cases)(
    '%s answers 401 without, with a wrong or with a non-bearer token',
    async (op, path, options) => {
      await createPet();
      const badHeaders: Record<string, string>[] = [
        {},
        { authorization: 'Bearer nope' },
        { authorization: 'Basic dGVzdC10b2tlbg==' },
      ];
      for (const headers of badHeaders) {
        const result = await call(op, path, { ...options, auth: 'none', headers });
        expect(result.status).toBe(401);
        expect(result.body).toMatchObject({ code: 'UNAUTHORIZED', message: expect.any(String) });
      }
      expect((await call('getPet', '/pets/1')).status).toBe(200);
    },
  );

  it('checks credentials before validating the request', async () => {
    expect((await call('getPet', '/pets/abc', { auth: 'none' })).status).toBe(401);
    expect((await call('createPet', '/pets', { method: 'POST', auth: 'none', rawBody: '{' })).status).toBe(
      401,
    );
    expect((await call('listPets', '/pets?limit=0', { auth: 'none' })).status).toBe(401);
    const invalidOwner = { method: 'POST', auth: 'none', body: { name: 'A' } } as const;
    expect((await call('createOwner', '/owners', invalidOwner)).status).toBe(401);
  });

  it('createOwner needs the API key, not the bearer token', async () => {
    for (const options of [
      { auth: 'bearer' },
      { auth: 'none', headers: { 'x-api-key': 'wrong' } },
    ] as const) {
      const result = await call('createOwner', '/owners', { method: 'POST', body: owner, ...options });
      expect(result.status).toBe(401);
    }
  });

  it('accepts a lower-case scheme name and honours custom credentials', async () => {
    const headers = { authorization: 'bearer test-token' };
    expect((await call('listPets', '/pets', { auth: 'none', headers })).status).toBe(200);
    const custom = await startSut({ bearerToken: 'tok', apiKey: 'key' });
    try {
      expect((await callSut(custom.url, '/pets')).status).toBe(401);
      const ok = await callSut(custom.url, '/pets', {
        auth: 'none',
        headers: { authorization: 'Bearer tok' },
      });
      expect(ok.status).toBe(200);
      const ownerOk = await callSut(custom.url, '/owners', {
        method: 'POST',
        auth: 'none',
        headers: { 'x-api-key': 'key' },
        body: owner,
      });
      expect(ownerOk.status).toBe(201);
    } finally {
      await custom.close();
    }
  });
});

describe('routing', () => {
  it('answers 404 to unknown paths and 405 to undeclared methods', async () => {
    expect((await callSut(sut.url, '/nope')).status).toBe(404);
    const result = await callSut(sut.url, '/pets', { method: 'PATCH' });
    expect(result.status).toBe(405);
    expect(result.headers.get('allow')).toBe('GET, POST');
  });
});
