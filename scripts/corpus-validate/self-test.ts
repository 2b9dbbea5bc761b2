/**
 * The validator's own controls, run before a corpus validation: the petstore fixture's outputs must pass
 * every check, and the same outputs with one seeded fault per check must fail it — a check that cannot
 * fail would make a 100 % rate meaningless.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateInMemory } from '../../cli/engine/library.ts';
import { FORMATS } from '../../shared/plans.ts';
import {
  checksFor,
  mergeSpecChecks,
  validateSpecOutputs,
  validationFiles,
  writeValidationFiles,
} from '../corpus-validate.ts';
import { CHECK_DEFINITIONS, type CheckName, folderOf, TSC_CHECKS } from './checks.ts';
import { listFiles } from './files.ts';
import { typeCheckSpecs } from './type-check.ts';

const FIXTURE = new URL('../../tests/fixtures/specs/features/petstore.json', import.meta.url);

interface Fault {
  name: string;
  check: CheckName;
  /** Folder and file-name suffix of the file to break, and how. */
  file: [folder: string, suffix: string];
  edit: (text: string) => string;
}

// biome-ignore lint/suspicious/noExplicitAny: the faults poke into arbitrary places of parsed JSON
type Loose = any;

function editJson(edit: (value: Loose) => void): (text: string) => string {
  return (text) => {
    const value: Loose = JSON.parse(text);
    edit(value);
    return JSON.stringify(value);
  };
}

const FAULTS: Fault[] = [
  { name: 'json-syntax', check: 'json', file: ['json', '.json'], edit: (t) => t.slice(0, t.length / 2) },
  {
    name: 'json-shape',
    check: 'json',
    file: ['json', '.json'],
    edit: editJson((plan) => {
      plan.cases[0].steps = 'GET /pets';
    }),
  },
  {
    name: 'json-schema',
    check: 'json',
    file: ['json', '.json'],
    edit: editJson((plan) => {
      plan.schemas.Broken = { $ref: '#/components/schemas/NoSuchSchema' };
    }),
  },
  {
    name: 'vitest-type',
    check: 'vitest',
    file: ['vitest/tests', '.ts'],
    edit: (t) => `${t}\napiCase(42);\n`,
  },
  {
    name: 'playwright-type',
    check: 'playwright',
    file: ['playwright/tests', '.ts'],
    edit: (t) => `${t}\napiCase(42);\n`,
  },
  { name: 'jest-syntax', check: 'jest', file: ['jest/tests', '.js'], edit: (t) => `${t}\nconst = ;\n` },
  {
    name: 'jest-type',
    check: 'jest',
    file: ['jest/tests', '.js'],
    edit: (t) => `${t}\nnotDefinedAnywhere();\n`,
  },
  {
    name: 'pytest-syntax',
    check: 'pytest',
    file: ['pytest/tests', '.py'],
    edit: (t) => `${t}\ndef broken(:\n`,
  },
  {
    name: 'postman-schema',
    check: 'postman',
    file: ['postman', '.postman_collection.json'],
    edit: editJson((collection) => {
      delete collection.info;
    }),
  },
  {
    name: 'postman-script',
    check: 'postman',
    file: ['postman', '.postman_collection.json'],
    edit: editJson((collection) => {
      collection.item[0].event = [{ listen: 'test', script: { type: 'text/javascript', exec: ['if ('] } }];
    }),
  },
  { name: 'k6-syntax', check: 'k6', file: ['k6', '.js'], edit: (t) => `${t}\nexport function (\n` },
  { name: 'k6-import', check: 'k6', file: ['k6', '.js'], edit: (t) => `import _ from 'lodash';\n${t}` },
  ...CHECK_DEFINITIONS.filter((check) => check.kind === 'sql').map(
    (check): Fault => ({
      name: check.name.replace(':', '-'),
      check: check.name,
      file: [folderOf(check.name), 'data.sql'],
      edit: (t) => `${t}\nINSERT INTO no_such_table VALUES (1);\n`,
    }),
  ),
];

function breakFile(dir: string, fault: Fault): void {
  const [folder, suffix] = fault.file;
  const target = listFiles(join(dir, folder), [suffix])[0];
  if (!target) throw new Error(`self-test: no ${suffix} file under ${folder} to break`);
  const path = join(dir, folder, target);
  writeFileSync(path, fault.edit(readFileSync(path, 'utf8')));
}

/** Runs the controls under `root`; the problems found (empty when every check passes and can fail). */
export async function selfTestValidation(root: string): Promise<string[]> {
  const formats = [...FORMATS];
  const { result, outputs } = await generateInMemory(fileURLToPath(FIXTURE), { formats });
  const files = validationFiles(result.plan, outputs);
  const checks = checksFor(formats);
  writeValidationFiles(join(root, 'control'), files);
  for (const fault of FAULTS) {
    writeValidationFiles(join(root, fault.name), files);
    breakFile(join(root, fault.name), fault);
  }
  const typed = await typeCheckSpecs({
    root,
    specs: ['control', ...FAULTS.filter((f) => TSC_CHECKS.some((c) => c === f.check)).map((f) => f.name)],
  });
  const problems: string[] = [];
  const control = mergeSpecChecks(
    await validateSpecOutputs(join(root, 'control'), checks),
    typed.get('control')!,
  );
  for (const check of checks) {
    const result = control[check];
    if (result?.status === 'failed') problems.push(`control: ${check} fails on good output: ${result.error}`);
    if (!result) problems.push(`control: ${check} did not run`);
  }
  for (const fault of FAULTS) {
    const own = await validateSpecOutputs(join(root, fault.name), [fault.check]);
    const result = mergeSpecChecks(own, typed.get(fault.name) ?? {})[fault.check];
    if (result?.status === 'skipped' || control[fault.check]?.status === 'skipped') continue;
    if (result?.status !== 'failed')
      problems.push(`fault ${fault.name}: ${fault.check} passes on broken output`);
  }
  return problems;
}
