/** Runs a generated pytest suite with `--junitxml` and reads the outcome (tests only). */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Outcome of one pytest run. */
export interface PytestReport {
  exitCode: number | null;
  tests: number;
  failed: number;
  /** `name: message` of every failed or errored test. */
  failures: string[];
  output: string;
}

function attribute(tag: string, name: string): number {
  return Number(new RegExp(`\\b${name}="(\\d+)"`).exec(tag)?.[1] ?? 0);
}

function unescapeXml(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** Parses pytest's JUnit XML: totals and failing test names with their messages. */
export function parseJunit(xml: string): Omit<PytestReport, 'exitCode' | 'output'> {
  const suites = [...xml.matchAll(/<testsuite\b[^>]*>/g)].map((match) => match[0]);
  const tests = suites.reduce((sum, tag) => sum + attribute(tag, 'tests'), 0);
  const failed = suites.reduce((sum, tag) => sum + attribute(tag, 'failures') + attribute(tag, 'errors'), 0);
  const failures = [
    ...xml.matchAll(/<testcase\b[^>]*\bname="([^"]*)"[^>]*>\s*<(failure|error)\b[^>]*\bmessage="([^"]*)"/g),
  ].map((match) => `${unescapeXml(match[1]!)}: ${unescapeXml(match[3]!)}`);
  return { tests, failed, failures };
}

/** Options of {@link runPytest}. */
export interface RunPytestOptions {
  python: string;
  dir: string;
  env: Record<string, string>;
  /** More pytest arguments, e.g. `--maxfail=1`. */
  extraArgs?: string[];
  /**
   * Where pytest writes its JUnit XML: `--junitxml` to a scratch file (the default), or `reports` to read
   * the suite's own `reports/junit.xml` (written when the environment asks for reports).
   */
  junit?: 'scratch' | 'reports';
}

/** Runs `python -m pytest` in `dir` (asynchronously: the SUT may live in this process). */
export function runPytest(options: RunPytestOptions): Promise<PytestReport> {
  const ownReport = options.junit === 'reports';
  const junit = ownReport ? join(options.dir, 'reports', 'junit.xml') : join(options.dir, 'junit.xml');
  const args = [
    '-m',
    'pytest',
    '-q',
    '-p',
    'no:cacheprovider',
    ...(ownReport ? [] : [`--junitxml=${junit}`]),
    ...(options.extraArgs ?? []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(options.python, args, {
      cwd: options.dir,
      env: { ...process.env, ...options.env, PYTHONDONTWRITEBYTECODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      let parsed: Omit<PytestReport, 'exitCode' | 'output'>;
      try {
        parsed = parseJunit(readFileSync(junit, 'utf8'));
      } catch (error) {
        reject(new Error(`pytest wrote no JUnit report (exit ${exitCode}): ${String(error)}\n${output}`));
        return;
      }
      resolve({ exitCode, ...parsed, output });
    });
  });
}
