/**
 * Fills the settings nobody gave: first from the output folder's manifest (a re-run regenerates the
 * formats, seed and path parameter values already there), then by asking — only when the session is interactive. Otherwise a
 * missing value is a {@link UsageError} (exit 2) that names the flag to pass.
 */
import { FORMATS, type Format, PLANS } from '../../../shared/plans.ts';
import type { GenerateSettings } from '../../config/resolve-generate-settings.ts';
import type { Manifest } from '../../engine/emit/write-output.ts';
import { UsageError } from '../../errors.ts';
import type { Ui } from '../../ui/ui.ts';

/** Settings with the spec and formats known. */
export type CompleteSettings = GenerateSettings & { spec: string; formats: Format[] };

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

/** Completes `settings`; prompts only when `ui.interactive`. */
export async function completeSettings(
  settings: GenerateSettings,
  options: { ui: Ui; manifest?: Manifest },
): Promise<CompleteSettings> {
  const { ui, manifest } = options;
  const next: GenerateSettings = { ...settings, sources: { ...settings.sources } };
  if (next.formats === undefined) {
    const fromOutput = manifestFormats(manifest);
    if (fromOutput) {
      next.formats = fromOutput;
      next.sources.formats = 'output';
    }
  }
  if (next.sources.seed === 'default' && manifest && Number.isSafeInteger(manifest.seed)) {
    next.seed = manifest.seed;
    next.sources.seed = 'output';
  }
  if (Object.keys(next.pathParams).length === 0 && isStringRecord(manifest?.pathParams)) {
    next.pathParams = { ...manifest.pathParams };
  }
  if (next.spec === undefined) {
    if (!ui.interactive) {
      throw new UsageError('No spec given.', {
        hint: 'Pass it as the first argument, e.g. `specmint generate ./openapi.yaml` (a URL or - for stdin also work), or set "spec" in specmint.config.json.',
      });
    }
    const { askText } = await import('../../ui/prompts.ts');
    next.spec = await askText({ message: 'OpenAPI spec (path, URL or - for stdin):' });
    next.sources.spec = 'prompt';
  }
  if (next.formats === undefined) {
    if (!ui.interactive) {
      throw new UsageError('No output format given.', {
        hint: `Pass --format, e.g. \`--format pytest,vitest\` (one or more of ${FORMATS.join(', ')}), or set "formats" in specmint.config.json.`,
      });
    }
    const { askChoices } = await import('../../ui/prompts.ts');
    const free = new Set<string>(PLANS.free.formats);
    next.formats = await askChoices<Format>({
      message: 'Formats to generate:',
      choices: FORMATS.map((format) => ({
        value: format,
        name: free.has(format) ? format : `${format} (Pro)`,
        checked: format === 'pytest',
      })),
    });
    next.sources.formats = 'prompt';
  }
  return next as CompleteSettings;
}
