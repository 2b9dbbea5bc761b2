/**
 * postman: the collection validates against the Postman Collection v2.1 JSON schema (the copy the renderer
 * tests use), every pre-request/test script parses as JavaScript, and the environment file is an
 * environment (`name` and `values` of `{key, value}`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { Ajv, type ValidateFunction } from 'ajv';
import { type CheckResult, failed, PASSED } from './checks.ts';
import { listFiles } from './files.ts';

const SCHEMA_FILE = new URL(
  '../../tests/render/postman/postman-collection-v2.1.schema.json',
  import.meta.url,
);

let compiled: { ajv: Ajv; validate: ValidateFunction } | undefined;

/** The v2.1 schema, compiled once per process. */
function validateCollection(): { ajv: Ajv; validate: ValidateFunction } {
  if (!compiled) {
    const ajv = new Ajv({ strict: false });
    compiled = { ajv, validate: ajv.compile(JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'))) };
  }
  return compiled;
}

interface PostmanEvent {
  listen?: string;
  script?: { exec?: string | string[] };
}

interface PostmanNode {
  name?: string;
  event?: PostmanEvent[];
  item?: PostmanNode[];
}

/** Every event of the collection, its folders and its requests, with where it sits. */
function events(node: PostmanNode, where: string): Array<{ where: string; event: PostmanEvent }> {
  const own = (node.event ?? []).map((event) => ({ where: `${where} (${event.listen})`, event }));
  return [...own, ...(node.item ?? []).flatMap((child) => events(child, `${where} › ${child.name}`))];
}

/** Parses a script the way the sandbox runs it: as a function body. */
function scriptError(exec: string | string[]): string | undefined {
  const source = Array.isArray(exec) ? exec.join('\n') : exec;
  try {
    new Script(`(function () {\n${source}\n})`);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function checkEnvironment(text: string): string | undefined {
  const env = JSON.parse(text) as { name?: unknown; values?: unknown };
  if (typeof env.name !== 'string') return 'environment has no name';
  if (!Array.isArray(env.values)) return 'environment has no values array';
  const bad = env.values.find(
    (v: { key?: unknown; value?: unknown } | null) => typeof v?.key !== 'string' || v.value === undefined,
  );
  return bad === undefined ? undefined : `environment value without key/value: ${JSON.stringify(bad)}`;
}

/** Validates the Postman output in `dir`. */
export function checkPostman(dir: string): CheckResult {
  const collections = listFiles(dir, ['.postman_collection.json']);
  if (collections.length === 0) return failed('no .postman_collection.json file');
  const { ajv: instance, validate } = validateCollection();
  for (const file of collections) {
    const collection = JSON.parse(readFileSync(join(dir, file), 'utf8')) as PostmanNode;
    if (!validate(collection)) return failed(`v2.1 schema: ${instance.errorsText(validate.errors)}`, file);
    for (const { where, event } of events(collection, 'collection')) {
      const error = scriptError(event.script?.exec ?? '');
      if (error) return failed(`script of ${where}: ${error}`, file);
    }
  }
  for (const file of listFiles(dir, ['.postman_environment.json'])) {
    const error = checkEnvironment(readFileSync(join(dir, file), 'utf8'));
    if (error) return failed(error, file);
  }
  return PASSED;
}
