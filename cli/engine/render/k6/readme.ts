/** The README of a generated k6 load test: what it checks, how to run it (in CI too), reports and hooks. */
import type { TestPlan } from '../../plan/types.ts';

/** Options of {@link k6Readme}. */
export interface K6ReadmeOptions {
  plan: TestPlan;
  header: string;
  /** Credential variables and what each holds. */
  vars: Array<[string, string]>;
  /** Operation ids with a scenario. */
  scenarios: string[];
}

/** The README text. */
export function k6Readme(options: K6ReadmeOptions): string {
  const { plan, header, vars, scenarios } = options;
  const rows: Array<[string, string]> = [
    ['BASE_URL', 'base URL of the API under test'],
    ...vars,
    ['VUS', 'virtual users per scenario (default 5)'],
    ['DURATION', 'duration of each scenario, e.g. `1m` (default `30s`)'],
    ['MAX_ERROR_RATE', 'threshold on `http_req_failed` (default 0.01)'],
    ['P95_MS', 'threshold on the 95th percentile of `http_req_duration` in ms (default 500)'],
    ['MIN_CHECK_RATE', 'threshold on the rate of passed SpecMint checks, `specmint_checks` (default 0.99)'],
    ['SPECMINT_CHECKS', 'run only these checks (comma list; `all` for every check)'],
    ['SPECMINT_EXCLUDE_CHECKS', 'skip these checks (comma list)'],
    [
      'SPECMINT_RUN_ID',
      'the names, codes and ids setup steps make up are renamed anew in each iteration (a server keeps them unique); a run with the same id sends the same ones',
    ],
    ['SPECMINT_REPORTS', '`1` writes the reports without `CI`; `0` never writes them'],
  ];
  const flags = vars.map(([name]) => ` -e ${name}=$${name}`).join('');
  const list = scenarios.map((name) => `\`${name}\``).join(', ') || 'none';
  return `<!-- ${header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — k6 load test

\`load-test.js\` runs one scenario per operation (${list}), each repeating the operation's contract cases (cases
that send different inputs the same way are one data array), and fails when a threshold is crossed.

## Run

\`\`\`sh
mkdir -p reports && k6 run -e BASE_URL=$BASE_URL${flags} load-test.js
\`\`\`

(\`reports/\` must exist before k6 writes the reports into it; \`.gitignore\` ignores it.)

## Environment

| Variable | Meaning |
|---|---|
${rows.map(([name, text]) => `| \`${name}\` | ${text} |`).join('\n')}

## Checks

Every response is checked by name (docs/checks.md in SpecMint has each rule), each check recorded as a k6 check
of that name in a group named by its case:

- \`not_a_server_error\`: the status is not 5xx
- \`positive_data_acceptance\`: the status is one the case expects (a declared success)
- \`status_code_conformance\`: the status is declared for the operation
- \`content_type_conformance\`: a response with content has a declared \`Content-Type\`
- \`response_schema_conformance\`: a JSON body validates against the declared schema
- \`response_headers_conformance\`: required declared headers are present and match their schema (operations that
  declare headers)

A failed check prints, once per case, the case, every failed check, the method and full URL, the headers
(credentials as \`***\`), the body, the response and a \`curl\` line with your credentials as \`$VARIABLES\`.
At the end of the run a summary lists the thresholds, the failures grouped by operation and check, warnings and
the declared statuses no response had.

## Reports

With \`CI\` set or \`SPECMINT_REPORTS=1\` (never with \`SPECMINT_REPORTS=0\`), \`handleSummary\` writes
\`reports/junit.xml\` (a test suite per case, a test per check) and \`reports/coverage.json\` (operations called,
declared statuses seen and not seen, checks run and failed, failures and warnings). In GitHub Actions, with k6
installed (e.g. \`grafana/setup-k6-action\`):

\`\`\`yaml
- run: mkdir -p reports && k6 run load-test.js
  working-directory: tests/api/k6
  env:
    BASE_URL: https://staging.example.com${vars.map(([name]) => `\n    ${name}: \${{ secrets.${name} }}`).join('')}
\`\`\`

## Hooks

\`hooks.js\` is yours: SpecMint creates it once and never overwrites it. \`load-test.js\` calls its exported
functions: \`beforeRun()\` (k6 \`setup\`; what it returns reaches \`afterRun\`), \`beforeRequest(request)\` (change
\`request.method\`, \`url\`, \`headers\` or \`body\` in place: add a header, sign the request),
\`afterResponse(request, response)\` (read values, record what was created) and \`afterRun(data)\` (k6
\`teardown\`: clean up). A hook that throws fails the request it ran for, naming the hook.
`;
}
