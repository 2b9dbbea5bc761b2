/**
 * The coverage subjects: small branch-heavy servers behind a spec, in the spirit of classic test-generation
 * subjects (triangle classification, date arithmetic, numeric series, string matching). Each folder holds
 * `openapi.yaml` (every response the server sends is declared) and `server.ts` (the algorithm). Every
 * branch body sits on lines of its own (braces even for one statement), so that line coverage shows which
 * branches ran; no branch needs a value the spec does not allow.
 */
import type { Server } from 'node:http';
import { join } from 'node:path';

export interface Subject {
  /** The subject's spec. */
  spec: string;
  /** Its folder: coverage is measured over the files in it. */
  dir: string;
  /** Imports the server module (`<dir>/server.ts`) and returns its `createSubject` factory. */
  load: () => Promise<() => Server>;
}

const here = import.meta.dirname;
const subject = (name: string, load: () => Promise<() => Server>): Subject => ({
  spec: join(here, name, 'openapi.yaml'),
  dir: join(here, name),
  load,
});

export const SUBJECTS = {
  triangle: subject('triangle', async () => (await import('./triangle/server.ts')).createSubject),
  dates: subject('dates', async () => (await import('./dates/server.ts')).createSubject),
  numbers: subject('numbers', async () => (await import('./numbers/server.ts')).createSubject),
  strings: subject('strings', async () => (await import('./strings/server.ts')).createSubject),
} satisfies Record<string, Subject>;

export type SubjectName = keyof typeof SUBJECTS;

export function isSubjectName(name: string): name is SubjectName {
  return Object.hasOwn(SUBJECTS, name);
}
