/**
 * What a good (and a sloppy) model might propose for tests/fixtures/specs/sut/petstore.yaml. Each entry says
 * whether SpecMint must accept it; the accepted ones must pass against the conforming SUT.
 */
import type { Proposal } from '../../cli/engine/ai/proposal-schema.ts';

/** A proposal and whether validation must accept it. */
export interface ScriptedProposal {
  proposal: Proposal;
  accept: boolean;
}

const json = (value: unknown): string => JSON.stringify(value);

const positive = (
  title: string,
  body: unknown,
  expectStatus: string,
  params: Proposal['params'] = [],
): Proposal => ({
  kind: 'positive',
  title,
  params,
  body: body === null ? null : json(body),
  expectStatus,
  violates: null,
});

const negative = (
  title: string,
  violates: string,
  body: unknown,
  params: Proposal['params'] = [],
  expectStatus = '400',
): Proposal => ({
  kind: 'negative',
  title,
  params,
  body: body === null ? null : json(body),
  expectStatus,
  violates,
});

const SENIOR_CAT = {
  name: 'Mittens',
  species: 'cat',
  age: 14,
  weightKg: 4.2,
  status: 'available',
  tags: ['indoor', 'senior'],
  microchip: 'CAT-123456',
  birthDate: '2011-05-04',
};

/** Proposals by operation id. */
export const PETSTORE_PROPOSALS: Record<string, ScriptedProposal[]> = {
  createPet: [
    {
      accept: true,
      proposal: positive('registers a senior cat with microchip, weight and birth date', SENIOR_CAT, '201'),
    },
    {
      accept: true,
      proposal: positive(
        'accepts a unicode name and an explicit null microchip',
        { name: 'Füchschen 🦊', species: 'dog', microchip: null },
        '201',
      ),
    },
    {
      accept: true,
      proposal: negative('rejects a microchip written in lower case', 'body/microchip', {
        ...SENIOR_CAT,
        microchip: 'cat-123456',
      }),
    },
    {
      accept: true,
      proposal: negative('rejects a birth date in US notation', '/body/birthDate', {
        ...SENIOR_CAT,
        birthDate: '05/04/2011',
      }),
    },
    // Sloppy: a "valid" pet older than the schema allows.
    {
      accept: false,
      proposal: positive(
        'registers a very old tortoise-like dog',
        { name: 'Old Rex', species: 'dog', age: 51 },
        '201',
      ),
    },
    // Sloppy: claims the name is wrong, but the age is.
    {
      accept: false,
      proposal: negative('rejects an empty name', 'body/name', { name: 'Rex', species: 'dog', age: -1 }),
    },
    // Sloppy: two violations at once.
    {
      accept: false,
      proposal: negative('rejects a negative age', 'body/age', { name: '', species: 'dog', age: -1 }),
    },
    // Sloppy: a business rule the schema does not express cannot be checked.
    {
      accept: false,
      proposal: negative('rejects a 400 kg fish', 'body/weightKg', {
        name: 'Nemo',
        species: 'fish',
        weightKg: 400,
      }),
    },
  ],
  listPets: [
    {
      accept: true,
      proposal: positive('filters sold pets by tag, one per page', null, '200', [
        { in: 'query', name: 'status', value: '"sold"' },
        { in: 'query', name: 'limit', value: '1' },
        { in: 'query', name: 'tag', value: 'senior' },
      ]),
    },
    {
      accept: true,
      proposal: negative('rejects a negative page size', 'query/limit', null, [
        { in: 'query', name: 'limit', value: '-5' },
      ]),
    },
    // Sloppy: "5" is a perfectly good limit on the wire.
    {
      accept: false,
      proposal: negative('rejects a limit sent as a string', 'query/limit', null, [
        { in: 'query', name: 'limit', value: '"5"' },
      ]),
    },
    // Sloppy: an undeclared parameter.
    {
      accept: false,
      proposal: positive('sorts by name', null, '200', [{ in: 'query', name: 'sort', value: '"name"' }]),
    },
  ],
  getPet: [
    // Same requests as the deterministic contract case once the id comes from the setup step: a duplicate.
    {
      accept: false,
      proposal: positive('reads a pet that was just created', null, '200', [
        { in: 'path', name: 'petId', value: '42' },
      ]),
    },
    {
      accept: true,
      proposal: negative(
        'rejects a negative pet id',
        'path/petId',
        null,
        [{ in: 'path', name: 'petId', value: '-7' }],
        '4XX',
      ),
    },
  ],
  updatePet: [
    {
      accept: true,
      proposal: positive(
        'marks a pet as sold and updates its tags',
        { name: 'Rex', species: 'dog', status: 'sold', tags: ['adopted'] },
        '200',
      ),
    },
    // Sloppy: expects success for an invalid request.
    {
      accept: false,
      proposal: negative('replaces a pet without species', 'body/species', { name: 'Rex' }, [], '200'),
    },
  ],
  createOwner: [
    {
      accept: true,
      proposal: positive(
        'registers an owner with an international phone number',
        { email: 'maria.garcia@example.org', name: 'María García', phone: '+34911234567' },
        '201',
      ),
    },
    {
      accept: true,
      proposal: negative('rejects a phone number without the leading plus', 'body/phone', {
        email: 'maria.garcia@example.org',
        name: 'María García',
        phone: '0034911234567',
      }),
    },
    {
      accept: true,
      proposal: negative('rejects an unknown property', 'body/nickname', {
        email: 'a.b@example.org',
        name: 'Al',
        nickname: 'Big Al',
      }),
    },
    // Sloppy: undeclared success status.
    {
      accept: false,
      proposal: positive('registers an owner', { email: 'tweety@example.org', name: 'Tweety' }, '200'),
    },
    // Sloppy: a valid request is not a negative case.
    {
      accept: false,
      proposal: negative('rejects a duplicate e-mail address', 'body/email', {
        email: 'a.b@example.org',
        name: 'Al',
      }),
    },
  ],
};

/** The proposals alone, as the fake providers serve them. */
export function proposalsByOperation(): Record<string, Proposal[]> {
  const out: Record<string, Proposal[]> = {};
  for (const [op, list] of Object.entries(PETSTORE_PROPOSALS)) out[op] = list.map((s) => s.proposal);
  return out;
}

/** How many of the scripted proposals must be accepted / rejected. */
export function expectedCounts(): { accepted: number; rejected: number } {
  const all = Object.values(PETSTORE_PROPOSALS).flat();
  const accepted = all.filter((s) => s.accept).length;
  return { accepted, rejected: all.length - accepted };
}
