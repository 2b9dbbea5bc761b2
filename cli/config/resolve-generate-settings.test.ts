import { describe, expect, it } from 'vitest';
import { UsageError } from '../errors.ts';
import type { ProjectConfig } from './config-types.ts';
import { resolveGenerateSettings } from './resolve-generate-settings.ts';

const config: ProjectConfig = {
  file: '/project/specmint.config.json',
  spec: '/project/api.yaml',
  formats: ['pytest'],
  out: '/project/generated',
  seed: 9,
  tags: ['pets'],
  ai: { provider: 'openai', model: 'gpt-custom' },
  formatOptions: { sqlDialect: 'mysql' },
};

describe('resolveGenerateSettings', () => {
  it('uses defaults when nothing is given', () => {
    const settings = resolveGenerateSettings({ flags: {}, cwd: '/work' });
    expect(settings).toMatchObject({
      spec: undefined,
      formats: undefined,
      outDir: '/work/specmint-tests',
      seed: 1,
      tags: [],
      categories: ['contract', 'negative', 'boundary', 'auth', 'stateful'],
      ai: null,
      formatOptions: { sqlDialect: 'postgres' },
      mode: 'write',
      force: false,
      sources: { seed: 'default', outDir: 'default' },
    });
  });

  it('takes the config file over defaults and flags over the config file', () => {
    const fromFile = resolveGenerateSettings({ flags: {}, config, cwd: '/work' });
    expect(fromFile).toMatchObject({
      spec: '/project/api.yaml',
      formats: ['pytest'],
      outDir: '/project/generated',
      seed: 9,
    });
    expect(fromFile.ai).toEqual({ provider: 'openai', model: 'gpt-custom' });
    const fromFlags = resolveGenerateSettings({
      specArg: 'other.yaml',
      flags: { format: 'json, vitest', out: 'x', seed: '3', tags: '', sqlDialect: 'sqlite', ai: 'anthropic' },
      config,
      cwd: '/work',
    });
    expect(fromFlags).toMatchObject({
      spec: 'other.yaml',
      formats: ['json', 'vitest'],
      outDir: '/work/x',
      seed: 3,
      tags: [],
      formatOptions: { sqlDialect: 'sqlite' },
      ai: { provider: 'anthropic', model: 'claude-haiku-4-5' },
      sources: { spec: 'flag', formats: 'flag', seed: 'flag', outDir: 'flag' },
    });
  });

  it.each([
    [{ format: 'pytset' }, 'did you mean "pytest"'],
    [{ format: ',' }, 'needs at least one value'],
    [{ seed: '-2' }, '--seed'],
    [{ seed: '1e3x' }, '--seed'],
    [{ categories: 'smoke' }, '--categories'],
    [{ aiModel: 'gpt-5' }, 'need --ai'],
    [{ ai: 'openai', aiBaseUrl: 'not a url' }, '--ai-base-url'],
    [{ dryRun: true, check: true }, 'cannot be combined'],
    [{ sqlDialect: 'oracle' }, '--sql-dialect'],
  ])('rejects %o (exit 2)', (flags, message) => {
    let error: unknown;
    try {
      resolveGenerateSettings({ flags, cwd: '/work' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toContain(message);
  });

  it('merges path parameter values: the config file, then each --path-param', () => {
    const settings = resolveGenerateSettings({
      flags: { pathParam: ['repo=spoon-knife', 'ref=a=b'] },
      config: { ...config, pathParams: { owner: 'octocat', repo: 'hello-world' } },
      cwd: '/work',
    });
    expect(settings.pathParams).toEqual({ owner: 'octocat', repo: 'spoon-knife', ref: 'a=b' });
    expect(resolveGenerateSettings({ flags: {}, cwd: '/work' }).pathParams).toEqual({});
    expect(() =>
      resolveGenerateSettings({ flags: { pathParam: ['owner', '=x', 'repo='] }, cwd: '/w' }),
    ).toThrow(/3 problems[\s\S]*--path-param: expected name=value \(e\.g\. owner=octocat\), got "owner"/);
  });

  it('reports every bad flag at once', () => {
    expect(() =>
      resolveGenerateSettings({ flags: { format: 'x', seed: 'y', categories: 'z' }, cwd: '/' }),
    ).toThrow(/3 problems/);
  });

  it('picks the mode', () => {
    expect(resolveGenerateSettings({ flags: { dryRun: true } }).mode).toBe('dry-run');
    expect(resolveGenerateSettings({ flags: { check: true } }).mode).toBe('check');
  });
});
