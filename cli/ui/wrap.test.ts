import { describe, expect, it } from 'vitest';
import { formatTable, visibleWidth, wrapText, wrapToTerminal } from './wrap.ts';

describe('wrapText', () => {
  it('breaks between words, with a hanging indent, within the width', () => {
    const text =
      'Usage: free plan, 1 of 5 specs used this period (4 left); resets on 1 January 2027 (in 26 days).';
    const wrapped = wrapText(text, { width: 40, hangingIndent: '  ' });
    expect(wrapped).toBe(
      [
        'Usage: free plan, 1 of 5 specs used this',
        '  period (4 left); resets on 1 January',
        '  2027 (in 26 days).',
      ].join('\n'),
    );
    for (const line of wrapped.split('\n')) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('keeps a word longer than the line whole', () => {
    expect(wrapText('see ./a/very/long/path/that/does/not/fit/README.md now', { width: 20 })).toBe(
      'see\n./a/very/long/path/that/does/not/fit/README.md\nnow',
    );
  });

  it('ignores colour codes when measuring', () => {
    const bold = `${String.fromCharCode(27)}[1mbold${String.fromCharCode(27)}[22m`;
    expect(visibleWidth(bold)).toBe(4);
    expect(wrapText(`${bold} word`, { width: 9 })).toBe(`${bold} word`);
  });

  it('leaves output to a pipe alone', () => {
    const long = 'word '.repeat(30).trim();
    const piped = { stdoutIsTty: false, stdinIsTty: false, stderrIsTty: false, env: {} };
    expect(wrapToTerminal(long, piped)).toBe(long);
    expect(wrapToTerminal(long, { ...piped, stdoutIsTty: true, stdoutColumns: 40 })).not.toBe(long);
  });
});

describe('formatTable', () => {
  const rows = [
    { name: 'github-actions', prefix: 'smk_FoZPab12', id: '3f2a9c1e-0000-4000-8000-000000000001' },
  ];
  const columns = [
    { header: 'NAME', value: (row: (typeof rows)[number]) => row.name },
    { header: 'PREFIX', value: (row: (typeof rows)[number]) => row.prefix },
    { header: 'ID', value: (row: (typeof rows)[number]) => row.id },
  ];

  it('is an aligned table when it fits', () => {
    expect(formatTable(rows, columns, { width: 100 })).toEqual([
      'NAME            PREFIX        ID',
      'github-actions  smk_FoZPab12  3f2a9c1e-0000-4000-8000-000000000001',
    ]);
  });

  it('is one block per row when it does not', () => {
    const lines = formatTable(rows, columns, { width: 40 });
    expect(lines).toEqual([
      'github-actions',
      '  prefix: smk_FoZPab12',
      '  id:',
      '    3f2a9c1e-0000-4000-8000-000000000001',
    ]);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(40);
  });
});
