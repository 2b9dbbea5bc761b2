// SpecMint's k6 runtime, part 4, the end of the run: k6 hands handleSummary its aggregated data (checks by group, metrics); the markers
// recorded above carry what it does not keep (statuses per operation, failure messages, warnings).
import { statusMatches } from './specmint-compare.js';

/** @typedef {import('./specmint-runtime.js').Tables} Tables */

/** The group of the checks that carry coverage to handleSummary (k6 keeps nothing else per run). */
export const MARKERS = 'specmint markers';

/**
 * @typedef {{ name: string, path: string, passes: number, fails: number }} SummaryCheck
 * @typedef {{ name: string, path: string, groups: SummaryGroup[], checks: SummaryCheck[] }} SummaryGroup
 */

/** @param {string} text */
function xml(text) {
  return String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}

/**
 * What the run covered, in the shape of docs/checks.md's reports/coverage.json, and the tests for JUnit.
 * @param {Tables} tables
 * @param {{ root_group: SummaryGroup }} data
 * @param {string[]} checkNames Every check's name.
 */
export function summarise(tables, data, checkNames) {
  const groups = data.root_group.groups || [];
  const markers = groups
    .filter((g) => g.name === MARKERS)
    .reduce((all, g) => all.concat(g.checks), /** @type {SummaryCheck[]} */ ([]));
  const cases = groups.filter((g) => g.name !== MARKERS);
  const ops =
    /** @type {Record<string, { requests: number, seen: Record<string, number>, valid: number, denied: number, missing: number, rejected: number }>} */ ({});
  for (const id of Object.keys(tables.operations))
    ops[id] = { requests: 0, seen: {}, valid: 0, denied: 0, missing: 0, rejected: 0 };
  /** @type {Record<string, { operation: string, check: string, message: string, cases: Record<string, boolean> }>} */
  const failures = {};
  /** @type {Record<string, string[]>} messages by case group and check */
  const messages = {};
  /** @type {string[]} */
  const warnings = [];
  for (const marker of markers) {
    const parts = marker.name.split('\t');
    if (parts[0] === 'seen' && ops[parts[1]]) {
      const op = ops[parts[1]];
      const status = Number(parts[2]);
      op.requests += marker.passes;
      op.seen[status] = (op.seen[status] || 0) + marker.passes;
      if (parts[3] === 'valid') {
        op.valid += marker.passes;
        if (status === 401 || status === 403) op.denied += marker.passes;
        else if (status === 404) op.missing += marker.passes;
        else if (status >= 400 && status < 500 && !parts[4].split(',').some((p) => statusMatches(p, status)))
          op.rejected += marker.passes;
      }
    } else if (parts[0] === 'failed') {
      const key = parts[1] + '\t' + parts[2] + '\t' + parts[3];
      const entry = failures[key] || { operation: parts[1], check: parts[2], message: parts[3], cases: {} };
      entry.cases[parts[4]] = true;
      failures[key] = entry;
      const byCase = parts[4] + '\t' + parts[2];
      messages[byCase] = (messages[byCase] || []).concat([parts[3]]);
    } else if (parts[0] === 'warning') {
      warnings.push(parts.slice(1).join('\t'));
    }
  }
  /** @type {Record<string, { run: number, failed: number }>} */
  const checks = {};
  for (const caseGroup of cases) {
    for (const c of caseGroup.checks) {
      if (checkNames.indexOf(c.name) < 0) continue;
      const entry = checks[c.name] || { run: 0, failed: 0 };
      entry.run += c.passes + c.fails;
      entry.failed += c.fails;
      checks[c.name] = entry;
    }
  }
  for (const id of Object.keys(ops)) {
    const op = ops[id];
    const operation = tables.operations[id];
    const where = operation.method + ' ' + operation.path;
    if (op.valid > 0 && op.denied * 2 > op.valid) {
      const fix =
        operation.credentials.length > 0
          ? 'set ' + operation.credentials.join(' and ')
          : 'check the credentials the API expects';
      warnings.push('most requests to ' + where + ' answered 401/403: ' + fix);
    }
    const params = (operation.path.match(/\{[^}]+\}/g) || []).map((p) => p.slice(1, -1));
    if (params.length > 0 && op.valid > 0 && op.missing * 2 > op.valid) {
      warnings.push(
        'most requests to ' +
          where +
          ' answered 404: give real ids with ' +
          params.map((p) => '--path-param ' + p + '=<id>').join(' '),
      );
    }
    if (op.rejected > 0) {
      warnings.push(
        'the server rejected ' +
          op.rejected +
          ' valid input' +
          (op.rejected === 1 ? '' : 's') +
          ' to ' +
          where +
          " with 4xx: the spec's constraints may differ from the server's",
      );
    }
  }
  const coverage = {
    specmint: 1,
    format: 'k6',
    api: tables.api,
    operations: Object.keys(ops).map((id) => {
      const declared = tables.operations[id].responses.map((r) => r.status);
      const seen = Object.keys(ops[id].seen).map(Number);
      const exact = declared.filter((d) => d.toUpperCase() !== 'DEFAULT');
      const notSeen = declared.filter((d) =>
        d.toUpperCase() === 'DEFAULT'
          ? !seen.some((s) => !exact.some((e) => statusMatches(e, s)))
          : !seen.some((s) => statusMatches(d, s)),
      );
      return {
        id,
        method: tables.operations[id].method,
        path: tables.operations[id].path,
        requests: ops[id].requests,
        declared,
        seen: ops[id].seen,
        notSeen,
      };
    }),
    checks: checkNames
      .filter((name) => checks[name])
      .map((name) => ({
        name,
        run: checks[name].run,
        failed: checks[name].failed,
      })),
    failures: Object.keys(failures)
      .map((key) => ({
        operation: failures[key].operation,
        check: failures[key].check,
        message: failures[key].message,
        tests: Object.keys(failures[key].cases).length,
      }))
      .sort((a, b) => (a.operation + a.check < b.operation + b.check ? -1 : 1)),
    warnings,
  };
  const tests = cases.map((caseGroup) => ({
    name: caseGroup.name,
    checks: caseGroup.checks.map((c) => ({
      name: c.name,
      passes: c.passes,
      fails: c.fails,
      messages: messages[caseGroup.name.split(' · ')[0] + '\t' + c.name] || [],
    })),
  }));
  return { coverage, tests };
}

/**
 * JUnit XML: a test suite per case (its k6 group), a test per check; a failure says how often and why.
 * @param {Tables} tables
 * @param {ReturnType<typeof summarise>['tests']} tests
 * @param {number} seconds
 */
export function junitXml(tables, tests, seconds) {
  const total = tests.reduce((sum, t) => sum + t.checks.length, 0);
  const failed = tests.reduce((sum, t) => sum + t.checks.filter((c) => c.fails > 0).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<testsuites name="' +
      xml(tables.api.title + ' ' + tables.api.version + ' (k6)') +
      '" tests="' +
      total +
      '" failures="' +
      failed +
      '" time="' +
      seconds +
      '">',
  ];
  for (const test of tests) {
    const failures = test.checks.filter((c) => c.fails > 0).length;
    lines.push(
      '  <testsuite name="' +
        xml(test.name) +
        '" tests="' +
        test.checks.length +
        '" failures="' +
        failures +
        '" errors="0">',
    );
    for (const c of test.checks) {
      const head = '    <testcase name="' + xml(c.name) + '" classname="' + xml(test.name) + '"';
      if (c.fails === 0) {
        lines.push(head + '/>');
        continue;
      }
      const distinct = c.messages.filter((m, i) => c.messages.indexOf(m) === i);
      const message =
        'failed ' +
        c.fails +
        ' of ' +
        (c.passes + c.fails) +
        ' times' +
        (distinct.length > 0 ? ': ' + distinct.join('; ') : '');
      lines.push(head + '>', '      <failure message="' + xml(message) + '"/>', '    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

/**
 * The end-of-run summary: thresholds, failures by operation and check, warnings, coverage.
 * @param {ReturnType<typeof summarise>['coverage']} coverage
 * @param {any} data k6's summary data (metrics with their thresholds).
 */
export function summaryText(coverage, data) {
  const requests = coverage.operations.reduce((sum, op) => sum + op.requests, 0);
  const called = coverage.operations.filter((op) => op.requests > 0).length;
  const run = coverage.checks.reduce((sum, c) => sum + c.run, 0);
  const failed = coverage.checks.reduce((sum, c) => sum + c.failed, 0);
  const lines = [
    '',
    'SpecMint summary: ' +
      requests +
      ' requests to ' +
      called +
      ' of ' +
      coverage.operations.length +
      ' operations, ' +
      run +
      ' checks, ' +
      failed +
      ' failed',
  ];
  const metrics = (data && data.metrics) || {};
  /** @type {string[]} */
  const thresholds = [];
  for (const name of Object.keys(metrics).sort()) {
    const set = metrics[name].thresholds || {};
    for (const expression of Object.keys(set))
      thresholds.push('  ' + (set[expression].ok ? '✓ ' : '✗ ') + name + ' ' + expression);
  }
  if (thresholds.length > 0) lines.push('Thresholds:', ...thresholds);
  if (coverage.failures.length > 0) {
    lines.push('Failures, by operation and check:');
    for (const f of coverage.failures)
      lines.push(
        '  ' +
          f.operation +
          ' · ' +
          f.check +
          ': ' +
          f.message +
          ' — ' +
          f.tests +
          ' test' +
          (f.tests === 1 ? '' : 's'),
      );
  }
  if (coverage.warnings.length > 0) {
    lines.push('Warnings:');
    for (const warning of coverage.warnings) lines.push('  ' + warning);
  }
  const unseen = coverage.operations.filter((op) => op.notSeen.length > 0);
  if (unseen.length > 0) {
    lines.push('Declared statuses not seen:');
    for (const op of unseen)
      lines.push('  ' + op.id + ' (' + op.method + ' ' + op.path + '): ' + op.notSeen.join(', '));
  }
  return lines.join('\n') + '\n';
}

/**
 * What handleSummary returns: the summary on stdout and, with CI or SPECMINT_REPORTS=1 (never with
 * SPECMINT_REPORTS=0), reports/junit.xml and reports/coverage.json.
 * @param {Tables} tables
 * @param {any} data
 * @param {string[]} checkNames
 * @returns {Record<string, string>}
 */
export function summaryFiles(tables, data, checkNames) {
  const summary = summarise(tables, data, checkNames);
  /** @type {Record<string, string>} */
  const files = { stdout: summaryText(summary.coverage, data) };
  const reports = __ENV.SPECMINT_REPORTS !== '0' && (__ENV.SPECMINT_REPORTS === '1' || Boolean(__ENV.CI));
  if (reports) {
    const seconds = data && data.state ? data.state.testRunDurationMs / 1000 : 0;
    files['reports/junit.xml'] = junitXml(tables, summary.tests, seconds);
    files['reports/coverage.json'] = JSON.stringify(summary.coverage, null, 2) + '\n';
    files.stdout += 'Reports: reports/junit.xml, reports/coverage.json\n';
  }
  return files;
}
