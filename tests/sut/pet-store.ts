import { randomUUID } from 'node:crypto';

/** A stored pet: the server-owned `id` and `createdAt` plus the writable fields a client sent. */
export interface StoredPet {
  id: number;
  createdAt: string;
  /** Writable fields exactly as accepted (NewPet). */
  fields: Record<string, unknown>;
}

/** A stored owner (NewOwner fields plus a uuid `id`). */
export interface StoredOwner {
  id: string;
  fields: Record<string, unknown>;
}

/** Filters of listPets. */
export interface PetFilter {
  status?: string;
  tag?: string;
}

/** In-memory state of one SUT instance; ids start at 1. */
export interface PetStore {
  createPet(fields: Record<string, unknown>): StoredPet;
  getPet(id: number): StoredPet | undefined;
  /** Replaces all writable fields; returns the new pet, or `undefined` when there is no such pet. */
  replacePet(id: number, fields: Record<string, unknown>): StoredPet | undefined;
  /** Returns whether a pet was removed. */
  deletePet(id: number): boolean;
  /** Pets matching the filter in id order. */
  listPets(filter: PetFilter): StoredPet[];
  createOwner(fields: Record<string, unknown>): StoredOwner;
}

function matches(pet: StoredPet, filter: PetFilter): boolean {
  if (filter.status !== undefined && pet.fields.status !== filter.status) return false;
  if (filter.tag !== undefined) {
    const tags = pet.fields.tags;
    if (!Array.isArray(tags) || !tags.includes(filter.tag)) return false;
  }
  return true;
}

/** Creates an empty store. */
export function createPetStore(): PetStore {
  const pets = new Map<number, StoredPet>();
  const owners = new Map<string, StoredOwner>();
  let nextId = 1;
  return {
    createPet(fields) {
      const pet: StoredPet = { id: nextId++, createdAt: new Date().toISOString(), fields: { ...fields } };
      pets.set(pet.id, pet);
      return pet;
    },
    getPet: (id) => pets.get(id),
    replacePet(id, fields) {
      const current = pets.get(id);
      if (!current) return undefined;
      const next: StoredPet = { ...current, fields: { ...fields } };
      pets.set(id, next);
      return next;
    },
    deletePet: (id) => pets.delete(id),
    listPets: (filter) => [...pets.values()].filter((pet) => matches(pet, filter)),
    createOwner(fields) {
      const owner: StoredOwner = { id: randomUUID(), fields: { ...fields } };
      owners.set(owner.id, owner);
      return owner;
    },
  };
}
