/**
 * `specmint generate <spec>`: normalise the settings (flags, config file, output manifest, prompts), then
 * hand them to the engine's {@link runGeneration} with the terminal, the licence server, the user's AI
 * provider and the disk plugged into its ports. By mode:
 * - `--dry-run`: print what would be written; no licence server call, nothing written or charged;
 * - `--check`: compare with the files on disk; exit 3 when stale; no licence server call, no charge;
 * - default: check the output folder, request an entitlement, verify the usage token, render, write
 *   atomically, report completion.
 */
import { join } from 'node:path';
import { type Format, PLANS, planAllowsFormat } from '../../../shared/plans.ts';
import type { CurrentPlan } from '../../account/current-plan.ts';
import { loadProjectConfig } from '../../config/load-config.ts';
import {
  type CompletedGenerateSettings,
  completeGenerateSettings,
  type GenerateFlags,
  resolveGenerateSettings,
  type SettingsPrompts,
} from '../../config/resolve-generate-settings.ts';
import type { AiPort, GenerationPorts, ProgressPort } from '../../engine/ports.ts';
import { prefetchSpec } from '../../engine/spec/read-source.ts';
import type { Ui } from '../../ui/ui.ts';
import { createUi } from '../../ui/ui.ts';
import type { CommandContext } from '../command-context.ts';
import { licenceServer } from './entitle.ts';
import { isUpToDate, StaleError } from './stale-error.ts';
import { displayPath, type GenerateResult, printSummary } from './summary.ts';

/** Progress on the terminal: spinners (or plain lines) on stderr. */
function terminalProgress(ui: Ui): ProgressPort {
  return {
    start: (text) => {
      // Without a terminal a step shows only when it ends; --debug says when each one starts.
      ui.debug(`step: ${text}`);
      return ui.spinner(text);
    },
    warn: (text) => ui.warn(text),
    debug: (text) => ui.debug(text),
    path: (path) => displayPath(path),
  };
}

/** Questions for the spec and formats, only when someone can answer them. */
function settingsPrompts(ui: Ui, plan: () => Promise<CurrentPlan>): SettingsPrompts | undefined {
  if (!ui.interactive) return undefined;
  return {
    async spec() {
      const { askText } = await import('../../ui/prompts.ts');
      return askText({ message: 'OpenAPI spec (path, URL or - for stdin):' });
    },
    async formats() {
      const { askChoices } = await import('../../ui/prompts.ts');
      const { formatChoices } = await import('../../ui/format-picker.ts');
      const { describeAssumedPlan } = await import('../../account/current-plan.ts');
      const current = await plan();
      const note = describeAssumedPlan(current);
      if (note) ui.info(note);
      return askChoices<Format>({ message: 'Formats to generate:', choices: formatChoices(current.plan) });
    },
  };
}

/**
 * In an interactive run, formats the account's plan does not include are offered to be left out ("Continue
 * without k6?") instead of the run ending with exit 4 at the licence server. Without a terminal, the server's
 * refusal (exit 4, with the upgrade URL) stands.
 */
async function keepFormatsInPlan(
  settings: CompletedGenerateSettings,
  context: { ui: Ui; plan: () => Promise<CurrentPlan> },
): Promise<void> {
  const { generation } = settings;
  if (!context.ui.interactive || generation.mode !== 'write') return;
  const current = await context.plan();
  if (current.source !== 'account') return;
  const outside = generation.formats.filter((format) => !planAllowsFormat(current.plan, format));
  if (outside.length === 0) return;
  const inside = generation.formats.filter((format) => planAllowsFormat(current.plan, format));
  const { askConfirm } = await import('../../ui/prompts.ts');
  const list = outside.join(', ');
  const keepGoing =
    inside.length > 0 &&
    (await askConfirm({
      message: `Your ${PLANS[current.plan].name} plan does not include ${list}. Continue without ${list}?`,
      default: true,
    }));
  if (!keepGoing) return; // the licence server refuses with the upgrade URL (exit 4)
  generation.formats = inside;
}

/** AI-enhanced cases from the user's provider, cached under the config dir. */
function aiProvider(
  settings: CompletedGenerateSettings,
  context: { ctx: CommandContext; redact: boolean },
): AiPort | undefined {
  const ai = settings.generation.ai;
  const apiKey = settings.aiApiKey;
  if (!ai || !apiKey) return undefined;
  return {
    async enhance({ ir, plan, progress }) {
      const { enhancePlan } = await import('../../engine/ai/enhance-plan.ts');
      const { resolveConfigDir } = await import('../../account/config-dir.ts');
      const spinner = progress.start(`Asking ${ai.provider} ${ai.model} for extra cases`);
      try {
        const { plan: enhanced, stats } = await enhancePlan(ir, plan, {
          ...ai,
          apiKey,
          cacheDir: join(resolveConfigDir({ env: context.ctx.env }), 'cache', 'ai'),
          redact: context.redact,
          categories: settings.generation.categories,
          onProgress: (p) =>
            spinner.update(
              `Asking ${ai.provider} ${ai.model}: ${p.done}/${p.total} operations · ${p.inputTokens + p.outputTokens} tokens · ~$${p.estimatedCostUsd.toFixed(3)}`,
            ),
          onDebug: (message) => progress.debug(message),
        });
        if (stats.fellBack) spinner.fail(`${ai.provider} failed; using the deterministic cases only`);
        else
          spinner.succeed(
            `${stats.accepted} AI cases added (${stats.rejected} proposals rejected, ${stats.cached} operations from cache)`,
          );
        for (const warning of stats.warnings) progress.warn(warning);
        for (const rejection of stats.rejections)
          progress.debug(`rejected for ${rejection.operationId}: ${rejection.reason}`);
        return enhanced;
      } finally {
        spinner.stop();
      }
    },
  };
}

/** The engine's ports for this command run. */
async function commandPorts(
  settings: CompletedGenerateSettings,
  context: { ui: Ui; ctx: CommandContext; flags: GenerateFlags },
): Promise<GenerationPorts> {
  const { ui, ctx, flags } = context;
  const { generation } = settings;
  const { fileOutput } = await import('../../engine/emit/file-output.ts');
  const confirmReplace = ui.interactive
    ? async (formats: readonly Format[]) => {
        const { askConfirm } = await import('../../ui/prompts.ts');
        return askConfirm({
          message: `${displayPath(generation.outDir)} was not written by SpecMint. Write the ${formats.join(', ')} suite${formats.length === 1 ? '' : 's'} into it? (Files already there are kept, except any at the paths SpecMint writes.)`,
          default: false,
        });
      }
    : undefined;
  const progress = terminalProgress(ui);
  const ai = aiProvider(settings, { ctx, redact: flags.aiRedact === true });
  return {
    progress,
    output: fileOutput({
      outDir: generation.outDir,
      force: generation.force,
      ...(confirmReplace ? { confirmReplace } : {}),
    }),
    ...(generation.mode === 'write'
      ? {
          licence: licenceServer({
            env: ctx.env,
            ...(settings.configApiUrl === undefined ? {} : { configApiUrl: settings.configApiUrl }),
            warn: (message) => ui.warn(message),
            debug: (message) => ui.debug(message),
          }),
        }
      : {}),
    ...(ai ? { ai } : {}),
    stdin: process.stdin,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  };
}

/** Runs `specmint generate`; returns normally on success (exit 0), throws typed errors otherwise. */
export async function runGenerate(
  specArg: string | undefined,
  flags: GenerateFlags,
  ctx: CommandContext,
): Promise<void> {
  ctx.state.json = flags.json === true;
  ctx.state.debug = flags.debug === true;
  ctx.state.cancellable = true;
  const ui = createUi({ json: flags.json, yes: flags.yes, debug: flags.debug });
  const config = await loadProjectConfig(ctx.cwd);
  if (config) ui.debug(`using ${config.file}`);
  const resolved = resolveGenerateSettings({ specArg, flags, config, cwd: ctx.cwd });
  // The spec file is read while the rest of the settings and the engine's modules load.
  if (resolved.spec) prefetchSpec(resolved.spec);
  const { readManifest } = await import('../../engine/emit/write-output.ts');
  // The account's plan, asked for at most once and only when a prompt needs it.
  let current: Promise<CurrentPlan> | undefined;
  const plan = () => {
    current ??= import('../../account/current-plan.ts').then(({ readCurrentPlan }) =>
      readCurrentPlan({
        env: ctx.env,
        ...(resolved.configApiUrl ? { configApiUrl: resolved.configApiUrl } : {}),
      }),
    );
    return current;
  };
  const settings = await completeGenerateSettings(resolved, {
    manifest: await readManifest(resolved.outDir),
    prompts: settingsPrompts(ui, plan),
    env: ctx.env,
  });
  await keepFormatsInPlan(settings, { ui, plan });
  const { generation, sources } = settings;
  ui.debug(
    `formats ${generation.formats.join(',')} (${sources.formats}), seed ${generation.seed} (${sources.seed})`,
  );
  const { runGeneration } = await import('../../engine/run-generation.ts');
  const result = await runGeneration(generation, await commandPorts(settings, { ui, ctx, flags }));
  if (result.stale && !isUpToDate(result.stale)) throw new StaleError(generation.outDir, result.stale);
  const output: GenerateResult = {
    ok: true,
    outDir: result.outDir,
    files: result.files,
    operations: result.operations,
    tests: result.tests,
    formats: result.formats,
    usage: result.usage,
    mode: result.mode,
    testsByCategory: result.testsByCategory,
    testsByFormat: result.testsByFormat,
    depth: result.depth,
    inputs: result.inputs,
    warnings: result.warnings,
    ...(result.stale ? { stale: result.stale } : {}),
  };
  printSummary(ui, output, result.title);
  if (ui.json) ui.printJson(output);
}
