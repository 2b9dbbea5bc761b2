import { describe, expect, it } from 'vitest';
import { isCi, isInteractive, type TerminalFacts, useColor } from './terminal.ts';

function facts(overrides: Partial<TerminalFacts> = {}): TerminalFacts {
  return { stdoutIsTty: true, stdinIsTty: true, stderrIsTty: true, env: {}, ...overrides };
}

describe('terminal', () => {
  it.each([
    ['a TTY', facts(), {}, true],
    ['stdout piped', facts({ stdoutIsTty: false }), {}, false],
    ['stdin piped', facts({ stdinIsTty: false }), {}, false],
    ['CI set', facts({ env: { CI: 'true' } }), {}, false],
    ['CI=false', facts({ env: { CI: 'false' } }), {}, true],
    ['--json', facts(), { json: true }, false],
    ['--yes', facts(), { yes: true }, false],
  ])('interactive with %s', (_name, terminal, flags, expected) => {
    expect(isInteractive(terminal, flags)).toBe(expected);
  });

  it.each([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ TERM: 'dumb' }, true, false],
  ])('colour with env %o and stderr TTY %s', (env, tty, expected) => {
    expect(useColor(facts({ env, stderrIsTty: tty }))).toBe(expected);
  });

  it('reads CI', () => {
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});
