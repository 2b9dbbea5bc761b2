/**
 * Path parameters that name a resource nothing in the spec creates need a real value (`--path-param`). A few
 * are named one by one; many (GitHub's description has 80) make one warning that names the first ones and
 * prints their options, with every one of them under --debug.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateInMemory } from '../../../cli/engine/library.ts';

const DIR = join(import.meta.dirname, '../../.tmp/path-param-warnings');

/** A spec with one GET per resource, `/<name>s/{<name>_id}`, and nothing that creates any of them. */
function specWith(resources: string[]): string {
  const paths = Object.fromEntries(
    resources.map((name) => [
      `/${name}s/{${name}_id}`,
      {
        get: {
          operationId: `get_${name}`,
          parameters: [{ name: `${name}_id`, in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'ok' }, '404': { description: 'no such thing' } },
        },
      },
    ]),
  );
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `${resources.length}.json`);
  writeFileSync(path, JSON.stringify({ openapi: '3.0.3', info: { title: 'T', version: '1' }, paths }));
  return path;
}

async function warningsAndDebug(resources: string[]) {
  const debug: string[] = [];
  const progress = {
    start: () => ({ update() {}, succeed() {}, fail() {}, stop() {} }),
    warn() {},
    debug: (text: string) => debug.push(text),
    path: (path: string) => path,
  };
  const { result } = await generateInMemory(
    specWith(resources),
    { formats: ['json'], mode: 'dry-run' },
    { progress },
  );
  return { warnings: result.warnings, debug };
}

describe('path parameters that need a real value', () => {
  it('are named one by one when few', async () => {
    const { warnings } = await warningsAndDebug(['pet', 'owner']);
    expect(warnings).toEqual(
      ['pet_id', 'owner_id'].map(
        (name) =>
          `{${name}} names a resource that no operation of the spec creates, so the cases under it send a made-up value and accept the declared 4xx. Give a real one to test them fully: --path-param ${name}=<value>`,
      ),
    );
  });

  it('make one warning when many, every one of them under --debug', async () => {
    const names = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta'];
    const { warnings, debug } = await warningsAndDebug(names);
    expect(warnings).toEqual([
      '{alpha_id}, {beta_id}, {gamma_id} and 3 more path parameters name resources that no operation of the spec creates, so the cases under them send made-up values and accept the declared 4xx. Give real ones to test them fully: --path-param alpha_id=<value> --path-param beta_id=<value> --path-param gamma_id=<value> … (every one with --debug)',
    ]);
    for (const name of names) expect(debug.join('\n')).toContain(`--path-param ${name}_id=<value>`);
  });
});
