/**
 * `specmint init`: writes `specmint.config.json` (with a `$schema` so editors check it) in the current
 * folder. Asks for the spec, formats and output folder when interactive; otherwise takes them from
 * `--spec/--format/--out` (the spec is auto-detected when there is one obvious file), and a missing
 * value is exit 2 naming the flag.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
import { FORMATS, type Format, type PlanId } from '../../../shared/plans.ts';
import { SPECMINT_VERSION } from '../../../shared/version.ts';
import { describeAssumedPlan, readCurrentPlan } from '../../account/current-plan.ts';
import { resolveAuth } from '../../account/session.ts';
import { CONFIG_FILE } from '../../config/config-types.ts';
import { parseConfig } from '../../config/load-config.ts';
import { DEFAULT_OUT_DIR, resolveGenerateSettings } from '../../config/resolve-generate-settings.ts';
import { InputError, UsageError } from '../../errors.ts';
import { formatChoices } from '../../ui/format-picker.ts';
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

/** Where the config schema sits inside the installed `specmint` package. */
export const SCHEMA_IN_PACKAGE = 'cli/config/specmint.config.schema.json';

/**
 * The `$schema` to write: the schema inside the `specmint` package installed in the project
 * (`./node_modules/specmint/…`, or in a parent folder's node_modules up to the repository root, as
 * workspaces hoist it) so editors read the version the project runs; else the published file of this
 * CLI's version. Never a path into wherever this CLI happens to run from: the config is committed.
 */
export function schemaReference(cwd: string): string {
  const dirs: string[] = [];
  for (let dir = resolvePath(cwd); ; dir = dirname(dir)) {
    dirs.push(dir);
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
  }
  // Without a repository root above, only the project folder itself counts.
  const searched = existsSync(join(dirs[dirs.length - 1] ?? cwd, '.git')) ? dirs : dirs.slice(0, 1);
  for (const dir of searched) {
    const file = join(dir, 'node_modules', 'specmint', SCHEMA_IN_PACKAGE);
    if (!existsSync(file)) continue;
    const rel = relative(cwd, file).split(sep).join('/');
    return rel.startsWith('.') ? rel : `./${rel}`;
  }
  return `https://unpkg.com/specmint@${SPECMINT_VERSION}/${SCHEMA_IN_PACKAGE}`;
}

/** Edit distance (Levenshtein) between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Checks a spec answer: an http(s) URL, or a file that exists (relative to `cwd`). Returns `true` or the
 * message the prompt shows, with the closest spec-looking file when there is one ("did you mean").
 */
export function checkSpecAnswer(value: string, cwd: string): string | true {
  const answer = value.trim();
  if (answer === '') return 'Enter the path of your OpenAPI file, or its URL.';
  if (/^https?:\/\//i.test(answer)) return URL.canParse(answer) ? true : `"${answer}" is not a valid URL.`;
  const path = resolvePath(cwd, answer);
  if (existsSync(path)) {
    return statSync(path).isFile() ? true : `${answer} is a folder; enter the spec file inside it.`;
  }
  const folder = dirname(path);
  const near = existsSync(folder)
    ? readdirSync(folder)
        .filter((name) => /\.(ya?ml|json)$/i.test(name))
        .map((name) => ({ name, score: distance(name.toLowerCase(), basename(path).toLowerCase()) }))
        .filter((candidate) => candidate.score <= 3)
        .sort((a, b) => a.score - b.score)[0]
    : undefined;
  const suggestion = near ? ` Did you mean ${join(dirname(answer), near.name).split(sep).join('/')}?` : '';
  return `No file ${answer} in this folder.${suggestion}`;
}

async function askAll(
  ui: Ui,
  options: { cwd: string; plan: PlanId; defaults: { spec?: string; formats?: Format[]; out: string } },
) {
  const { askText, askChoices } = await import('../../ui/prompts.ts');
  const { defaults } = options;
  const spec = await askText({
    message: 'OpenAPI spec (path or URL):',
    default: defaults.spec,
    validate: (value) => checkSpecAnswer(value, options.cwd),
  });
  const formats = await askChoices<Format>({
    message: 'Formats to generate:',
    choices: formatChoices(options.plan, defaults.formats),
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
  const auth = await resolveAuth({ env: ctx.env, warn: (message) => ui.warn(message) });
  const asking = ui.interactive && (flags.spec === undefined || flags.format === undefined);
  if (asking) {
    // The picker follows the plan: formats outside it are shown as "needs Pro" and cannot be picked.
    const current = await readCurrentPlan({ env: ctx.env, warn: (message) => ui.warn(message) });
    const note = describeAssumedPlan(current);
    if (note) ui.info(note);
    answers = await askAll(ui, { cwd: ctx.cwd, plan: current.plan, defaults: answers });
  } else if (flags.spec !== undefined && checkSpecAnswer(flags.spec, ctx.cwd) !== true) {
    ui.warn(`${checkSpecAnswer(flags.spec, ctx.cwd)} The config points at it anyway.`);
  }
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
  ui.result(auth.token ? 'Next: `specmint generate`.' : 'Next: `specmint login`, then `specmint generate`.');
}
