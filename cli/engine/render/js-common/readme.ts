/**
 * README.md of a generated suite: what it tests, the env vars it reads, the one command that runs it.
 */
import {
  CATEGORIES,
  CHECK_NAMES,
  CHECKS_OFF_BY_DEFAULT,
  type CheckName,
  type PlanDiagnostic,
  type TestCase,
  type TestPlan,
} from '../../plan/types.ts';
import type { RenderOptions } from '../types.ts';
import { toSchemeSpec } from './contract.ts';
import type { JsDialect } from './dialect.ts';
import { headerLines } from './naming.ts';
import type { TagGroup } from './test-files.ts';

/** Text safe in a Markdown table cell or a line. */
export function markdownText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/([\\`*_|<>[\]])/g, '\\$1');
}

/** One env var a suite reads. */
export interface EnvVarRow {
  name: string;
  description: string;
}

/** BASE_URL and every security scheme's credential variables. */
export function envVarRows(plan: TestPlan): EnvVarRow[] {
  const example = plan.defaultBaseUrl ?? 'http://localhost:8080';
  const rows: EnvVarRow[] = [
    {
      name: 'BASE_URL',
      description: `Root URL of the API under test, e.g. \`${example.replace(/`/g, '')}\``,
    },
  ];
  for (const scheme of Object.values(plan.securitySchemes)) {
    const key = `\`${scheme.key.replace(/`/g, '')}\``;
    const spec = toSchemeSpec(scheme);
    if ('unsupported' in spec) {
      for (const name of Object.values(scheme.env)) {
        rows.push({ name, description: `Not used: ${markdownText(spec.unsupported)} (${key})` });
      }
    } else if (spec.kind === 'basic') {
      rows.push({ name: spec.usernameEnv, description: `User name for HTTP basic scheme ${key}` });
      rows.push({ name: spec.passwordEnv, description: `Password for HTTP basic scheme ${key}` });
    } else if (spec.kind === 'bearer') {
      rows.push({ name: spec.tokenEnv, description: `Bearer token (access token) for scheme ${key}` });
    } else {
      const where = `${spec.in} \`${spec.name.replace(/`/g, '')}\``;
      rows.push({ name: spec.tokenEnv, description: `API key for scheme ${key}, sent as ${where}` });
    }
  }
  return rows;
}

/** The env var table as Markdown lines. */
export function envVarTable(plan: TestPlan): string[] {
  return [
    '| Variable | Meaning |',
    '| --- | --- |',
    ...envVarRows(plan).map((row) => `| \`${row.name}\` | ${row.description} |`),
  ];
}

/** An example command line with every variable set. */
export function exampleEnv(plan: TestPlan): string {
  return envVarRows(plan)
    .map(
      (row) =>
        `${row.name}=${row.name === 'BASE_URL' ? (plan.defaultBaseUrl ?? 'http://localhost:8080') : '…'}`,
    )
    .map((pair) => (/[\s'"$`\\]/.test(pair) ? `'${pair.replace(/'/g, "'\\''")}'` : pair))
    .join(' ');
}

function countSummary(cases: TestCase[]): string {
  const parts = CATEGORIES.map(
    (category) => [category, cases.filter((c) => c.category === category).length] as const,
  )
    .filter(([, n]) => n > 0)
    .map(([category, n]) => `${n} ${category}`);
  const ai = cases.filter((c) => c.ai).length;
  if (ai > 0) parts.push(`${ai} AI-generated`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** What each check asserts, in a line (docs/checks.md has the full text). */
const CHECK_FAILS_WHEN: Record<CheckName, string> = {
  not_a_server_error: 'the status is 5xx',
  status_code_conformance:
    'the status is not declared by the operation (an undeclared 4xx the spec leaves open only warns)',
  content_type_conformance: "the response's Content-Type is missing or not declared",
  response_schema_conformance: 'a JSON body does not match the declared schema',
  response_headers_conformance: 'a required response header is missing, or a header breaks its schema',
  positive_data_acceptance: 'a valid request is not answered with an expected success',
  negative_data_rejection: 'an invalid request is not answered with a 4xx',
  negative_format_rejection: 'a value only a `format` rules out is not answered with a 4xx',
  auth_enforced: 'a request with missing or invalid credentials is not answered with 401 or 403',
  use_after_delete: 'a read after a delete is not answered with 404 or 410',
  unsupported_method: 'a method the path does not declare is answered with a 2xx or a 5xx other than 501',
  read_after_write: 'a read after a write does not return the values sent',
  filter_consistency: 'a filtered list holds an item with another value',
  idempotence: 'repeating a PUT or DELETE leaves the resource different from one call',
};

/** The checks table as Markdown lines. */
function checkTable(): string[] {
  return [
    '| check | fails when |',
    '| --- | --- |',
    ...CHECK_NAMES.map((name) => {
      const off = CHECKS_OFF_BY_DEFAULT.includes(name) ? ' (off unless `SPECMINT_CHECKS` names it)' : '';
      return `| \`${name}\` | ${CHECK_FAILS_WHEN[name]}${off} |`;
    }),
  ];
}

/** Renders the README of a JS-family suite. */
export function renderReadme(input: {
  plan: TestPlan;
  options: RenderOptions;
  dialect: JsDialect;
  groups: TagGroup[];
  skipped: PlanDiagnostic[];
}): string {
  const { plan, options, dialect, groups, skipped } = input;
  const cases = groups.flatMap((g) => g.operations.flatMap((op) => op.cases));
  const title = markdownText(`${plan.api.title} ${plan.api.version}`);
  const lines = [
    `# ${title} — API tests (${dialect.readme.runner})`,
    '',
    ...headerLines(options).map((line) => `> ${markdownText(line)}`),
    '',
    `${cases.length} tests (${countSummary(cases)}), generated with seed ${plan.seed}. Each test sends real`,
    'HTTP requests and runs the named checks below on every response; a failing test names every check that',
    'failed, the request, the response and a `curl` line that sends the request again.',
    '',
    '## Run',
    '',
    '```sh',
    'npm install',
    `${exampleEnv(plan)} npm test`,
    '```',
    '',
    'In CI, the same command: with `CI` set the run also writes the reports below.',
    `Run one category: \`${dialect.readme.filterExample}\`.`,
    ...dialect.readme.notes,
    '',
    '## Environment',
    '',
    ...envVarTable(plan),
    '| `SPECMINT_CHECKS` | Optional comma list: run only these checks (`all` = every check) |',
    '| `SPECMINT_EXCLUDE_CHECKS` | Optional comma list: skip these checks |',
    '| `SPECMINT_RUN_ID` | Optional: the names, codes and ids setup steps make up are renamed anew in each run (a server keeps them unique); a run with the same id sends the same ones |',
    '| `SPECMINT_REPORTS` | `1` writes the reports without `CI`, `0` never writes them |',
    '',
    'A credential variable that is not set sends its requests without that credential; a failure and the',
    'summary name it.',
    '',
    '## Checks',
    '',
    ...checkTable(),
    '',
    'A step reports every check that fails, not only the first. Switch checks with `SPECMINT_CHECKS=a,b` (only',
    'these) or `SPECMINT_EXCLUDE_CHECKS=a,b`; an unknown name stops the run and lists the known ones.',
    '',
    'The run ends with a summary: operations and declared statuses covered, checks run, failures grouped by',
    'operation and check, and warnings (credentials missing, unknown ids, valid inputs rejected, undeclared',
    'statuses the spec leaves open).',
    '',
    '## Reports',
    '',
    'With `CI` set or `SPECMINT_REPORTS=1` (never with `SPECMINT_REPORTS=0`), the run writes',
    `\`reports/junit.xml\` (${dialect.readme.junit}; test names come from the plan, so they are the same on every run)`,
    'and `reports/coverage.json` (what the summary shows) in this folder. `.gitignore` leaves `reports/` out.',
    '',
    '## Hooks',
    '',
    `\`hooks.${dialect.language}\` is yours: SpecMint creates it once and never overwrites or deletes it. The suite calls`,
    'the functions it exports: `beforeRun()`, `beforeRequest(request)` (change `request.method`, `.url`,',
    '`.headers` or `.body`; sign the request), `afterResponse(request, response)`, `afterFailure(testId, error)`',
    'and `afterRun()`. A hook that throws fails the test it ran for, naming the hook.',
    '',
    '## Files',
    '',
    `- \`specmint.runtime.${dialect.language}\` — requests, auth, the checks (Ajv, JSON Schema 2020-12), failure text, summary and reports`,
    `- \`schemas.${dialect.language}\` — declared responses, headers and schemas of every operation`,
    `- ${dialect.readme.setupFiles} — start and end a run (checks chosen, \`beforeRun\` and \`afterRun\`, summary, coverage.json)`,
    `- \`hooks.${dialect.language}\` — your hooks`,
    ...groups.map((g) => `- \`${g.path}\` — tag ${markdownText(g.tag)}`),
  ];
  if (skipped.length > 0) {
    lines.push('', '## Cases not generated', '', ...skipped.map((d) => `- ${markdownText(d.message)}`));
  }
  return `${lines.join('\n')}\n`;
}
