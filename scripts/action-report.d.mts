/** The `--json` object of `specmint generate`, as far as the action reads it. */
export interface GenerateJson {
  ok: boolean;
  mode?: 'write' | 'dry-run' | 'check';
  outDir?: string;
  files?: string[];
  tests?: number;
  operations?: number;
  formats?: string[];
  usage?: { charged: boolean } | null;
  stale?: { changed: string[]; missing: string[]; extra: string[]; notManaged?: string[] };
  error?: { code: string; message: string; details?: unknown };
}

/** Step outputs for a result (see action.yml `outputs`). */
export function actionOutputs(result: GenerateJson, code: number, file: string): Record<string, string>;

/** The job summary in Markdown. */
export function summaryMarkdown(result: GenerateJson, code: number): string;
