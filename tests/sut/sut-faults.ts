/**
 * Seeded faults of the pet store SUT: each name breaks exactly one behaviour of the spec.
 * A generated test suite must fail against every one of them.
 */
export const SUT_FAULTS = {
  'ignore-body-constraints':
    'request bodies are not checked against their schema (length, enum, bounds, required, extra properties); unparsable or non-object JSON is still 400',
  'ignore-query-constraints':
    'listPets query parameters are not validated (e.g. limit=0 or limit=1000 answers 200)',
  'no-auth': 'the pets endpoints accept a missing or wrong bearer token',
  'wrong-response-type': 'pets are returned with `age` as a string ("3"; "unknown" when the pet has no age)',
  'missing-response-field': 'pets are returned without the required `createdAt`',
  'delete-noop': 'deletePet answers 204 but the pet remains',
  'update-noop': 'updatePet answers 200 with the new values but does not store them',
  'undeclared-status': 'createPet answers 200 instead of 201',
  'server-error': 'listPets answers 500',
  'wrong-content-type': 'getPet answers 200 with a text/plain content type',
  'missing-location-header': 'createPet answers 201 without the required Location header the spec declares',
  'write-drops-property': 'createPet and updatePet answer with every field sent but do not store `tags`',
  'filter-ignored': 'listPets ignores its `status` filter and lists pets of every status',
  'put-not-idempotent':
    'updatePet called again with the same body adds one to `age` each time after the first',
  'undeclared-method-ok': 'PATCH /pets/{petId}, which the spec does not declare, answers 200 with the pet',
} as const satisfies Record<string, string>;

/** Name of one seeded fault. */
export type SutFault = keyof typeof SUT_FAULTS;

/** Whether `name` is a known fault (for CLI input). */
export function isSutFault(name: string): name is SutFault {
  return Object.hasOwn(SUT_FAULTS, name);
}
