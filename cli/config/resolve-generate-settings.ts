/**
 * The settings of one `specmint generate` run, normalised in one place before the engine runs:
 * 1. {@link resolveGenerateSettings}: flags > `specmint.config.json` > defaults (the one environment
 *    setting, SPECMINT_API_URL, beats the file's `apiUrl` in `resolveApiUrl`). Bad flag values are a
 *    {@link UsageError} (exit 2) listing every problem at once.
 * 2. {@link completeGenerateSettings}: what is still missing comes from the output folder's manifest (a
 *    re-run regenerates the formats, seed and path parameter values already there), then from prompts when
 *    the session is interactive; otherwise a missing value is a UsageError naming the flag. The AI
 *    provider's key is read from the environment here, so a missing key costs no quota.
 */
import { resolve } from 'node:path';
import { AI_PROVIDERS, type AiProvider, type AiRequest, DEFAULT_AI_MODELS } from '../../shared/contracts.ts';
import { FORMATS, type Format } from '../../shared/plans.ts';
import { DEPTHS, type Depth } from '../engine/data/depth.ts';
import type { Manifest } from '../engine/emit/write-output.ts';
import type { GenerationSettings } from '../engine/generation-settings.ts';
import { CATEGORIES, type Category } from '../engine/plan/types.ts';
import { allFormatOptions, defaultFormatOptions } from '../engine/render/formats.ts';
import { UsageError } from '../errors.ts';
import { suggest } from './config-rules.ts';
import type { ProjectConfig } from './config-types.ts';

/** Default output folder. */
export const DEFAULT_OUT_DIR = './specmint-tests';
/** Default seed. */
export const DEFAULT_SEED = 1;
/** Default depth: every input's classes combined pairwise. */
export const DEFAULT_DEPTH: Depth = 'standard';

/** `generate` flags as commander hands them over (strings, unvalidated). */
export interface GenerateFlags {
  format?: string;
  out?: string;
  seed?: string;
  tags?: string;
  operations?: string;
  categories?: string;
  depth?: string;
  /** `--path-param name=value`, repeatable. */
  pathParam?: string[];
  ai?: string;
  aiModel?: string;
  aiBaseUrl?: string;
  aiRedact?: boolean;
  /** Format options by flag name in camelCase, as commander hands them over (`sqlDialect`). */
  [formatOption: string]: string | string[] | boolean | undefined;
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
  /** Inputs per case. @default 'standard' */
  depth: Depth;
  /** Path parameter values by name: the config file's, then each `--path-param` (which wins). */
  pathParams: Record<string, string>;
  ai: AiRequest | null;
  /** Values of the formats' own options by key, defaults filled in (`{sqlDialect: 'postgres'}`). */
  formatOptions: Record<string, string>;
  /** Licence server URL from the config file (SPECMINT_API_URL still beats it). */
  configApiUrl?: string;
  mode: 'write' | 'dry-run' | 'check';
  force: boolean;
  sources: {
    spec?: SettingSource;
    formats?: SettingSource;
    seed: SettingSource;
    depth: SettingSource;
    outDir: SettingSource;
  };
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

/** Each format option: its flag, else the config file's key, else its default. */
function resolveFormatOptions(
  flags: GenerateFlags,
  config: ProjectConfig | undefined,
  problems: string[],
): Record<string, string> {
  const values = { ...defaultFormatOptions(), ...config?.formatOptions };
  for (const option of allFormatOptions()) {
    const given = flags[option.key];
    if (typeof given !== 'string') continue;
    if (option.values.includes(given)) values[option.key] = given;
    else problems.push(`--${option.flag}: unknown value "${given}"; one of ${option.values.join(', ')}`);
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

  let depth: Depth = config?.depth ?? DEFAULT_DEPTH;
  if (flags.depth !== undefined) {
    const [given] = checkEnum('--depth', flags.depth, DEPTHS, problems);
    if (given !== undefined && (DEPTHS as readonly string[]).includes(given)) depth = given;
  }

  let seed = config?.seed ?? DEFAULT_SEED;
  if (flags.seed !== undefined) {
    const parsed = Number(flags.seed);
    if (flags.seed.trim() === '' || !Number.isSafeInteger(parsed) || parsed < 0) {
      problems.push(`--seed: "${flags.seed}" is not a whole number ≥ 0`);
    } else seed = parsed;
  }

  const formatOptions = resolveFormatOptions(flags, config, problems);

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
    depth,
    pathParams,
    ai,
    formatOptions,
    configApiUrl: config?.apiUrl,
    mode: flags.dryRun ? 'dry-run' : flags.check ? 'check' : 'write',
    force: flags.force === true,
    sources: {
      spec: options.specArg !== undefined ? 'flag' : config?.spec !== undefined ? 'config' : undefined,
      formats: flags.format !== undefined ? 'flag' : config?.formats !== undefined ? 'config' : undefined,
      seed: flags.seed !== undefined ? 'flag' : config?.seed !== undefined ? 'config' : 'default',
      depth: flags.depth !== undefined ? 'flag' : config?.depth !== undefined ? 'config' : 'default',
      outDir: flags.out !== undefined ? 'flag' : config?.out !== undefined ? 'config' : 'default',
    },
  };
}

/** The settings of a generate run after completion, and what the command needs beside them. */
export interface CompletedGenerateSettings {
  generation: GenerationSettings;
  /** Where each setting came from (for `--debug`). */
  sources: GenerateSettings['sources'];
  /** Licence server URL from the config file (SPECMINT_API_URL still beats it). */
  configApiUrl?: string;
  /** The AI provider's key from the environment, when `--ai` is on. */
  aiApiKey?: string;
}

/** Questions for an interactive session; absent when nobody can answer (CI, --yes, --json, no TTY). */
export interface SettingsPrompts {
  spec(): Promise<string>;
  formats(): Promise<Format[]>;
}

/** Options of {@link completeGenerateSettings}. */
export interface CompleteGenerateOptions {
  /** The output folder's manifest, when it is SpecMint's. */
  manifest?: Manifest;
  prompts?: SettingsPrompts;
  env: NodeJS.ProcessEnv;
}

function manifestFormats(manifest: Manifest | undefined): Format[] | undefined {
  const names = Object.keys(manifest?.formats ?? {}).filter((name): name is Format =>
    (FORMATS as readonly string[]).includes(name),
  );
  return names.length > 0 ? names : undefined;
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((item) => typeof item === 'string')
  );
}

/** The user's own provider key; read before the licence so a missing key costs no quota. */
function aiApiKey(ai: AiRequest | null, env: NodeJS.ProcessEnv): string | undefined {
  if (!ai) return undefined;
  const name = ai.provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
  const key = env[name]?.trim();
  if (!key) {
    throw new UsageError(`--ai ${ai.provider} needs your ${ai.provider} API key in ${name}.`, {
      hint: `export ${name}=… (the key is only ever sent to ${ai.provider}, never to SpecMint).`,
    });
  }
  return key;
}

/** Fills what nobody gave (see the file comment) and returns the engine's settings. */
export async function completeGenerateSettings(
  settings: GenerateSettings,
  options: CompleteGenerateOptions,
): Promise<CompletedGenerateSettings> {
  const { manifest, prompts } = options;
  const sources = { ...settings.sources };
  let { formats, seed, pathParams, spec } = settings;
  if (formats === undefined) {
    formats = manifestFormats(manifest);
    if (formats) sources.formats = 'output';
  }
  let { depth } = settings;
  if (
    sources.depth === 'default' &&
    manifest?.depth &&
    (DEPTHS as readonly string[]).includes(manifest.depth)
  ) {
    depth = manifest.depth;
    sources.depth = 'output';
  }
  if (sources.seed === 'default' && manifest && Number.isSafeInteger(manifest.seed)) {
    seed = manifest.seed;
    sources.seed = 'output';
  }
  if (Object.keys(pathParams).length === 0 && isStringRecord(manifest?.pathParams)) {
    pathParams = { ...manifest.pathParams };
  }
  if (spec === undefined) {
    if (!prompts) {
      throw new UsageError('No spec given.', {
        hint: 'Pass it as the first argument, e.g. `specmint generate ./openapi.yaml` (a URL or - for stdin also work), or set "spec" in specmint.config.json.',
      });
    }
    spec = await prompts.spec();
    sources.spec = 'prompt';
  }
  if (formats === undefined) {
    if (!prompts) {
      throw new UsageError('No output format given.', {
        hint: `Pass --format, e.g. \`--format pytest,vitest\` (one or more of ${FORMATS.join(', ')}), or set "formats" in specmint.config.json.`,
      });
    }
    formats = await prompts.formats();
    sources.formats = 'prompt';
  }
  const key = settings.mode === 'write' ? aiApiKey(settings.ai, options.env) : undefined;
  return {
    generation: {
      spec,
      formats,
      outDir: settings.outDir,
      seed,
      tags: settings.tags,
      operations: settings.operations,
      categories: settings.categories,
      depth,
      pathParams,
      ai: settings.ai,
      formatOptions: settings.formatOptions,
      mode: settings.mode,
      force: settings.force,
    },
    sources,
    ...(settings.configApiUrl === undefined ? {} : { configApiUrl: settings.configApiUrl }),
    ...(key === undefined ? {} : { aiApiKey: key }),
  };
}
