/**
 * The fixed files of a generated pytest project: `specmint_contract.py` (what the API declares),
 * `conftest.py`, `pytest.ini`, `requirements.txt` and `README.md`.
 */

import type { TestPlan } from '../../plan/types.ts';
import { CATEGORIES } from '../../plan/types.ts';
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

/** `specmint_contract.py`: security schemes, declared responses per operation and the named schemas. */
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
        responses: convertResponses(operation.responses, stripSchemaIds),
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
    assign('SECURITY_SCHEMES', schemes),
    '',
    assign('OPERATIONS', operations),
    '',
    assign('SCHEMAS', schemas),
    '',
  ].join('\n');
}

/** `conftest.py`: the fixtures every test module uses. */
export function renderConftestPy(headerComment: string): string {
  return `${headerComment}
"""Fixtures: base URL, HTTP session, credentials, schema validator and the API client."""

import os

import pytest
import requests

from specmint_contract import SCHEMAS
from specmint_runtime import ApiClient, Credentials, SchemaValidator


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
    return Credentials(os.environ)


@pytest.fixture(scope="session")
def time_limit():
    """Seconds each request, and each response body's schema check, may take (SPECMINT_TIMEOUT)."""
    return float(os.environ.get("SPECMINT_TIMEOUT", "30"))


@pytest.fixture(scope="session")
def schema_validator(time_limit):
    """JSON Schema validator for response bodies."""
    return SchemaValidator(SCHEMAS, time_limit=time_limit)


@pytest.fixture
def api(base_url, session, credentials, schema_validator, time_limit):
    """Client that runs the steps of one test case."""
    return ApiClient(base_url, session, credentials, schema_validator, timeout=time_limit)
`;
}

/** `pytest.ini`: test paths, import path and the category markers. */
export function renderPytestIni(headerComment: string): string {
  const markers = Object.entries(PYTEST_MARKERS).map(([name, text]) => `    ${name}: ${text}`);
  return `${headerComment}
[pytest]
testpaths = tests
pythonpath = .
addopts = --strict-markers -ra
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
  return `<!-- ${options.header.replace(/--/g, '- -')} -->
# ${plan.api.title} ${plan.api.version} — pytest suite

${options.testCount} API test cases generated from the OpenAPI description. Every response is checked:
5xx fails, the status must be declared by the operation and expected by the case, and JSON bodies are
validated against the declared schema.

## Environment

| Variable | Meaning |
|---|---|
${envLines.join('\n')}
| \`SPECMINT_TIMEOUT\` | optional time limit in seconds for each request and each response body's schema check (default 30) |

## Run

\`\`\`sh
python3 -m pip install -r requirements.txt
BASE_URL=${server} python3 -m pytest
\`\`\`

Select categories with markers (${markers}), e.g. \`python3 -m pytest -m "contract and not ai"\`.

## Layout

- \`tests/test_<tag>.py\` — one module per tag; one test per case (parametrized where cases share a shape)
- \`specmint_runtime.py\` — request building, auth, response checks, captures
- \`specmint_contract.py\` — declared responses and schemas the checks use
- \`conftest.py\` — fixtures (\`base_url\`, \`session\`, \`credentials\`, \`schema_validator\`, \`api\`)
`;
}
