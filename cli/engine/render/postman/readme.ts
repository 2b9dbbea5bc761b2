/** The README of a generated Postman suite: what it checks, how to run it (in CI too), reports and hooks. */
import type { CheckName, TestCase, TestPlan } from '../../plan/types.ts';
import { CHECK_NAMES, CHECKS_OFF_BY_DEFAULT } from '../../plan/types.ts';

/** One line per check (docs/checks.md has the full rule). */
const CHECK_LINES: Record<CheckName, string> = {
  not_a_server_error: 'the status is not 5xx',
  status_code_conformance:
    'the status is declared for the operation (an undeclared 4xx the spec leaves open only warns)',
  content_type_conformance: 'a response with content has a declared `Content-Type`',
  response_schema_conformance: 'a JSON body validates against the declared schema',
  response_headers_conformance:
    'required declared headers are present and declared headers match their schema',
  positive_data_acceptance: 'a valid request gets one of the statuses the case expects',
  negative_data_rejection: 'an invalid request gets a 4xx',
  negative_format_rejection:
    'a value only a `format` rules out gets a 4xx (off unless named in `SPECMINT_CHECKS`)',
  auth_enforced: 'a request without or with invalid credentials gets 401 or 403',
  use_after_delete: 'a read after a delete gets 404 or 410',
  unsupported_method: 'a method the path does not declare gets neither a 2xx nor a 5xx',
  read_after_write: 'a read after a write returns the values sent',
  filter_consistency: 'a filtered list holds only matching items',
  idempotence: 'repeating a PUT or DELETE leaves the resource as one call did',
};

/** Options of {@link postmanReadme}. */
export interface PostmanReadmeOptions {
  plan: TestPlan;
  /** The rendered cases. */
  cases: readonly TestCase[];
  header: string;
  collectionFile: string;
  /** Credential variables and what each holds. */
  vars: Array<[string, string]>;
}

/** The checks the suite's steps run, in the order of CHECK_NAMES. */
function checksRun(plan: TestPlan, cases: readonly TestCase[]): CheckName[] {
  const used = new Set<string>(['not_a_server_error', 'status_code_conformance']);
  const withHeaders = new Set(
    plan.operations
      .filter((op) => op.responses.some((response) => (response.headers ?? []).length > 0))
      .map((op) => op.id),
  );
  for (const testCase of cases) {
    for (const step of testCase.steps) {
      used.add(step.expect.check);
      if (step.expect.validateBody) used.add('content_type_conformance').add('response_schema_conformance');
      if (withHeaders.has(step.operationId)) used.add('response_headers_conformance');
      if (step.expect.bodyEquals?.length) used.add('read_after_write');
      if (step.expect.itemsMatch) used.add('filter_consistency');
      if (step.expect.sameAs) used.add('idempotence');
    }
  }
  return CHECK_NAMES.filter((name) => used.has(name));
}

/** The README text. */
export function postmanReadme(options: PostmanReadmeOptions): string {
  const { plan, header, collectionFile, vars } = options;
  const rows = [
    ['BASE_URL', 'base URL of the API under test (the collection variable `baseUrl`)'],
    ...vars,
    ['SPECMINT_CHECKS', 'run only these checks (comma list; `all` for every check)'],
    ['SPECMINT_EXCLUDE_CHECKS', 'skip these checks (comma list)'],
    [
      'SPECMINT_RUN_ID',
      "the names, codes and ids setup steps make up are renamed anew in each run (a server keeps them unique); a run with the same id sends the same ones (newman; the Postman app keeps its first run's `specmint.salt` collection variable until you delete it)",
    ],
    ['SPECMINT_REPORTS', '`1` writes the reports without `CI`; `0` never writes them'],
  ];
  const checks = checksRun(plan, options.cases)
    .map((name) => {
      const off = CHECKS_OFF_BY_DEFAULT.includes(name) ? ' **(off by default)**' : '';
      return `- \`${name}\`${off}: ${CHECK_LINES[name]}`;
    })
    .join('\n');
  const envFlags = vars.map(([name]) => ` \\\n  --env-var "${name}=$${name}"`).join('');
  return `<!-- ${header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — Postman collection

The collection, \`${collectionFile}\`, holds one request per test step, in a folder per tag.
Cases that send different inputs to the same request and are checked the same way sit in a folder of their own,
one request per case; multi-step flows are ordered sub-folders. The credentials are set once, on the collection's Authorization tab, and
requests inherit them; a request that must send none, invalid ones or another scheme's has its own. Each
request's Tests tab names its checks; the collection's Tests tab holds the code that runs them.

## Run

\`\`\`sh
BASE_URL=https://api.example.com node specmint-run.mjs
\`\`\`

\`specmint-run.mjs\` runs the collection with newman (the one installed in or above this folder, else
\`npx newman\`), with the variables below taken from the environment and the hooks from \`hooks.postman_environment.json\`,
then prints a summary: failures grouped by operation and check, warnings, declared statuses not seen. It exits
with newman's code, so CI fails when a check fails. Options after it go to newman (\`--folder pets\`, \`--bail\`).

With newman alone (no summary, no coverage report):

\`\`\`sh
npx newman run ${collectionFile} --timeout-script 30000 -e hooks.postman_environment.json \\
  --env-var "baseUrl=$BASE_URL"${envFlags}
\`\`\`

\`--timeout-script\` fails a check that runs past 30 s (a schema \`pattern\` backtracking on a response value)
instead of letting it hang the run. When many checks fail, newman's closing failure table takes seconds per
failure (it measures every line of every message again and again): \`--reporter-cli-no-failures\` leaves it out,
as the run script does before printing the failures itself. In the Postman app: import the collection, set its variables (or an
environment with them) and run it; the checks are the same, the summary is the run script's.

## Variables

| Variable | Meaning |
|---|---|
${rows.map(([name, text]) => `| \`${name}\` | ${text} |`).join('\n')}

With newman alone, pass them as \`--env-var NAME=value\`.

## Checks

Every response is checked by name (docs/checks.md in SpecMint has each rule):

${checks}

A failed check fails the request's test of that name. Its message shows the case, every failed check of the
request, the method and full URL, the headers (credentials as \`***\`), the body, the response and a \`curl\`
line that reproduces the request with your credentials as \`$VARIABLES\`.

## Reports

With \`CI\` set or \`SPECMINT_REPORTS=1\` (never with \`SPECMINT_REPORTS=0\`), \`node specmint-run.mjs\` writes
\`reports/junit.xml\` (newman's junit reporter; test names are the checks', in a suite per request) and
\`reports/coverage.json\` (operations called, declared statuses seen and not seen, checks run and failed,
failures and warnings). \`reports/\` is in \`.gitignore\`. In GitHub Actions:

\`\`\`yaml
- run: node specmint-run.mjs
  working-directory: tests/api/postman
  env:
    BASE_URL: https://staging.example.com${vars.map(([name]) => `\n    ${name}: \${{ secrets.${name} }}`).join('')}
\`\`\`

## Hooks

\`hooks.postman_environment.json\` is yours: SpecMint creates it once and never overwrites it. Its two variables
hold script text that the collection's scripts run with \`pm\` in scope:

- \`specmint.hooks.beforeRequest\`: before each request (add a header, sign the request, change the URL), e.g.
  \`pm.request.headers.upsert({ key: 'X-Trace', value: 'ci' })\`;
- \`specmint.hooks.afterResponse\`: after each response, before its checks (read values, record what was
  created for clean-up).

A hook that throws fails the request it ran for, with the hook named in the message. In the Postman app, add the
two variables to the environment you run with.
`;
}
