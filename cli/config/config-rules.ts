/**
 * Named rules over a parsed `specmint.config.json`. Each rule looks at one concern and returns every
 * problem it finds, so the user sees all of them at once instead of fixing one per run.
 */
import { AI_PROVIDERS } from '../../shared/contracts.ts';
import { FORMATS } from '../../shared/plans.ts';
import { DEPTHS } from '../engine/data/depth.ts';
import { CATEGORIES } from '../engine/plan/types.ts';
import type { FormatOption } from '../engine/render/format-module.ts';
import { allFormatOptions } from '../engine/render/formats.ts';
import { CONFIG_KEYS, type ConfigProblem } from './config-types.ts';

/** A rule: a name and a check over the raw (parsed, not yet normalised) object. */
export interface ConfigRule {
  name: string;
  check(raw: Record<string, unknown>): ConfigProblem[];
}

/** Splits `"a,b"` or `["a","b"]` into trimmed items; `undefined` when the value is neither. */
export function listValue(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((item) => item.trim());
  if (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    return value.map((item) => item.trim());
  return undefined;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j += 1) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The closest candidate within 2 edits, for hints. */
export function suggest(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const d = distance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function enumList(key: string, allowed: readonly string[], required: boolean): ConfigRule {
  return {
    name: `${key}-known`,
    check(raw) {
      if (!(key in raw)) return [];
      const items = listValue(raw[key]);
      if (!items)
        return [
          { rule: `${key}-known`, pointer: `/${key}`, message: 'must be a list of strings (or "a,b")' },
        ];
      const problems: ConfigProblem[] = [];
      if (required && items.length === 0)
        problems.push({ rule: `${key}-known`, pointer: `/${key}`, message: 'must not be empty' });
      const seen = new Set<string>();
      items.forEach((item, index) => {
        if (!allowed.includes(item)) {
          const hint = suggest(item, allowed);
          problems.push({
            rule: `${key}-known`,
            pointer: `/${key}/${index}`,
            message: `unknown value "${item}"${hint ? ` (did you mean "${hint}"?)` : ''}; one of ${allowed.join(', ')}`,
          });
        } else if (seen.has(item)) {
          problems.push({
            rule: `${key}-known`,
            pointer: `/${key}/${index}`,
            message: `"${item}" is listed twice`,
          });
        }
        seen.add(item);
      });
      return problems;
    },
  };
}

function stringList(key: string): ConfigRule {
  return {
    name: `${key}-strings`,
    check(raw) {
      if (!(key in raw) || listValue(raw[key])) return [];
      return [
        { rule: `${key}-strings`, pointer: `/${key}`, message: 'must be a list of strings (or "a,b")' },
      ];
    },
  };
}

function nonEmptyString(key: string): ConfigRule {
  return {
    name: `${key}-string`,
    check(raw) {
      if (!(key in raw)) return [];
      const value = raw[key];
      if (typeof value === 'string' && value.trim() !== '') return [];
      return [{ rule: `${key}-string`, pointer: `/${key}`, message: 'must be a non-empty string' }];
    },
  };
}

/** A format option's value must be one it takes (`sqlDialect` → `sql-dialect-known`). */
function formatOptionRule(option: FormatOption): ConfigRule {
  const name = `${option.flag}-known`;
  return {
    name,
    check(raw) {
      if (!(option.key in raw) || option.values.includes(raw[option.key] as string)) return [];
      return [
        { rule: name, pointer: `/${option.key}`, message: `must be one of ${option.values.join(', ')}` },
      ];
    },
  };
}

/** Every rule, in the order problems are reported. */
export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    name: 'known-keys',
    check: (raw) =>
      Object.keys(raw)
        .filter((key) => !(CONFIG_KEYS as readonly string[]).includes(key))
        .map((key) => {
          const hint = suggest(key, CONFIG_KEYS);
          return {
            rule: 'known-keys',
            pointer: `/${key}`,
            message: `unknown setting "${key}"${hint ? ` (did you mean "${hint}"?)` : ''}`,
          };
        }),
  },
  nonEmptyString('spec'),
  nonEmptyString('out'),
  nonEmptyString('$schema'),
  enumList('formats', FORMATS, true),
  enumList('categories', CATEGORIES, true),
  stringList('tags'),
  stringList('operations'),
  {
    name: 'path-params',
    check(raw) {
      if (!('pathParams' in raw)) return [];
      const value = raw.pathParams;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return [
          {
            rule: 'path-params',
            pointer: '/pathParams',
            message: 'must be an object of parameter name → value, e.g. {"owner": "octocat"}',
          },
        ];
      }
      return Object.entries(value)
        .filter(([, v]) => typeof v !== 'string' || v === '')
        .map(([name]) => ({
          rule: 'path-params',
          pointer: `/pathParams/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          message: 'must be a non-empty string',
        }));
    },
  },
  {
    name: 'seed-integer',
    check(raw) {
      if (!('seed' in raw)) return [];
      const seed = raw.seed;
      if (typeof seed === 'number' && Number.isSafeInteger(seed) && seed >= 0) return [];
      return [{ rule: 'seed-integer', pointer: '/seed', message: 'must be a whole number ≥ 0' }];
    },
  },
  {
    name: 'depth-known',
    check(raw) {
      if (!('depth' in raw) || (DEPTHS as readonly unknown[]).includes(raw.depth)) return [];
      return [{ rule: 'depth-known', pointer: '/depth', message: `must be one of ${DEPTHS.join(', ')}` }];
    },
  },
  ...allFormatOptions().map(formatOptionRule),
  {
    name: 'api-url',
    check(raw) {
      if (!('apiUrl' in raw)) return [];
      if (typeof raw.apiUrl === 'string' && isHttpUrl(raw.apiUrl)) return [];
      return [{ rule: 'api-url', pointer: '/apiUrl', message: 'must be an http(s) URL' }];
    },
  },
  {
    name: 'ai-settings',
    check(raw) {
      if (!('ai' in raw)) return [];
      const ai = raw.ai;
      if (typeof ai !== 'object' || ai === null || Array.isArray(ai)) {
        return [
          { rule: 'ai-settings', pointer: '/ai', message: 'must be an object {provider, model?, baseUrl?}' },
        ];
      }
      const problems: ConfigProblem[] = [];
      const entries = ai as Record<string, unknown>;
      for (const key of Object.keys(entries)) {
        if (!['provider', 'model', 'baseUrl'].includes(key)) {
          problems.push({ rule: 'ai-settings', pointer: `/ai/${key}`, message: `unknown setting "${key}"` });
        }
      }
      if (!(AI_PROVIDERS as readonly unknown[]).includes(entries.provider)) {
        problems.push({
          rule: 'ai-settings',
          pointer: '/ai/provider',
          message: `must be one of ${AI_PROVIDERS.join(', ')}`,
        });
      }
      if ('model' in entries && (typeof entries.model !== 'string' || entries.model.trim() === '')) {
        problems.push({ rule: 'ai-settings', pointer: '/ai/model', message: 'must be a non-empty string' });
      }
      if ('baseUrl' in entries && !(typeof entries.baseUrl === 'string' && isHttpUrl(entries.baseUrl))) {
        problems.push({ rule: 'ai-settings', pointer: '/ai/baseUrl', message: 'must be an http(s) URL' });
      }
      return problems;
    },
  },
];

/** Runs every rule; all problems, in rule order. */
export function checkConfig(
  raw: Record<string, unknown>,
  rules: readonly ConfigRule[] = CONFIG_RULES,
): ConfigProblem[] {
  return rules.flatMap((rule) => rule.check(raw));
}
