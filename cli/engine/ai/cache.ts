/**
 * The answer cache: one JSON file per (provider, model, endpoint, prompt version, prompt text) under the
 * cache directory. The prompt text holds the operation's slice of the spec, so any change to that operation
 * (or to redaction) is a different key; a re-run on an unchanged spec makes no request and, since
 * validation is deterministic, yields the same plan. Files are written atomically.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { ProposalListSchema } from './proposal-schema.ts';

/** What identifies an answer. */
export interface CacheKeyParts {
  provider: string;
  model: string;
  baseUrl?: string;
  promptVersion: string;
  operationId: string;
  system: string;
  user: string;
}

const CacheEntrySchema = z.object({
  cacheVersion: z.literal(1),
  provider: z.string(),
  model: z.string(),
  promptVersion: z.string(),
  operationId: z.string(),
  output: ProposalListSchema,
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
});
export type CacheEntry = z.infer<typeof CacheEntrySchema>;

/** The hex sha256 key of an answer. */
export function cacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify([
    parts.provider,
    parts.model,
    parts.baseUrl ?? '',
    parts.promptVersion,
    parts.operationId,
    parts.system,
    parts.user,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function fileOf(cacheDir: string, operationId: string, key: string): string {
  const safe = operationId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);
  return join(cacheDir, `${safe}-${key}.json`);
}

/** The cached answer, or undefined when there is none (or it is unreadable: then it is simply re-asked). */
export async function readCache(
  cacheDir: string,
  operationId: string,
  key: string,
): Promise<CacheEntry | undefined> {
  let text: string;
  try {
    text = await readFile(fileOf(cacheDir, operationId, key), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = CacheEntrySchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Stores an answer (write to a temp file, then rename). */
export async function writeCache(cacheDir: string, key: string, entry: CacheEntry): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const file = fileOf(cacheDir, entry.operationId, key);
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temp, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, file);
}
