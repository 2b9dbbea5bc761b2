/**
 * Reads `specmint.config.json`: read → parse (JSON, with the line of a syntax error) → check with the
 * named rules (every problem at once) → normalise (lists split, paths made absolute against the file's
 * folder). A broken file is an {@link InputError} (exit 1).
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { AiProvider } from '../../shared/contracts.ts';
import type { Format } from '../../shared/plans.ts';
import type { Depth } from '../engine/data/depth.ts';
import type { Category } from '../engine/plan/types.ts';
import { allFormatOptions } from '../engine/render/formats.ts';
import { InputError } from '../errors.ts';
import { checkConfig, listValue } from './config-rules.ts';
import { CONFIG_FILE, type ConfigProblem, type ProjectConfig } from './config-types.ts';

/** The error for a config file with problems; lists each with its pointer. */
export function configError(file: string, problems: ConfigProblem[]): InputError {
  const lines = problems.map(
    (p) => `  - ${file}${p.pointer === '' ? '' : ` at ${p.pointer}`}: ${p.message} [${p.rule}]`,
  );
  return new InputError(
    `Invalid ${CONFIG_FILE}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${lines.join('\n')}`,
    {
      code: 'CONFIG_INVALID',
      hint: `Fix the file (your editor checks it against its "$schema"), or run \`specmint init\` to write a new one.`,
    },
  );
}

function lineOf(text: string, message: string): string {
  const position = /position (\d+)/.exec(message)?.[1];
  if (position === undefined) return '';
  const before = text.slice(0, Number(position));
  const line = before.split('\n').length;
  const column = Number(position) - before.lastIndexOf('\n');
  return `:${line}:${column}`;
}

/** Parses the text of a config file; `file` is used in messages and to resolve relative paths. */
export function parseConfig(text: string, file: string): ProjectConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    const message = (error as Error).message;
    throw new InputError(`${file}${lineOf(text, message)}: not valid JSON (${message}).`, {
      code: 'CONFIG_INVALID',
      hint: 'Fix the JSON syntax (no comments or trailing commas).',
    });
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw configError(file, [{ rule: 'object', pointer: '', message: 'must be a JSON object' }]);
  }
  const record = raw as Record<string, unknown>;
  const problems = checkConfig(record);
  if (problems.length > 0) throw configError(file, problems);
  return normaliseConfig(record, file);
}

function isUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** Turns a checked raw object into a {@link ProjectConfig}. */
export function normaliseConfig(raw: Record<string, unknown>, file: string): ProjectConfig {
  const base = dirname(file);
  const config: ProjectConfig = { file };
  if (typeof raw.$schema === 'string') config.schema = raw.$schema;
  if (typeof raw.spec === 'string')
    config.spec = raw.spec === '-' || isUrl(raw.spec) ? raw.spec : resolve(base, raw.spec);
  if (typeof raw.out === 'string') config.out = resolve(base, raw.out);
  if (typeof raw.seed === 'number') config.seed = raw.seed;
  const formats = listValue(raw.formats);
  if (formats) config.formats = formats as Format[];
  const categories = listValue(raw.categories);
  if (categories) config.categories = categories as Category[];
  const tags = listValue(raw.tags);
  if (tags) config.tags = tags.filter((tag) => tag !== '');
  const operations = listValue(raw.operations);
  if (operations) config.operations = operations.filter((op) => op !== '');
  if (raw.pathParams && typeof raw.pathParams === 'object')
    config.pathParams = { ...(raw.pathParams as Record<string, string>) };
  for (const option of allFormatOptions()) {
    const value = raw[option.key];
    if (typeof value === 'string') config.formatOptions = { ...config.formatOptions, [option.key]: value };
  }
  if (typeof raw.depth === 'string') config.depth = raw.depth as Depth;
  if (typeof raw.apiUrl === 'string') config.apiUrl = raw.apiUrl.replace(/\/+$/, '');
  if (raw.ai && typeof raw.ai === 'object') {
    const ai = raw.ai as { provider: AiProvider; model?: string; baseUrl?: string };
    config.ai = {
      provider: ai.provider,
      ...(ai.model ? { model: ai.model.trim() } : {}),
      ...(ai.baseUrl ? { baseUrl: ai.baseUrl } : {}),
    };
  }
  return config;
}

/** Loads `specmint.config.json` from `cwd`, or `undefined` when there is none. */
export async function loadProjectConfig(cwd: string = process.cwd()): Promise<ProjectConfig | undefined> {
  const file = join(cwd, CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new InputError(`Cannot read ${file} (${code ?? String(error)}).`, { code: 'CONFIG_UNREADABLE' });
  }
  return parseConfig(text, file);
}
