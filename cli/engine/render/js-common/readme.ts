/**
 * README.md of a generated suite: what it tests, the env vars it reads, the one command that runs it.
 */
import { CATEGORIES, type PlanDiagnostic, type TestCase, type TestPlan } from '../../plan/types.ts';
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
    'HTTP requests and fails on a 5xx, an undeclared status, an unexpected status, a response body that does',
    'not match the declared schema or content type, or a value that cannot be captured for a later step.',
    '',
    '## Run',
    '',
    '```sh',
    'npm install',
    `${exampleEnv(plan)} npm test`,
    '```',
    '',
    `Run one category: \`${dialect.readme.filterExample}\`.`,
    ...dialect.readme.notes,
    '',
    '## Environment',
    '',
    ...envVarTable(plan),
    '',
    'A test whose credentials are not set fails and names the missing variable.',
    '',
    '## Files',
    '',
    `- \`specmint.runtime.${dialect.language}\` — request building, auth, response checks (Ajv, JSON Schema 2020-12)`,
    `- \`schemas.${dialect.language}\` — declared responses and schemas of every operation`,
    ...groups.map((g) => `- \`${g.path}\` — tag ${markdownText(g.tag)}`),
  ];
  if (skipped.length > 0) {
    lines.push('', '## Cases not generated', '', ...skipped.map((d) => `- ${markdownText(d.message)}`));
  }
  return `${lines.join('\n')}\n`;
}
