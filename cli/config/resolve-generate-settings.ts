/**
 * The settings of one `specmint generate` run, with precedence flags > `specmint.config.json` > defaults
 * (the one environment setting, SPECMINT_API_URL, beats the file's `apiUrl` in `resolveApiUrl`). Bad flag values are a {@link UsageError} (exit 2) listing every problem at once. Values that
 * are still missing (spec, formats) stay `undefined`: the command asks for them or says which flag to pass.
 */
import { resolve } from 'node:path';
import { AI_PROVIDERS, type AiProvider, type AiRequest, DEFAULT_AI_MODELS } from '../../shared/contracts.ts';
import { FORMATS, type Format } from '../../shared/plans.ts';
import { CATEGORIES, type Category } from '../engine/plan/types.ts';
import { UsageError } from '../errors.ts';
import { suggest } from './config-rules.ts';
import { type ProjectConfig, SQL_DIALECTS, type SqlDialect } from './config-types.ts';

/** Default output folder. */
export const DEFAULT_OUT_DIR = './specmint-tests';
/** Default seed. */
export const DEFAULT_SEED = 1;

/** `generate` flags as commander hands them over (strings, unvalidated). */
export interface GenerateFlags {
  format?: string;
  out?: string;
  seed?: string;
  tags?: string;
  operations?: string;
  categories?: string;
  /** `--path-param name=value`, repeatable. */
  pathParam?: string[];
  ai?: string;
  aiModel?: string;
  aiBaseUrl?: string;
  aiRedact?: boolean;
  sqlDialect?: string;
  dryRun?: boolean;
  check?: boolean;
  force?: boolean;
  json?: boolean;
  yes?: boolean;
  debug?: boolean;
}

/** Where a setting's value came from. */
export type SettingSource = 'flag' | 'env' | 'config' | 'default' | 'prompt' | 'output';

/** The resolved settings. */
export interface GenerateSettings {
  /** Spec path, URL or `-`; `undefined` when not given anywhere. */
  spec?: string;
  /** `undefined` when not given anywhere. */
  formats?: Format[];
  /** Absolute output folder. */
  outDir: string;
  seed: number;
  tags: string[];
  operations: string[];
  categories: Category[];
  /** Path parameter values by name: the config file's, then each `--path-param` (which wins). */
  pathParams: Record<string, string>;
  ai: AiRequest | null;
  sqlDialect: SqlDialect;
  /** Licence server URL from the config file (SPECMINT_API_URL still beats it). */
  configApiUrl?: string;
  mode: 'write' | 'dry-run' | 'check';
  force: boolean;
  sources: { spec?: SettingSource; formats?: SettingSource; seed: SettingSource; outDir: SettingSource };
}

/** Options of {@link resolveGenerateSettings}. */
export interface ResolveGenerateOptions {
  specArg?: string;
  flags: GenerateFlags;
  config?: ProjectConfig;
  cwd?: string;
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function checkEnum<T extends string>(
  flag: string,
  value: string,
  allowed: readonly T[],
  problems: string[],
): T[] {
  const items = splitList(value);
  if (items.length === 0) problems.push(`${flag} needs at least one value (one of ${allowed.join(', ')})`);
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) {
      const hint = suggest(item, allowed);
      problems.push(
        `${flag}: unknown value "${item}"${hint ? ` (did you mean "${hint}"?)` : ''}; one of ${allowed.join(', ')}`,
      );
    }
  }
  return [...new Set(items)] as T[];
}

/** `--path-param name=value` flags over the config file's `pathParams`. */
function resolvePathParams(
  flags: GenerateFlags,
  config: ProjectConfig | undefined,
  problems: string[],
): Record<string, string> {
  const values: Record<string, string> = { ...(config?.pathParams ?? {}) };
  for (const item of flags.pathParam ?? []) {
    const at = item.indexOf('=');
    const name = at > 0 ? item.slice(0, at).trim() : '';
    const value = at > 0 ? item.slice(at + 1) : '';
    if (name === '' || value === '') {
      problems.push(`--path-param: expected name=value (e.g. owner=octocat), got "${item}"`);
      continue;
    }
    values[name] = value;
  }
  return values;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function resolveAi(
  flags: GenerateFlags,
  config: ProjectConfig | undefined,
  problems: string[],
): AiRequest | null {
  let provider: AiProvider | undefined;
  if (flags.ai !== undefined) {
    if ((AI_PROVIDERS as readonly string[]).includes(flags.ai)) provider = flags.ai as AiProvider;
    else problems.push(`--ai: unknown provider "${flags.ai}"; one of ${AI_PROVIDERS.join(', ')}`);
  } else {
    provider = config?.ai?.provider;
  }
  if (provider === undefined) {
    if (flags.ai === undefined && (flags.aiModel !== undefined || flags.aiBaseUrl !== undefined)) {
      problems.push('--ai-model and --ai-base-url need --ai openai|anthropic');
    }
    return null;
  }
  const fromConfig = config?.ai?.provider === provider ? config.ai : undefined;
  const model = (flags.aiModel ?? fromConfig?.model ?? DEFAULT_AI_MODELS[provider]).trim();
  if (model === '') problems.push('--ai-model must not be empty');
  const baseUrl = flags.aiBaseUrl ?? fromConfig?.baseUrl;
  if (baseUrl !== undefined && !isHttpUrl(baseUrl))
    problems.push(`--ai-base-url: "${baseUrl}" is not an http(s) URL`);
  return { provider, model, ...(baseUrl === undefined ? {} : { baseUrl }) };
}

/** Resolves the settings; throws {@link UsageError} listing every bad flag. */
export function resolveGenerateSettings(options: ResolveGenerateOptions): GenerateSettings {
  const { flags, config } = options;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];

  if (flags.dryRun && flags.check) problems.push('--dry-run and --check cannot be combined');

  const formats =
    flags.format !== undefined ? checkEnum('--format', flags.format, FORMATS, problems) : config?.formats;
  const categories =
    flags.categories !== undefined
      ? checkEnum('--categories', flags.categories, CATEGORIES, problems)
      : (config?.categories ?? [...CATEGORIES]);

  let seed = config?.seed ?? DEFAULT_SEED;
  if (flags.seed !== undefined) {
    const parsed = Number(flags.seed);
    if (flags.seed.trim() === '' || !Number.isSafeInteger(parsed) || parsed < 0) {
      problems.push(`--seed: "${flags.seed}" is not a whole number ≥ 0`);
    } else seed = parsed;
  }

  let sqlDialect: SqlDialect = config?.sqlDialect ?? 'postgres';
  if (flags.sqlDialect !== undefined) {
    if ((SQL_DIALECTS as readonly string[]).includes(flags.sqlDialect))
      sqlDialect = flags.sqlDialect as SqlDialect;
    else
      problems.push(
        `--sql-dialect: unknown dialect "${flags.sqlDialect}"; one of ${SQL_DIALECTS.join(', ')}`,
      );
  }

  if (flags.out !== undefined && flags.out.trim() === '') problems.push('--out must not be empty');
  const ai = resolveAi(flags, config, problems);
  const pathParams = resolvePathParams(flags, config, problems);

  if (problems.length > 0) {
    throw new UsageError(
      problems.length === 1
        ? `${problems[0]}.`
        : `${problems.length} problems with the flags:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      { hint: 'See `specmint generate --help`.' },
    );
  }

  const spec = options.specArg ?? config?.spec;
  return {
    spec,
    formats,
    outDir:
      flags.out !== undefined ? resolve(cwd, flags.out) : (config?.out ?? resolve(cwd, DEFAULT_OUT_DIR)),
    seed,
    tags: flags.tags !== undefined ? splitList(flags.tags) : (config?.tags ?? []),
    operations: flags.operations !== undefined ? splitList(flags.operations) : (config?.operations ?? []),
    categories,
    pathParams,
    ai,
    sqlDialect,
    configApiUrl: config?.apiUrl,
    mode: flags.dryRun ? 'dry-run' : flags.check ? 'check' : 'write',
    force: flags.force === true,
    sources: {
      spec: options.specArg !== undefined ? 'flag' : config?.spec !== undefined ? 'config' : undefined,
      formats: flags.format !== undefined ? 'flag' : config?.formats !== undefined ? 'config' : undefined,
      seed: flags.seed !== undefined ? 'flag' : config?.seed !== undefined ? 'config' : 'default',
      outDir: flags.out !== undefined ? 'flag' : config?.out !== undefined ? 'config' : 'default',
    },
  };
}
