/**
 * The fixed files of a generated pytest project: `specmint_contract.py` (what the API declares),
 * `conftest.py`, `pytest.ini`, `requirements.txt` and `README.md`.
 */

import type { PlanResponse, TestPlan } from '../../plan/types.ts';
import { CATEGORIES, CHECK_NAMES, CHECKS_OFF_BY_DEFAULT, type CheckName } from '../../plan/types.ts';
import { convertResponses } from '../common/responses.ts';
import { stripSchemaIds } from '../common/schema-walk.ts';
import { pyLiteral, pyString } from './python-literal.ts';

/** Markers registered in pytest.ini (`--strict-markers` rejects any other). */
export const PYTEST_MARKERS: Record<string, string> = {
  contract: 'valid requests that must succeed and match the declared schema',
  negative: 'invalid input the API must reject with a 4xx',
  boundary: 'values at the edges of declared limits',
  auth: 'requests with missing or wrong credentials',
  stateful: 'multi-step flows that share captured values',
  ai: 'cases proposed by an AI model and validated by SpecMint',
};

/** The declared responses of an operation as the runtime reads them (schemas `$id`-free, headers kept). */
function contractResponses(responses: readonly PlanResponse[]): unknown[] {
  return convertResponses(responses, stripSchemaIds).map((converted, index) => {
    const headers = responses[index]?.headers;
    if (!headers) return converted;
    return {
      ...converted,
      headers: headers.map((header) => ({
        name: header.name,
        required: header.required,
        ...(header.schema === undefined ? {} : { schema: stripSchemaIds(header.schema) }),
      })),
    };
  });
}

/** `specmint_contract.py`: the API, security schemes, declared responses per operation and the named schemas. */
export function renderContractPy(plan: TestPlan, headerComment: string): string {
  const schemes = Object.fromEntries(
    Object.entries(plan.securitySchemes).map(([key, scheme]) => {
      const entry: Record<string, unknown> = { type: scheme.type };
      if (scheme.scheme !== undefined) entry.scheme = scheme.scheme;
      if (scheme.in !== undefined) entry.in = scheme.in;
      if (scheme.name !== undefined) entry.name = scheme.name;
      entry.env = scheme.env;
      return [key, entry];
    }),
  );
  const operations = Object.fromEntries(
    plan.operations.map((operation) => [
      operation.id,
      {
        method: operation.method.toUpperCase(),
        path: operation.path,
        responses: contractResponses(operation.responses),
      },
    ]),
  );
  const schemas = Object.fromEntries(
    Object.entries(plan.schemas).map(([name, schema]) => [name, stripSchemaIds(schema)]),
  );
  const assign = (name: string, value: unknown) =>
    `${name} = ${pyLiteral(value, { column: name.length + 3 })}`;
  return [
    headerComment,
    pyString(`What ${plan.api.title} ${plan.api.version} declares: credentials, responses and schemas.`),
    '',
    assign('API', { title: plan.api.title, version: plan.api.version }),
    '',
    assign('SECURITY_SCHEMES', schemes),
    '',
    assign('OPERATIONS', operations),
    '',
    assign('SCHEMAS', schemas),
    '',
  ].join('\n');
}

/** `conftest.py`: the fixtures every test module uses, the hooks of hooks.py, the summary and the reports. */
export function renderConftestPy(headerComment: string): string {
  return `${headerComment}
"""Fixtures (base URL, HTTP session, credentials, schema validator, the API client), the checks to run, the
hooks of hooks.py, the summary at the end of the run and the reports (README.md says more)."""

import os

import pytest
import requests

import specmint_runtime as specmint
from specmint_contract import SCHEMAS

_run = specmint.RunRecord()


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """SPECMINT_CHECKS / SPECMINT_EXCLUDE_CHECKS, and reports/junit.xml under CI or SPECMINT_REPORTS=1."""
    specmint.configure(config, _run)


def pytest_terminal_summary(terminalreporter):
    """Operations and statuses covered, checks run, failures grouped by operation and check, warnings."""
    specmint.write_summary(terminalreporter, _run)


def pytest_sessionfinish(session):
    """reports/coverage.json under CI or SPECMINT_REPORTS=1."""
    specmint.finish(session, _run)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Calls after_failure(test_id, error) of hooks.py when a test fails."""
    outcome = yield
    specmint.after_test(item, call, outcome.get_result(), _hooks)


@pytest.fixture(scope="session")
def base_url():
    """BASE_URL of the API under test, without a trailing slash."""
    value = os.environ.get("BASE_URL", "").strip()
    if not value:
        pytest.exit("BASE_URL is not set: export BASE_URL=https://api.example.com", returncode=2)
    return value.rstrip("/")


@pytest.fixture(scope="session")
def session():
    """One HTTP session (connection reuse); cookies are cleared before every request."""
    with requests.Session() as http:
        yield http


@pytest.fixture(scope="session")
def credentials():
    """Credentials read from env vars when a step needs them (see README.md)."""
    return specmint.Credentials(os.environ)


@pytest.fixture(scope="session")
def time_limit():
    """Seconds each request, and each response body's schema check, may take (SPECMINT_TIMEOUT)."""
    return float(os.environ.get("SPECMINT_TIMEOUT", "30"))


@pytest.fixture(scope="session")
def schema_validator(time_limit):
    """JSON Schema validator for response bodies."""
    return specmint.SchemaValidator(SCHEMAS, time_limit=time_limit)


@pytest.fixture(scope="session", autouse=True)
def specmint_run():
    """Calls before_run() of hooks.py before the first test and after_run() after the last."""
    _hooks.call("before_run")
    yield
    _hooks.call("after_run")


@pytest.fixture
def api(base_url, session, credentials, schema_validator, time_limit):
    """Client that runs the steps of one test case and checks every response."""
    return specmint.ApiClient(
        base_url, session, credentials, schema_validator, timeout=time_limit, record=_run, hooks=_hooks
    )


# Your fixtures and hook functions, last: a fixture of yours with the name of one above replaces it.
try:
    from hooks import *  # noqa: F401,F403
except ModuleNotFoundError as error:  # hooks.py was removed: no hooks
    if error.name != "hooks":
        raise

_hooks = specmint.load_hooks()
`;
}

/** `hooks.py`: the user's file (written once, never overwritten): hook functions and fixtures. */
export function renderHooksPy(headerComment: string): string {
  const note = headerComment
    .split('\n')
    .map((line) => line.replace(/ — do not edit$/, ' — yours to edit'))
    .join('\n');
  return `${note}
"""Your hooks. SpecMint writes this file once and never changes or deletes it: edit it freely.

The suite calls these functions (leave out any you do not need); one that raises fails the test it ran for.
pytest fixtures defined here are available to every test, and one named like a fixture of conftest.py
replaces it. \`request\` is a specmint_runtime.Request (method, url, headers, body, files, case_id, operation);
\`response\` is a requests.Response.
"""


def before_run():
    """Once, before the first test: set up data, read ids into variables, log in and keep a token."""


def before_request(request):
    """Before each request: add or change headers, sign the request, change the URL or body."""


def after_response(request, response):
    """After each response, before its checks: read values, record what was created (for clean-up)."""


def after_failure(test_id, error):
    """After a test fails (test_id is its case id): clean up what a flow created before it failed part-way."""


def after_run():
    """Once, after the last test: clean up."""
`;
}

/** `pytest.ini`: test paths, import path, short tracebacks and the category markers. */
export function renderPytestIni(headerComment: string): string {
  const markers = Object.entries(PYTEST_MARKERS).map(([name, text]) => `    ${name}: ${text}`);
  return `${headerComment}
[pytest]
testpaths = tests
pythonpath = .
addopts = --strict-markers --tb=short
markers =
${markers.join('\n')}
`;
}

/** `requirements.txt`. */
export function renderRequirements(headerComment: string): string {
  return `${headerComment}
pytest>=7.0
requests>=2.28
jsonschema>=4.0
`;
}

/** `.gitignore`: the reports and Python's caches. */
export function renderGitignore(headerComment: string): string {
  return `${headerComment}
reports/
__pycache__/
.pytest_cache/
`;
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

/** Options of {@link renderReadme}. */
export interface ReadmeOptions {
  plan: TestPlan;
  header: string;
  /** Env vars the suite reads besides BASE_URL, with what each holds. */
  envVars: Array<[name: string, purpose: string]>;
  testCount: number;
}

/** `README.md` of the pytest project. */
export function renderReadme(options: ReadmeOptions): string {
  const { plan } = options;
  const env = [
    ['BASE_URL', 'base URL of the API under test, e.g. `https://api.example.com`'],
    ...options.envVars,
  ];
  const envLines = env.map(([name, purpose]) => `| \`${name}\` | ${purpose} |`);
  const markers = [...CATEGORIES, 'ai'].map((name) => `\`${name}\``).join(', ');
  const server = plan.defaultBaseUrl ? plan.defaultBaseUrl : 'https://api.example.com';
  const checks = CHECK_NAMES.map((name) => {
    const off = CHECKS_OFF_BY_DEFAULT.includes(name) ? ' (off unless `SPECMINT_CHECKS` names it)' : '';
    return `| \`${name}\` | ${CHECK_FAILS_WHEN[name]}${off} |`;
  });
  return `<!-- ${options.header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — pytest suite

${options.testCount} API test cases generated from the OpenAPI description. Every response is checked against
what the API declares, and each failure names the checks that failed, the request, the response and a
\`curl\` line that sends the request again.

## Run

\`\`\`sh
python3 -m pip install -r requirements.txt
BASE_URL=${server} python3 -m pytest
\`\`\`

In CI, the same command: with \`CI\` set the run also writes the reports below.
Select categories with markers (${markers}), e.g. \`python3 -m pytest -m "contract and not ai"\`.

## Environment

| Variable | Meaning |
|---|---|
${envLines.join('\n')}
| \`SPECMINT_CHECKS\` | optional comma list: run only these checks (\`all\` = every check) |
| \`SPECMINT_EXCLUDE_CHECKS\` | optional comma list: skip these checks |
| \`SPECMINT_RUN_ID\` | optional: the names, codes and ids setup steps make up are renamed anew in each run (a server keeps them unique); a run with the same id sends the same ones |
| \`SPECMINT_REPORTS\` | \`1\` writes the reports without \`CI\`, \`0\` never writes them |
| \`SPECMINT_TIMEOUT\` | optional time limit in seconds for each request and each response body's schema check (default 30) |

A credential variable that is not set sends its requests without that credential, and the summary says so.

## Checks

| check | fails when |
|---|---|
${checks.join('\n')}

A step reports every check that fails, not only the first. Switch checks with \`SPECMINT_CHECKS=a,b\` (only
these) or \`SPECMINT_EXCLUDE_CHECKS=a,b\`; an unknown name stops the run and lists the known ones.

The run ends with a summary: operations and declared statuses covered, checks run, failures grouped by
operation and check, and warnings (credentials missing, unknown ids, valid inputs rejected, undeclared
statuses the spec leaves open).

## Reports

With \`CI\` set or \`SPECMINT_REPORTS=1\` (never with \`SPECMINT_REPORTS=0\`), the run writes
\`reports/junit.xml\` (pytest's JUnit XML; test names come from the plan, so they are the same on every run) and
\`reports/coverage.json\` (what the summary shows) in this folder. \`.gitignore\` leaves \`reports/\` out.

## Hooks

\`hooks.py\` is yours: SpecMint creates it once and never overwrites or deletes it. The suite calls
\`before_run()\`, \`before_request(request)\` (change headers, URL or body; sign the request),
\`after_response(request, response)\`, \`after_failure(test_id, error)\` and \`after_run()\`; pytest fixtures
defined there are available to the tests. A hook that raises fails the test it ran for.

## Layout

- \`tests/test_<tag>.py\` — one module per tag; one test per case, parametrised where cases differ only in
  what they send (each row named by its case id)
- \`specmint_runtime.py\` — requests, auth and the checks; \`specmint_values.py\` (schemas, comparisons) and
  \`specmint_report.py\` (failure text, summary, reports, hooks) are its parts
- \`specmint_contract.py\` — declared responses, headers and schemas the checks use
- \`conftest.py\` — fixtures (\`base_url\`, \`session\`, \`credentials\`, \`schema_validator\`, \`api\`) and the
  pytest hooks
- \`hooks.py\` — your hooks and fixtures
`;
}
