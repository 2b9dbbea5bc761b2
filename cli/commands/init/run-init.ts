/**
 * `specmint init`: writes `specmint.config.json` (with a `$schema` so editors check it) in the current
 * folder. Asks for the spec, formats and output folder when interactive; otherwise takes them from
 * `--spec/--format/--out` (the spec is auto-detected when there is one obvious file), and a missing
 * value is exit 2 naming the flag.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FORMATS, type Format, PLANS } from '../../../shared/plans.ts';
import { CONFIG_FILE } from '../../config/config-types.ts';
import { parseConfig } from '../../config/load-config.ts';
import { DEFAULT_OUT_DIR, resolveGenerateSettings } from '../../config/resolve-generate-settings.ts';
import { InputError, UsageError } from '../../errors.ts';
import { createUi, type Ui } from '../../ui/ui.ts';
import type { CommandContext } from '../command-context.ts';

/** Flags of `init`. */
export interface InitFlags {
  spec?: string;
  format?: string;
  out?: string;
  force?: boolean;
  yes?: boolean;
  debug?: boolean;
}

/** File names `init` recognises as a spec in the current folder. */
export const SPEC_CANDIDATES = [
  'openapi.yaml',
  'openapi.yml',
  'openapi.json',
  'swagger.yaml',
  'swagger.yml',
  'swagger.json',
  'api.yaml',
  'api.yml',
  'api.json',
];

/**
 * The JSON schema file shipped with the CLI: next to the config code in the source tree, or — when
 * running from the bundle (`dist/cli.js` or a chunk under `dist/`) — in `cli/config/` of the package.
 */
export function findSchemaFile(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  const sibling = join(dir, '..', '..', 'config', 'specmint.config.schema.json');
  if (existsSync(sibling)) return sibling;
  for (let depth = 0; depth < 8; depth += 1) {
    const candidate = join(dir, 'cli', 'config', 'specmint.config.schema.json');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

function schemaReference(cwd: string): string {
  const file = findSchemaFile();
  // Not found only in an unusual layout: point where a project install would put it.
  if (!file) return './node_modules/specmint/cli/config/specmint.config.schema.json';
  const rel = relative(cwd, file).split(sep).join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

async function askAll(ui: Ui, defaults: { spec?: string; formats?: Format[]; out: string }) {
  const { askText, askChoices } = await import('../../ui/prompts.ts');
  const spec = await askText({ message: 'OpenAPI spec (path or URL):', default: defaults.spec });
  const free = new Set<string>(PLANS.free.formats);
  const formats = await askChoices<Format>({
    message: 'Formats to generate:',
    choices: FORMATS.map((format) => ({
      value: format,
      name: free.has(format) ? format : `${format} (Pro)`,
      checked: defaults.formats ? defaults.formats.includes(format) : format === 'pytest',
    })),
  });
  const out = await askText({ message: 'Output folder:', default: defaults.out });
  ui.debug(`answers: ${spec}, ${formats.join(',')}, ${out}`);
  return { spec, formats, out };
}

/** Runs `specmint init`. */
export async function runInit(flags: InitFlags, ctx: CommandContext): Promise<void> {
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ yes: flags.yes, debug: flags.debug });
  const file = join(ctx.cwd, CONFIG_FILE);
  if (existsSync(file) && !flags.force) {
    let replace = false;
    if (ui.interactive) {
      const { askConfirm } = await import('../../ui/prompts.ts');
      replace = await askConfirm({ message: `${CONFIG_FILE} exists. Replace it?`, default: false });
    }
    if (!replace) {
      throw new InputError(`${file} already exists.`, {
        code: 'CONFIG_EXISTS',
        hint: 'Pass --force to replace it.',
      });
    }
  }
  const checked = resolveGenerateSettings({ flags: { format: flags.format, out: flags.out }, cwd: ctx.cwd });
  const detected = flags.spec ?? SPEC_CANDIDATES.find((name) => existsSync(join(ctx.cwd, name)));
  let answers: { spec?: string; formats?: Format[]; out: string } = {
    spec: detected,
    formats: checked.formats,
    out: flags.out ?? DEFAULT_OUT_DIR,
  };
  if (ui.interactive && (flags.spec === undefined || flags.format === undefined))
    answers = await askAll(ui, answers);
  if (answers.spec === undefined) {
    throw new UsageError('No spec given and none found in this folder.', {
      hint: `Pass --spec ./openapi.yaml (looked for ${SPEC_CANDIDATES.slice(0, 3).join(', ')}, …).`,
    });
  }
  if (answers.formats === undefined) {
    throw new UsageError('No output format given.', {
      hint: `Pass --format, e.g. --format pytest,vitest (one or more of ${FORMATS.join(', ')}).`,
    });
  }
  const config = {
    $schema: schemaReference(ctx.cwd),
    spec: answers.spec,
    formats: answers.formats,
    out: answers.out,
    seed: 1,
  };
  const text = `${JSON.stringify(config, null, 2)}\n`;
  parseConfig(text, file);
  await writeFile(file, text);
  ui.result(
    `Wrote ${CONFIG_FILE} (spec ${config.spec}; formats ${config.formats.join(', ')}; out ${config.out}).`,
  );
  ui.result('Next: `specmint login`, then `specmint generate`.');
}
