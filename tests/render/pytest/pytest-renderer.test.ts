/**
 * The pytest renderer: Python literal escaping (checked by Python itself), layout, the renderer contract,
 * generated code that compiles, and the runtime helpers' behaviour under every Python found (which covers
 * jsonschema before and after the `referencing` rewrite when both are installed).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { CHECK_NAMES, CHECKS_OFF_BY_DEFAULT } from '../../../cli/engine/plan/types.ts';
import { joinText } from '../../../cli/engine/render/common/file-text.ts';
import { pytestRenderer } from '../../../cli/engine/render/pytest/index.ts';
import { PyCall, positional, pyLiteral, pyString } from '../../../cli/engine/render/pytest/python-literal.ts';
import { ODD_STRINGS, OTHER_ODD_PLAN, OTHER_PETSTORE_PLAN } from '../../fixtures/plans/other-odd-plan.ts';
import { oraclePlan } from './oracle-plan.ts';
import { findPythons, pythonSkipReason } from './python-env.ts';
import { TMP_ROOT, writeFiles } from './write-files.ts';

const OPTIONS = { generatorVersion: '9.9.9' };
const pythons = findPythons();
const skip = pythonSkipReason(pythons);

function python(command: string, code: string, cwd?: string): string {
  // The time limit stops a run whose regex would otherwise backtrack for ever.
  return execFileSync(command, ['-c', code], { encoding: 'utf8', cwd, timeout: 60_000 });
}

describe('pyString / pyLiteral', () => {
  test('escapes every odd string so Python reads back the same text', () => {
    const literals = ODD_STRINGS.map(pyString);
    for (const literal of literals) expect(literal).not.toMatch(/[\n\r\0\u2028\u2029]/);
    if (skip) return;
    // Lone surrogates cannot travel through JSON/UTF-8 to Python and back: compare code unit lists.
    const code = `import ast, json\nprint(json.dumps([[ord(c) for c in ast.literal_eval(s)] for s in ${JSON.stringify(literals)}]))`;
    const back = JSON.parse(python(pythons[0]!.command, code)) as number[][];
    const expected = ODD_STRINGS.map((text) => [...text].map((char) => char.codePointAt(0)));
    expect(back).toEqual(expected);
  });

  test.each([
    [null, 'None'],
    [true, 'True'],
    [false, 'False'],
    [1.5, '1.5'],
    [-0, '0'],
    [[], '[]'],
    [{}, '{}'],
    [{ a: [1, 'x'] }, '{"a": [1, "x"]}'],
    ["it's", `"it's"`],
    ['say "hi"', `'say "hi"'`],
  ])('writes %j as %s', (value, expected) => {
    expect(pyLiteral(value)).toBe(expected);
  });

  test('breaks long values one item per line with trailing commas, and hugs a lone call argument', () => {
    const value = { name: 'x'.repeat(60), tags: ['y'.repeat(30), 'z'.repeat(30)] };
    expect(pyLiteral(value)).toBe(
      `{\n    "name": "${'x'.repeat(60)}",\n    "tags": ["${'y'.repeat(30)}", "${'z'.repeat(30)}"],\n}`,
    );
    const call = pyLiteral(new PyCall('Body.json', positional(value)), { indent: 1, column: 4 });
    expect(call.startsWith('Body.json({\n')).toBe(true);
    expect(call.endsWith('\n    })')).toBe(true);
  });
});

describe('pytestRenderer', () => {
  const result = pytestRenderer.render(OTHER_ODD_PLAN, OPTIONS);
  const file = (path: string) => joinText(result.files.find((f) => f.path === path)?.contents ?? '');

  test('is deterministic, with unique relative POSIX paths', () => {
    expect(pytestRenderer.render(structuredClone(OTHER_ODD_PLAN), OPTIONS)).toEqual(result);
    const paths = result.files.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
    for (const path of paths) expect(path).toMatch(/^[\w.-]+(\/[\w.-]+)*$/);
    expect(paths).toEqual(
      expect.arrayContaining([
        'README.md',
        'requirements.txt',
        'pytest.ini',
        'conftest.py',
        'specmint_runtime.py',
        'specmint_values.py',
        'specmint_report.py',
        'hooks.py',
        '.gitignore',
      ]),
    );
    expect(paths).toContain('tests/test_odd_tag_u.py');
  });

  test('renders every case or reports it with its id and reason', () => {
    const reported = result.diagnostics.map((d) => d.message);
    for (const testCase of OTHER_ODD_PLAN.cases) {
      const done = result.renderedCaseIds.includes(testCase.id);
      const told = reported.some((message) => message.startsWith(`${testCase.id} `));
      expect(done !== told, testCase.id).toBe(true);
    }
    expect(reported.find((m) => m.startsWith('echo_auth_1'))).toMatch(/mutual-TLS/);
    expect(reported.find((m) => m.startsWith('echo_negative_1'))).toMatch(/"ghost"/);
  });

  test('marks categories and AI cases, parametrizes tables with case ids, keeps stateful flows whole', () => {
    const pets = file('tests/test_pets.py');
    expect(pets).toContain('@pytest.mark.parametrize(\n    ("case_id", "title", "sent"),');
    expect(pets).toContain(
      '    ids=["listPets_negative_1", "listPets_negative_2", "listPets_negative_3"],\n)\ndef test_listPets_negative(api, case_id, title, sent):\n    case = api.case(case_id, title)\n',
    );
    expect(pets).toMatch(/expect=\["400"\],\n\s+check="negative_data_rejection",\n\s+\*\*sent,\n\s+\)/);
    expect(pets).toMatch(/@pytest.mark.stateful\ndef test_createPet_stateful_1\(api\):/);
    expect(pets).toMatch(/@pytest.mark.negative\n@pytest.mark.ai\ndef test_createPet_negative_3\(api\):/);
    const odd = file('tests/test_odd_tag_u.py');
    expect(odd).toMatch(
      /@pytest.mark.ai\ndef test_echo_contract_3\(api\):\n {4}# AI-generated \(anthropic claude-test\), validated by SpecMint\n/,
    );
    for (const marker of ['contract', 'negative', 'boundary', 'auth', 'stateful', 'ai']) {
      expect(file('pytest.ini')).toContain(`    ${marker}: `);
    }
    expect(file('specmint_runtime.py').startsWith('# Generated by SpecMint 9.9.9 — do not edit\n')).toBe(
      true,
    );
  });

  test('uses the white-label header instead of the SpecMint line', () => {
    const branded = pytestRenderer.render(OTHER_PETSTORE_PLAN, { ...OPTIONS, header: 'ACME QA\nline two' });
    for (const f of branded.files.filter((f) => f.path.endsWith('.py'))) {
      expect(joinText(f.contents).startsWith('# ACME QA\n# line two\n')).toBe(true);
      expect(f.contents).not.toContain('SpecMint 9.9.9');
    }
  });

  test('README names BASE_URL, every credential variable and the run command', () => {
    const readme = file('README.md');
    for (const name of [
      'BASE_URL',
      'BASIC_AUTH_USERNAME',
      'BASIC_AUTH_PASSWORD',
      'QUERY_KEY',
      'COOKIE_KEY',
      'BEARER_AUTH',
    ]) {
      expect(readme).toContain(`\`${name}\``);
    }
    expect(readme).toContain('python3 -m pytest');
  });

  test('README lists every check, how to switch them, the reports, the hooks and one command for CI too', () => {
    const readme = file('README.md');
    for (const name of CHECK_NAMES) expect(readme).toContain(`| \`${name}\` | `);
    expect(readme).toContain(
      '| `negative_format_rejection` | a value only a `format` rules out is not answered with a 4xx (off unless `SPECMINT_CHECKS` names it) |',
    );
    for (const text of [
      'SPECMINT_CHECKS',
      'SPECMINT_EXCLUDE_CHECKS',
      'SPECMINT_REPORTS',
      'reports/junit.xml',
      'reports/coverage.json',
      'hooks.py',
      'after_failure(test_id, error)',
      'In CI, the same command',
    ]) {
      expect(readme).toContain(text);
    }
  });

  test('writes hooks.py once (the one file the user owns), a .gitignore for the reports and short tracebacks', () => {
    expect(result.files.filter((f) => f.once).map((f) => f.path)).toEqual(['hooks.py']);
    const hooks = file('hooks.py');
    for (const signature of [
      'before_run()',
      'before_request(request)',
      'after_response(request, response)',
      'after_failure(test_id, error)',
      'after_run()',
    ]) {
      expect(hooks).toContain(`\ndef ${signature}:\n`);
    }
    expect(hooks).not.toContain('do not edit');
    expect(file('.gitignore').split('\n')).toContain('reports/');
    expect(file('pytest.ini')).toContain('addopts = --strict-markers --tb=short\n');
    expect(file('conftest.py')).toContain('    from hooks import *  # noqa: F401,F403\n');
  });

  test('renders every field of a step: note, lenient statuses, snapshot, comparisons, filter, sameAs, step count', () => {
    const plan = oraclePlan();
    const lenient = plan.cases.find((c) => c.id === 'getPet_unsupported_patch')!;
    lenient.steps[0]!.expect.lenientStatuses = ['4XX'];
    const pets = joinText(
      pytestRenderer.render(plan, OPTIONS).files.find((f) => f.path === 'tests/test_pets.py')!.contents,
    );
    expect(pets).toContain(
      '    case = api.case(\n        "createPet_read_after_write",\n        "POST /pets then GET returns what was sent",\n        steps=2,\n    )',
    );
    expect(pets).toContain('("/birthDate", "2020-02-29", "date"),');
    expect(pets).toContain('("", {"species": "dog", "id": Var("petId")}),');
    expect(pets).toContain('items_match=("/items", "status", "sold"),');
    expect(pets).toContain('snapshot="once",');
    expect(pets).toContain('same_as=("once", ["/createdAt"]),');
    expect(pets).toContain('check="use_after_delete",');
    expect(pets).toContain(
      'check="unsupported_method",\n        lenient=["4XX"],\n        validate_body=False,',
    );
    // The note on a GET that the spec gives a body is a comment, and the body is not sent.
    const get = pets.slice(pets.indexOf('def test_listPets_get_body(api):'));
    expect(get).toMatch(
      /^def test_listPets_get_body\(api\):\n.*\n {4}# The spec gives GET \/pets a request body; it is not sent \(HTTP clients refuse one\)\.\n {4}case\.step\(/,
    );
    expect(get.slice(0, get.indexOf('\n\n'))).not.toContain('body=');
  });

  test('never sends a body on GET or HEAD, saying so when the plan gives no note', () => {
    const plan = oraclePlan();
    const get = plan.cases.find((c) => c.id === 'listPets_get_body')!;
    delete get.steps[0]!.note;
    get.steps[0]!.method = 'HEAD';
    const pets = joinText(
      pytestRenderer.render(plan, OPTIONS).files.find((f) => f.path === 'tests/test_pets.py')!.contents,
    );
    const head = pets.slice(pets.indexOf('def test_listPets_get_body(api):'));
    expect(head).toContain(
      '    # The spec gives HEAD a request body; it is not sent (HTTP clients refuse one).\n',
    );
    expect(head.slice(0, head.indexOf('\n\n'))).not.toContain('body=');
  });

  describe.skipIf(skip)('generated Python', () => {
    const dir = writeFiles(join(TMP_ROOT, 'pytest-unit'), result.files);

    test("the runtime knows exactly the planner's checks", () => {
      const code =
        'import json, specmint_runtime as rt; print(json.dumps([rt.CHECK_NAMES, rt.OFF_BY_DEFAULT]))';
      expect(JSON.parse(python(pythons[0]!.command, code, dir))).toEqual([
        CHECK_NAMES,
        CHECKS_OFF_BY_DEFAULT,
      ]);
    });

    test.each(pythons.map((p) => [p.command, p]))('compiles under %s', (_name, env) => {
      const files = result.files.filter((f) => f.path.endsWith('.py')).map((f) => f.path);
      const code = `import os, py_compile, sys, tempfile\nfor f in sys.argv[1:]: py_compile.compile(f, doraise=True, cfile=os.path.join(tempfile.mkdtemp(), "x.pyc"))`;
      execFileSync(env.command, ['-c', code, ...files], { cwd: dir });
    });

    test.each(pythons.map((p) => [`${p.command} (jsonschema ${p.versions.jsonschema})`, p]))(
      'runtime helpers behave under %s',
      (_name, env) => {
        const script = `
import json, signal, time
from specmint_runtime import (SchemaValidator, ValidationTimeout, json_equal, media_type_matches, read_pointer, status_matches, declared_response)
from specmint_contract import SCHEMAS
v = SchemaValidator(SCHEMAS)
pet = {"id": 1, "name": "Rex", "species": "dog", "createdAt": "2024-01-02T03:04:05Z"}
out = {
  "valid": v.errors({"$ref": "#/components/schemas/Pet"}, pet),
  "missing": v.errors({"$ref": "#/components/schemas/Pet"}, {k: pet[k] for k in pet if k != "createdAt"}),
  "wrongType": v.errors({"$ref": "#/components/schemas/Pet"}, dict(pet, age="3")),
  "boolIsNotInt": v.errors({"$ref": "#/components/schemas/Pet"}, dict(pet, id=True)),
  "badDateTime": v.errors({"$ref": "#/components/schemas/Pet"}, dict(pet, createdAt="yesterday")),
  "badDate": v.errors({"$ref": "#/components/schemas/Pet"}, dict(pet, birthDate="2024-02-30")),
  "unknownFormat": v.errors({"type": "string", "format": "made-up"}, "x"),
  "nested": v.errors({"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}}}, {"items": [pet, {"id": 0}]}),
  "media": [media_type_matches(d, a) for d, a in [("application/json", "application/json"), ("*/*", "text/html"), ("text/*", "text/plain"), ("application/*+json", "application/problem+json"), ("application/json", "text/plain"), ("application/*+json", "application/json")]],
  "status": [status_matches(p, s) for p, s in [("201", 201), ("2XX", 204), ("2xx", 200), ("4XX", 500), ("201", 200)]],
  "pointer": [read_pointer({"a/b": {"c~d": [10, 20]}}, "/a~1b/c~0d/1"), read_pointer([1], "")],
  "equal": [json_equal(1, 1.0), json_equal(True, 1), json_equal({"a": [1]}, {"a": [1]}), json_equal("1", 1)],
  "declared": [declared_response("getPet", 404)["status"], declared_response("getPet", 500)],
}
runaway = SchemaValidator(SCHEMAS, time_limit=0.5)
nested = {"type": "string", "pattern": r"^([\\w.-]*)*$"}
started = time.monotonic()
try:
    runaway.errors(nested, "a" * 40 + "!")
    out["runaway"] = "finished"
except ValidationTimeout as error:
    out["runaway"] = ["stopped", error.args[0], time.monotonic() - started < 10]
out["afterRunaway"] = [runaway.errors(nested, "a.b-c"), len(runaway.errors(nested, "a!")), signal.getitimer(signal.ITIMER_REAL)[0], signal.getsignal(signal.SIGALRM) == signal.SIG_DFL]
print(json.dumps(out))`;
        const out = JSON.parse(python(env.command, script, dir)) as Record<string, unknown[]>;
        expect(out.valid).toEqual([]);
        expect(out.missing?.join()).toMatch(/createdAt/);
        expect(out.wrongType?.join()).toMatch(/^\/age must be integer$/);
        expect(out.boolIsNotInt?.length).toBeGreaterThan(0);
        expect(out.badDateTime?.join()).toMatch(/\/createdAt/);
        expect(out.badDate?.join()).toMatch(/\/birthDate/);
        expect(out.unknownFormat).toEqual([]);
        expect(out.nested?.join()).toMatch(/\/items\/1/);
        expect(out.media).toEqual([true, true, true, true, false, false]);
        expect(out.status).toEqual([true, true, true, false, false]);
        expect(out.pointer).toEqual([20, [1]]);
        expect(out.equal).toEqual([true, false, true, false]);
        expect(out.declared).toEqual(['404', null]);
        // A pattern that backtracks for ever on a value is stopped at the limit, and the alarm is put back.
        expect(out.runaway).toEqual(['stopped', 0.5, true]);
        expect(out.afterRunaway).toEqual([[], 1, 0, true]);
      },
    );
  });
});

describe('table names', () => {
  test('a second table of one operation and category is named after the check it runs', async () => {
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const { prepareSpec } = await import('../../../cli/engine/pipeline.ts');
    const { planTests } = await import('../../../cli/engine/plan/plan-tests.ts');
    const dir = join(TMP_ROOT, 'table-names');
    mkdirSync(dir, { recursive: true });
    const spec = join(dir, 'events.json');
    const query = (name: string, schema: object) => ({ name, in: 'query', schema });
    writeFileSync(
      spec,
      JSON.stringify({
        openapi: '3.0.3',
        info: { title: 'Events', version: '1' },
        paths: {
          '/events': {
            get: {
              operationId: 'listEvents',
              tags: ['events'],
              parameters: [
                query('page', { type: 'integer' }),
                query('size', { type: 'integer' }),
                query('since', { type: 'string', format: 'date-time' }),
                query('until', { type: 'string', format: 'date-time' }),
              ],
              responses: { '200': { description: 'ok' }, '400': { description: 'bad' } },
            },
          },
        },
      }),
    );
    const { ir } = await prepareSpec(spec);
    const plan = planTests(ir, { seed: 1, categories: ['negative'] });
    const module = joinText(
      pytestRenderer.render(plan, OPTIONS).files.find((f) => f.path === 'tests/test_events.py')?.contents ??
        '',
    );
    const names = [...module.matchAll(/^def (test_\w+)\(/gm)].map((m) => m[1]);
    expect(names).toContain('test_listEvents_negative');
    expect(names).toContain('test_listEvents_negative_format_rejection');
    expect(names.filter((name) => name?.endsWith('__2'))).toEqual([]);
  });
});
