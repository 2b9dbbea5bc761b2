/** Runs a Postman collection with newman's Node API and summarises the outcome (tests only). */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** The parts of newman's run summary these tests read (newman ships no type definitions). */
interface NewmanSummary {
  run: {
    stats: Record<
      'requests' | 'assertions' | 'testScripts' | 'prerequestScripts',
      { total: number; failed: number }
    >;
    failures: Array<{ error: { name: string; message: string; test?: string }; source?: { name?: string } }>;
  };
}

type NewmanRun = (
  options: {
    collection: unknown;
    envVar: Array<{ key: string; value: string }>;
    reporters: string[];
    timeoutRequest?: number;
    timeoutScript?: number;
  },
  callback: (error: Error | null, summary: NewmanSummary) => void,
) => unknown;

const newman = createRequire(import.meta.url)('newman') as { run: NewmanRun };

/** Outcome of one newman run. */
export interface NewmanReport {
  requests: number;
  assertions: number;
  /** Failed assertions plus script errors. */
  failed: number;
  /** `request: test — message` of every failure. */
  failures: string[];
}

function summarise(summary: NewmanSummary): NewmanReport {
  const { stats, failures } = summary.run;
  return {
    requests: stats.requests.total,
    assertions: stats.assertions.total,
    failed: failures.length,
    failures: failures.map(
      (failure) =>
        `${failure.source?.name ?? '?'}: ${failure.error.test ?? failure.error.name} — ${failure.error.message}`,
    ),
  };
}

/** Runs the collection with the given variables (as `--env-var` would). */
export function runNewman(collection: unknown, vars: Record<string, string>): Promise<NewmanReport> {
  return new Promise((resolve, reject) => {
    newman.run(
      {
        collection,
        envVar: Object.entries(vars).map(([key, value]) => ({ key, value })),
        reporters: [],
        timeoutRequest: 30_000,
        // As the generated README runs it.
        timeoutScript: 30_000,
      },
      (error, summary) => {
        if (error) {
          reject(error);
          return;
        }
        resolve(summarise(summary));
      },
    );
  });
}

/** Options of {@link runNewmanCli}. */
export interface RunNewmanCliOptions {
  /** The collection file, as the generated README runs it. */
  collectionFile: string;
  vars: Record<string, string>;
  /** Folder for the JSON report. */
  workDir: string;
  /** Stop at the first failure (`--bail`). */
  bail?: boolean;
  /** @default 180000 */
  timeoutMs?: number;
}

/**
 * Runs the newman CLI as a user does (`newman run <file> --env-var …`) in its own process, with the JSON
 * reporter, and summarises its report. Several of these can run side by side without sharing an event loop
 * with each other or with the servers under test.
 */
export function runNewmanCli(options: RunNewmanCliOptions): Promise<NewmanReport & { output: string }> {
  const report = join(options.workDir, 'newman-report.json');
  mkdirSync(options.workDir, { recursive: true });
  rmSync(report, { force: true });
  const args = [
    'run',
    options.collectionFile,
    '--reporters',
    'cli,json',
    '--reporter-json-export',
    report,
    '--timeout-request',
    '30000',
    // As the generated README runs it.
    '--timeout-script',
    '30000',
    '--color',
    'off',
    ...Object.entries(options.vars).flatMap(([key, value]) => ['--env-var', `${key}=${value}`]),
    ...(options.bail ? ['--bail', 'failure'] : []),
  ];
  const bin = join(import.meta.dirname, '../../../node_modules/.bin/newman');
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      let summary: NewmanSummary;
      try {
        summary = JSON.parse(readFileSync(report, 'utf8')) as NewmanSummary;
      } catch {
        reject(new Error(`newman wrote no report (exit ${code}):\n${output.slice(-3000)}`));
        return;
      }
      resolve({ ...summarise(summary), output: output.slice(-3000) });
    });
  });
}

/** One test of newman's JUnit report: its suite (the request), its name (the check) and failure message. */
export interface JunitCase {
  suite: string;
  name: string;
  failure?: string;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#(xA|10);/g, '\n')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The tests of a JUnit XML report as newman's junit reporter writes it. */
export function parseNewmanJunit(xml: string): JunitCase[] {
  const cases: JunitCase[] = [];
  for (const suite of xml.split(/<testsuite\b/).slice(1)) {
    const suiteName = unescapeXml(/^[^>]*\bname="([^"]*)"/.exec(suite)?.[1] ?? '');
    for (const testCase of suite.split(/<testcase\b/).slice(1)) {
      const name = unescapeXml(/^[^>]*\bname="([^"]*)"/.exec(testCase)?.[1] ?? '');
      const failure = /<failure\b[^>]*\bmessage="([^"]*)"/.exec(testCase)?.[1];
      cases.push({
        suite: suiteName,
        name,
        ...(failure !== undefined ? { failure: unescapeXml(failure) } : {}),
      });
    }
  }
  return cases;
}

/** Options of {@link runSuiteScript}. */
export interface RunSuiteScriptOptions {
  /** The generated suite's folder. */
  dir: string;
  /** The environment the README's command reads (BASE_URL, credentials, SPECMINT_*); nothing else leaks in. */
  env: Record<string, string>;
  /** Extra arguments (passed on to newman). */
  args?: string[];
  /** @default 180000 */
  timeoutMs?: number;
}

/** What `node specmint-run.mjs` gave: exit code, output, and the reports when it wrote them. */
export interface SuiteScriptRun {
  code: number | null;
  output: string;
  junit?: JunitCase[];
  coverage?: Record<string, unknown>;
}

/**
 * Runs a generated Postman suite the way its README says (`node specmint-run.mjs`), in its own process, with
 * only the given variables (plus PATH and HOME), and reads the reports it wrote.
 */
export function runSuiteScript(options: RunSuiteScriptOptions): Promise<SuiteScriptRun> {
  const reports = join(options.dir, 'reports');
  rmSync(reports, { recursive: true, force: true });
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['specmint-run.mjs', ...(options.args ?? [])], {
      cwd: options.dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 180_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const read = (file: string) => {
        try {
          return readFileSync(join(reports, file), 'utf8');
        } catch {
          return undefined;
        }
      };
      const junit = read('junit.xml');
      const coverage = read('coverage.json');
      resolve({
        code,
        output,
        ...(junit !== undefined ? { junit: parseNewmanJunit(junit) } : {}),
        ...(coverage !== undefined ? { coverage: JSON.parse(coverage) as Record<string, unknown> } : {}),
      });
    });
  });
}
