/**
 * The last part of the GitHub Action (action.yml): turns the `--json` result of `specmint generate` into step
 * outputs ($GITHUB_OUTPUT), a job summary ($GITHUB_STEP_SUMMARY) and, on failure, an error annotation.
 *   node scripts/action-report.mjs <result.json> <exit code>
 * Plain Node, no dependencies: it runs from the action's checkout, where nothing is installed.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const MAX_LISTED = 30;

/** The result object, or an error standing for output that is not one (a crash before `--json` printed). */
function readResult(file, code) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {
      ok: false,
      error: { code: 'NO_RESULT', message: `specmint exited ${code} without a JSON result.` },
    };
  }
}

/** An annotation's message: the runner reads `%`, CR and LF as escapes. */
function escapeData(text) {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

/** Step outputs for `result` (see action.yml `outputs`). */
export function actionOutputs(result, code, file) {
  const details = result.ok ? result.stale : result.error?.details;
  // A failed check's details are its stale files; other errors carry other details (a conflict's paths).
  const stale = Array.isArray(details?.changed) ? details : undefined;
  const staleCount = stale ? stale.changed.length + stale.missing.length + stale.extra.length : undefined;
  return {
    'exit-code': String(code),
    result: file,
    files: result.ok ? String(result.files.length) : '',
    tests: result.ok ? String(result.tests) : '',
    operations: result.ok ? String(result.operations) : '',
    charged: result.ok && result.usage ? String(result.usage.charged) : '',
    'out-dir': result.ok ? result.outDir : '',
    stale: staleCount === undefined ? '' : String(staleCount),
  };
}

/** The job summary in Markdown. */
export function summaryMarkdown(result, code) {
  if (result.ok) {
    const lines = ['### SpecMint'];
    const formats = result.formats.join(', ');
    if (result.mode === 'check') {
      lines.push(
        `Up to date: ${result.files.length} files in \`${result.outDir}\` match the spec (${formats}).`,
      );
      const notManaged = result.stale?.notManaged ?? [];
      if (notManaged.length > 0) lines.push(`Not managed by SpecMint (not compared): ${notManaged.length}.`);
    } else {
      const charged = result.usage
        ? ` Charged: ${result.usage.charged ? 'yes' : 'no (spec already generated this period)'}.`
        : '';
      lines.push(
        `${result.tests} tests for ${result.operations} operations in ${result.files.length} files → \`${result.outDir}\` (${formats}).${charged}`,
      );
    }
    return `${lines.join('\n\n')}\n`;
  }
  const lines = ['### SpecMint failed', `Exit ${code} · \`${result.error.code}\`: ${result.error.message}`];
  const details = result.error.details;
  if (details && Array.isArray(details.changed)) {
    const files = [
      ...details.changed.map((path) => `- changed \`${path}\``),
      ...details.missing.map((path) => `- missing \`${path}\``),
      ...details.extra.map((path) => `- extra \`${path}\``),
    ];
    lines.push(files.slice(0, MAX_LISTED).join('\n'));
    if (files.length > MAX_LISTED) lines.push(`… and ${files.length - MAX_LISTED} more.`);
    lines.push('Regenerate with the same command without `check`, then commit the result.');
  } else if (details && Array.isArray(details.conflicts)) {
    lines.push(
      details.conflicts
        .slice(0, MAX_LISTED)
        .map((path) => `- \`${path}\``)
        .join('\n'),
    );
  }
  return `${lines.join('\n\n')}\n`;
}

function main([file, codeText]) {
  const code = Number(codeText);
  const result = readResult(file, code);
  const outputs = actionOutputs(result, code, file);
  if (process.env.GITHUB_OUTPUT) {
    const text = Object.entries(outputs).map(([name, value]) => `${name}=${value}\n`);
    appendFileSync(process.env.GITHUB_OUTPUT, text.join(''));
  }
  if (process.env.GITHUB_STEP_SUMMARY)
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, summaryMarkdown(result, code));
  if (!result.ok) {
    process.stdout.write(`::error title=SpecMint (exit ${code})::${escapeData(result.error.message)}\n`);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
