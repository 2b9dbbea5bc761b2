/**
 * `specmint generate <spec>`: load and validate the spec locally (a broken spec never costs quota) →
 * plan → then, by mode:
 * - `--dry-run`: print what would be written; no licence server call, nothing written or charged;
 * - `--check`: compare with the files on disk; exit 3 when stale; no licence server call, no charge
 *   (it writes nothing, so there is nothing to license);
 * - default: request an entitlement, verify the usage token, render, write atomically, report completion.
 */
import { join } from 'node:path';
import { loadProjectConfig } from '../../config/load-config.ts';
import { type GenerateFlags, resolveGenerateSettings } from '../../config/resolve-generate-settings.ts';
import type { CheckResult } from '../../engine/emit/write-output.ts';
import type { FormatOutput, PreparedSpec } from '../../engine/pipeline.ts';
import type { TestPlan } from '../../engine/plan/types.ts';
import { InputError, UsageError } from '../../errors.ts';
import { plural } from '../../ui/plural.ts';
import { createUi, type Ui } from '../../ui/ui.ts';
import type { CommandContext } from '../command-context.ts';
import { type CompleteSettings, completeSettings } from './complete-settings.ts';
import { type Entitlement, requestEntitlement } from './entitle.ts';
import { isUpToDate, StaleError } from './stale-error.ts';
import { type GenerateResult, printSummary } from './summary.ts';
import { withFormatProgress, writeSuites } from './write-suites.ts';

const MAX_WARNINGS_SHOWN = 10;

function reportDiagnostics(ui: Ui, prepared: PreparedSpec, warnings: string[]): void {
  const shown = prepared.diagnostics.filter((d) => d.severity === 'warning');
  for (const d of shown.slice(0, MAX_WARNINGS_SHOWN)) {
    const where = d.pointer !== undefined ? ` (at ${d.pointer === '' ? '/' : d.pointer})` : '';
    const text = `${d.message}${where}`;
    warnings.push(text);
    ui.warn(text);
  }
  if (shown.length > MAX_WARNINGS_SHOWN) {
    ui.warn(`… and ${shown.length - MAX_WARNINGS_SHOWN} more spec warnings (all of them with --debug).`);
    for (const d of shown.slice(MAX_WARNINGS_SHOWN)) ui.debug(d.message);
  }
}

/** A `--path-param` (or config `pathParams`) name no path of the spec uses is most likely a typo: say so. */
function reportUnknownPathParams(
  ui: Ui,
  prepared: PreparedSpec,
  settings: CompleteSettings,
  warnings: string[],
) {
  const known = new Set(
    prepared.ir.operations.flatMap((op) => op.parameters.filter((p) => p.in === 'path').map((p) => p.name)),
  );
  for (const name of Object.keys(settings.pathParams)) {
    if (known.has(name)) continue;
    const text = `--path-param ${name}: no path of the spec has a {${name}} parameter, so it is not used.`;
    warnings.push(text);
    ui.warn(text);
  }
}

async function loadAndPlan(settings: CompleteSettings, ui: Ui, warnings: string[]) {
  const engine = await import('../../engine/pipeline.ts');
  const { selectOperations } = await import('../../engine/plan/plan-tests.ts');
  const step = ui.spinner(`Loading ${settings.spec === '-' ? 'spec from stdin' : settings.spec}`);
  let prepared: PreparedSpec;
  try {
    prepared = await engine.prepareSpec(settings.spec, { stdin: process.stdin });
  } catch (error) {
    step.fail(`Could not load ${settings.spec}`);
    throw error;
  }
  const selected = selectOperations(prepared.ir, settings);
  step.succeed(
    `Loaded ${prepared.ir.title} ${prepared.ir.version} (OpenAPI ${prepared.ir.sourceVersion}, ${plural(prepared.ir.operations.length, 'operation')})`,
  );
  reportDiagnostics(ui, prepared, warnings);
  reportUnknownPathParams(ui, prepared, settings, warnings);
  if (selected.length === 0) {
    const filters = [
      settings.tags.length > 0 ? `--tags ${settings.tags.join(',')}` : '',
      settings.operations.length > 0 ? `--operations ${settings.operations.join(',')}` : '',
    ].filter(Boolean);
    throw new InputError(
      prepared.ir.operations.length === 0
        ? `The spec ${settings.spec} has no operations to test.`
        : `No operation matches ${filters.join(' and ')}.`,
      {
        code: 'NO_OPERATIONS',
        hint:
          prepared.ir.operations.length === 0
            ? 'Add paths with operations to the spec.'
            : `Operations in the spec: ${prepared.ir.operations
                .slice(0, 15)
                .map((op) => op.operationId ?? op.id)
                .join(', ')}${prepared.ir.operations.length > 15 ? ', …' : ''}`,
      },
    );
  }
  return { engine, prepared, operations: selected.length };
}

/** Plans the selected operations (a spinner while it runs: Microsoft Graph beta takes half a minute). */
function planCases(
  engine: typeof import('../../engine/pipeline.ts'),
  prepared: PreparedSpec,
  settings: CompleteSettings,
  ui: Ui,
): TestPlan {
  const step = ui.spinner(`Planning test cases for ${prepared.ir.title}`);
  try {
    return engine.planSuites(prepared.ir, {
      formats: settings.formats,
      seed: settings.seed,
      categories: settings.categories,
      tags: settings.tags,
      operations: settings.operations,
      pathParams: settings.pathParams,
    });
  } finally {
    step.stop();
  }
}

/** The formats, rendered one at a time as they are asked for (see renderFormats). */
function renderEach(
  engine: typeof import('../../engine/pipeline.ts'),
  plan: TestPlan,
  settings: CompleteSettings,
): Iterable<FormatOutput> {
  return engine.renderFormats(plan, {
    formats: settings.formats,
    render: { sqlDialect: settings.sqlDialect },
  });
}

/** The user's own provider key; read before the entitlement so a missing key costs no quota. */
function aiApiKey(settings: CompleteSettings, env: NodeJS.ProcessEnv): string | undefined {
  if (!settings.ai) return undefined;
  const name = settings.ai.provider === 'openai' ? 'OPENAI_API_KEY' : 'ANTHROPIC_API_KEY';
  const key = env[name]?.trim();
  if (!key) {
    throw new UsageError(
      `--ai ${settings.ai.provider} needs your ${settings.ai.provider} API key in ${name}.`,
      {
        hint: `export ${name}=… (the key is only ever sent to ${settings.ai.provider}, never to SpecMint).`,
      },
    );
  }
  return key;
}

/** Asks the AI provider for extra validated cases for `plan` (cached; falls back to the plain plan). */
async function planWithAi(
  prepared: PreparedSpec,
  plan: TestPlan,
  settings: CompleteSettings,
  context: { ui: Ui; env: NodeJS.ProcessEnv; apiKey: string; redact: boolean; warnings: string[] },
): Promise<TestPlan> {
  const ai = settings.ai;
  if (!ai) return plan;
  const { enhancePlan } = await import('../../engine/ai/enhance-plan.ts');
  const { resolveConfigDir } = await import('../../account/config-dir.ts');
  const { ui, warnings } = context;
  const spinner = ui.spinner(`Asking ${ai.provider} ${ai.model} for extra cases`);
  const { plan: enhanced, stats } = await enhancePlan(prepared.ir, plan, {
    ...ai,
    apiKey: context.apiKey,
    cacheDir: join(resolveConfigDir({ env: context.env }), 'cache', 'ai'),
    redact: context.redact,
    categories: settings.categories,
    onProgress: (p) =>
      spinner.update(
        `Asking ${ai.provider} ${ai.model}: ${p.done}/${p.total} operations · ${p.inputTokens + p.outputTokens} tokens · ~$${p.estimatedCostUsd.toFixed(3)}`,
      ),
    onDebug: (message) => ui.debug(message),
  });
  const summary = `${stats.accepted} AI cases added (${stats.rejected} proposals rejected, ${stats.cached} operations from cache)`;
  if (stats.fellBack) spinner.fail(`${ai.provider} failed; using the deterministic cases only`);
  else spinner.succeed(summary);
  for (const warning of stats.warnings) {
    warnings.push(warning);
    ui.warn(warning);
  }
  for (const rejection of stats.rejections)
    ui.debug(`rejected for ${rejection.operationId}: ${rejection.reason}`);
  return enhanced;
}

/** Runs `specmint generate`; returns normally on success (exit 0), throws typed errors otherwise. */
export async function runGenerate(
  specArg: string | undefined,
  flags: GenerateFlags,
  ctx: CommandContext,
): Promise<void> {
  ctx.state.json = flags.json === true;
  ctx.state.debug = flags.debug === true;
  const ui = createUi({ json: flags.json, yes: flags.yes, debug: flags.debug });
  const warnings: string[] = [];
  const config = await loadProjectConfig(ctx.cwd);
  if (config) ui.debug(`using ${config.file}`);
  const resolved = resolveGenerateSettings({ specArg, flags, config, cwd: ctx.cwd });
  const { readManifest, checkOutput } = await import('../../engine/emit/write-output.ts');
  const settings = await completeSettings(resolved, { ui, manifest: await readManifest(resolved.outDir) });
  ui.debug(
    `formats ${settings.formats.join(',')} (${settings.sources.formats}), seed ${settings.seed} (${settings.sources.seed})`,
  );

  const { engine, prepared, operations } = await loadAndPlan(settings, ui, warnings);
  const base = { ok: true as const, outDir: settings.outDir };

  if (settings.mode !== 'write') {
    if (settings.ai) {
      // AI cases need a licence call and the provider key (and cost tokens): --dry-run and --check stay offline.
      const warning =
        settings.mode === 'check'
          ? `--check compares without AI cases (--ai ${settings.ai.provider} is only applied when writing): files written with AI cases show as stale.`
          : `--dry-run leaves AI cases out (--ai ${settings.ai.provider} is only applied when writing): the counts are the deterministic cases.`;
      warnings.push(warning);
      ui.warn(warning);
    }
    const plan = planCases(engine, prepared, settings, ui);
    const files: string[] = [];
    const stale: CheckResult = { changed: [], missing: [], extra: [] };
    const step = ui.spinner('Rendering');
    try {
      // One format at a time: only its paths (and, for --check, what differs) are kept.
      for (const output of withFormatProgress(
        renderEach(engine, plan, settings),
        settings.formats,
        step,
        'Rendering',
      )) {
        files.push(...output.files.map((f) => f.path));
        if (settings.mode === 'check') {
          const found = await checkOutput(settings.outDir, [output]);
          stale.changed.push(...found.changed);
          stale.missing.push(...found.missing);
          stale.extra.push(...found.extra);
        }
      }
    } finally {
      step.stop();
    }
    files.sort();
    const result: GenerateResult = {
      ...base,
      files,
      operations,
      tests: plan.cases.length,
      formats: settings.formats,
      usage: null,
      mode: settings.mode,
      testsByCategory: engine.countByCategory(plan),
      warnings,
    };
    if (settings.mode === 'check') {
      if (!isUpToDate(stale)) throw new StaleError(settings.outDir, stale);
      result.stale = stale;
    }
    printSummary(ui, result, `${prepared.ir.title} ${prepared.ir.version}`);
    if (ui.json) ui.printJson(result);
    return;
  }

  const apiKey = aiApiKey(settings, ctx.env);
  const started = Date.now();
  const step = ui.spinner('Requesting a licence for this generation');
  let entitlement: Entitlement;
  try {
    entitlement = await requestEntitlement({
      request: {
        specHash: prepared.spec.specHash,
        specTitle: prepared.ir.title,
        operationCount: prepared.ir.operations.length,
        formats: settings.formats,
        ai: settings.ai,
      },
      env: ctx.env,
      configApiUrl: settings.configApiUrl,
      warn: (message) => ui.warn(message),
      debug: (message) => ui.debug(message),
    });
  } catch (error) {
    step.fail('No licence for this generation');
    throw error;
  }
  step.succeed(`Licensed (${entitlement.claims.plan} plan; usage token verified)`);
  try {
    const planned = planCases(engine, prepared, settings, ui);
    const plan = apiKey
      ? await planWithAi(prepared, planned, settings, {
          ui,
          env: ctx.env,
          apiKey,
          redact: flags.aiRedact === true,
          warnings,
        })
      : planned;
    const files = await writeSuites({
      ui,
      settings,
      outputs: () => renderEach(engine, plan, settings),
      specHash: prepared.spec.specHash,
    });
    const tests = plan.cases.length;
    try {
      await entitlement.api.completeGeneration(entitlement.grant.generationId, {
        files: files.length,
        tests,
        durationMs: Math.min(Date.now() - started, 86_400_000),
      });
    } catch (error) {
      const text = `Could not report completion to the licence server (${(error as Error).message}); the files are written.`;
      warnings.push(text);
      ui.warn(text);
    }
    const { usage, charged } = entitlement.grant;
    const result: GenerateResult = {
      ...base,
      files,
      operations,
      tests,
      formats: settings.formats,
      usage: { plan: usage.plan, used: usage.used, limit: usage.limit, remaining: usage.remaining, charged },
      mode: 'write',
      testsByCategory: engine.countByCategory(plan),
      warnings,
    };
    printSummary(ui, result, `${prepared.ir.title} ${prepared.ir.version}`);
    if (ui.json) ui.printJson(result);
  } finally {
    await entitlement.api.close();
  }
}
