import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSut, SUT_FAULTS, type SutFault, startSut } from './petstore-server.ts';
import { callSut, FULL_PET, responseProblem } from './test-client.ts';

type PetBody = Record<string, unknown>;

async function createPet(url: string, body: unknown = FULL_PET): Promise<PetBody> {
  const result = await callSut(url, '/pets', { method: 'POST', body });
  return result.body as PetBody;
}

/**
 * For each fault, requests that show it: the probe returns true when the fault is observed.
 * Typed as a Record so that a new fault without a probe fails to compile.
 */
const PROBES: Record<SutFault, (url: string) => Promise<boolean>> = {
  'ignore-body-constraints': async (url) => {
    const result = await callSut(url, '/pets', {
      method: 'POST',
      body: { name: '', species: 'dragon', age: 99 },
    });
    return result.status !== 400;
  },
  'ignore-query-constraints': async (url) => (await callSut(url, '/pets?limit=0')).status !== 400,
  'no-auth': async (url) => (await callSut(url, '/pets/1', { auth: 'none' })).status !== 401,
  'wrong-response-type': async (url) => typeof (await createPet(url)).age === 'string',
  'missing-response-field': async (url) => !('createdAt' in (await createPet(url))),
  'delete-noop': async (url) => {
    const pet = await createPet(url);
    await callSut(url, `/pets/${pet.id}`, { method: 'DELETE' });
    return (await callSut(url, `/pets/${pet.id}`)).status !== 404;
  },
  'update-noop': async (url) => {
    const pet = await createPet(url);
    const body = { name: 'Changed', species: 'cat' };
    await callSut(url, `/pets/${pet.id}`, { method: 'PUT', body });
    return (await callSut(url, `/pets/${pet.id}`)).text.includes('"Rex"');
  },
  'undeclared-status': async (url) =>
    (await callSut(url, '/pets', { method: 'POST', body: FULL_PET })).status !== 201,
  'server-error': async (url) => (await callSut(url, '/pets')).status >= 500,
  'wrong-content-type': async (url) => {
    const pet = await createPet(url);
    const result = await callSut(url, `/pets/${pet.id}`);
    return !result.headers.get('content-type')?.startsWith('application/json');
  },
  'missing-location-header': async (url) =>
    (await callSut(url, '/pets', { method: 'POST', body: FULL_PET })).headers.get('location') === null,
  'write-drops-property': async (url) => {
    const pet = await createPet(url);
    const read = (await callSut(url, `/pets/${pet.id}`)).body as PetBody;
    return !('tags' in read);
  },
  'filter-ignored': async (url) => {
    await createPet(url, { ...FULL_PET, status: 'sold' });
    const listed = (await callSut(url, '/pets?status=available')).body as { items: PetBody[] };
    return listed.items?.some((item) => item.status !== 'available') ?? false;
  },
  'put-not-idempotent': async (url) => {
    const pet = await createPet(url);
    const body = { name: 'Same', species: 'cat', age: 4 };
    await callSut(url, `/pets/${pet.id}`, { method: 'PUT', body });
    const first = (await callSut(url, `/pets/${pet.id}`)).body as PetBody;
    await callSut(url, `/pets/${pet.id}`, { method: 'PUT', body });
    const second = (await callSut(url, `/pets/${pet.id}`)).body as PetBody;
    return first.age !== second.age;
  },
  'undeclared-method-ok': async (url) => {
    const pet = await createPet(url);
    return (await callSut(url, `/pets/${pet.id}`, { method: 'PATCH' })).status === 200;
  },
};

const FAULTS = Object.keys(SUT_FAULTS) as SutFault[];

describe('conforming server', () => {
  it.each(FAULTS)('shows no sign of %s', async (fault) => {
    const sut = await startSut();
    try {
      expect(await PROBES[fault](sut.url)).toBe(false);
    } finally {
      await sut.close();
    }
  });
});

describe.each(FAULTS)('fault %s', (fault) => {
  let sut: RunningSut;
  beforeAll(async () => {
    sut = await startSut({ fault });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('is observed by its probe', async () => {
    expect(await PROBES[fault](sut.url)).toBe(true);
  });

  it.each(FAULTS.filter((other) => other !== fault))('breaks nothing else: no sign of %s', async (other) => {
    expect(await PROBES[other](sut.url)).toBe(false);
  });
});

describe('fault details', () => {
  async function withSut(fault: SutFault, run: (url: string) => Promise<void>): Promise<void> {
    const sut = await startSut({ fault });
    try {
      await run(sut.url);
    } finally {
      await sut.close();
    }
  }

  it('ignore-body-constraints still rejects unparsable or non-object JSON', () =>
    withSut('ignore-body-constraints', async (url) => {
      expect((await callSut(url, '/pets', { method: 'POST', rawBody: '{' })).status).toBe(400);
      expect((await callSut(url, '/pets', { method: 'POST', body: [1] })).status).toBe(400);
      const extra = await callSut(url, '/pets', {
        method: 'POST',
        body: { ...FULL_PET, id: 77, colour: 'x' },
      });
      expect(extra.status).toBe(201);
      expect(extra.body).toMatchObject({ id: 1, colour: 'x' });
    }));

  it('ignore-query-constraints answers 200 to an out-of-range limit', () =>
    withSut('ignore-query-constraints', async (url) => {
      await createPet(url);
      expect((await callSut(url, '/pets?limit=1000')).body).toMatchObject({ total: 1 });
      expect((await callSut(url, '/pets?limit=0')).body).toEqual({ items: [], total: 1 });
    }));

  it('no-auth leaves createOwner protected', () =>
    withSut('no-auth', async (url) => {
      expect((await callSut(url, '/pets', { method: 'POST', auth: 'none', body: FULL_PET })).status).toBe(
        201,
      );
      const owner = { email: 'ann@example.com', name: 'Ann' };
      expect((await callSut(url, '/owners', { method: 'POST', auth: 'none', body: owner })).status).toBe(401);
    }));

  it('wrong-response-type and missing-response-field make responses fail the schema', async () => {
    for (const fault of ['wrong-response-type', 'missing-response-field'] as const) {
      await withSut(fault, async (url) => {
        const created = await callSut(url, '/pets', {
          method: 'POST',
          body: { name: 'Tom', species: 'cat' },
        });
        expect(responseProblem('createPet', created)).toMatch(/age|createdAt/);
        expect(responseProblem('listPets', await callSut(url, '/pets'))).not.toBeNull();
      });
    }
  });

  it('update-noop answers with the new values', () =>
    withSut('update-noop', async (url) => {
      const pet = await createPet(url);
      const result = await callSut(url, `/pets/${pet.id}`, {
        method: 'PUT',
        body: { name: 'Max', species: 'cat' },
      });
      expect(result.status).toBe(200);
      expect(result.body).toMatchObject({ id: pet.id, name: 'Max', species: 'cat' });
      expect((await callSut(url, `/pets/${pet.id}`)).body).toEqual(pet);
    }));

  it('delete-noop answers 204 and the server-error body is still {code, message}', async () => {
    await withSut('delete-noop', async (url) => {
      const pet = await createPet(url);
      expect((await callSut(url, `/pets/${pet.id}`, { method: 'DELETE' })).status).toBe(204);
    });
    await withSut('server-error', async (url) => {
      expect((await callSut(url, '/pets')).body).toMatchObject({ code: 'INTERNAL_ERROR' });
      expect((await callSut(url, '/pets', { auth: 'none' })).status).toBe(401);
    });
  });

  it('wrong-content-type sends text/plain and undeclared-status sends 200', async () => {
    await withSut('wrong-content-type', async (url) => {
      const pet = await createPet(url);
      const result = await callSut(url, `/pets/${pet.id}`);
      expect(result.headers.get('content-type')).toBe('text/plain');
      expect(responseProblem('getPet', result)).toMatch(/content-type/);
    });
    await withSut('undeclared-status', async (url) => {
      const result = await callSut(url, '/pets', { method: 'POST', body: FULL_PET });
      expect(responseProblem('createPet', result)).toMatch(/status 200 is not declared/);
    });
  });
});
