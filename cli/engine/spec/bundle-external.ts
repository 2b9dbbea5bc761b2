import { fileURLToPath } from 'node:url';
import type SwaggerParser from '@apidevtools/swagger-parser';
import type { Diagnostic } from '../ir/types.ts';
import { isRecord, resolvePointer, toPointer } from './json-pointer.ts';
import { parseText } from './parse-text.ts';
import { fetchText, isHttpUrl, readTextFile } from './read-source.ts';
import { SpecError, specErrorFrom } from './spec-error.ts';

/** Options of {@link bundleExternalRefs}. */
export interface BundleOptions {
  /** `file:` or http(s) URL of the root document. */
  baseUrl: string;
  /** The root document's text (already read; not read again). */
  rootText: string;
  /** The root document, parsed (to name the `$ref` in error messages). */
  rootDocument: unknown;
  /** Shown in messages. */
  origin: string;
  timeoutMs: number;
  /** Refuse to fetch URLs (another thread loading the same spec must not fetch its files a second time). */
  localOnly?: boolean;
  /** Adds line numbers to diagnostics whose pointer is in the root document. */
  locate: (diagnostics: Diagnostic[]) => Diagnostic[];
}

/**
 * Pulls the files that `$ref`s point to (relative paths, or relative URLs when the root came from a URL)
 * into one document whose `$ref`s are all internal, with swagger-parser's `bundle` (the referenced content
 * is placed at its first use and later uses point there; circular refs stay `$ref`s).
 * Reading goes through our own resolver so that files and URLs get the same errors and time limit as the root.
 * @see https://apitools.dev/swagger-parser/docs/swagger-parser.html#bundleapi-options-callback
 */
export async function bundleExternalRefs(options: BundleOptions): Promise<Record<string, unknown>> {
  const rootPath = toParserPath(options.baseUrl);
  // json-schema-ref-parser replaces a resolver's error with a generic one; keep ours to report it.
  const failures = new Map<string, string>();
  const read = async (file: { url: string }): Promise<string> => {
    const http = isHttpUrl(file.url);
    // The parser percent-encodes local paths (`my schemas.yaml` → `my%20schemas.yaml`).
    const location = http ? file.url : safeDecode(file.url);
    if (location === rootPath) return options.rootText;
    try {
      if (http && options.localOnly) throw new Error(`${location} is not fetched here (local files only)`);
      return http ? await fetchText(location, options.timeoutMs) : await readTextFile(location, location);
    } catch (error) {
      const first = error instanceof SpecError ? error.diagnostics[0]?.message : undefined;
      failures.set(location, first ?? (error as Error).message);
      throw error;
    }
  };
  // Loaded on first use: only multi-file specs need it, and it pulls in Ajv (~150 ms of module loading).
  const { default: SwaggerParserClass } = await import('@apidevtools/swagger-parser');
  const parser = new SwaggerParserClass();
  try {
    const bundled = await parser.bundle(rootPath, {
      continueOnError: true,
      resolve: {
        file: false,
        http: false,
        specmint: { order: 1, canRead: true, read },
      },
      parse: {
        json: false,
        text: false,
        binary: false,
        yaml: {
          order: 1,
          canParse: true,
          allowEmpty: false,
          parse: (file: { url: string; data: Buffer | string }) =>
            parseText(typeof file.data === 'string' ? file.data : file.data.toString('utf8'), file.url).value,
        },
      },
      // swagger-parser's `bundle` takes the same options as json-schema-ref-parser; its typings lag behind.
    } as unknown as SwaggerParser.Options);
    return bundled as unknown as Record<string, unknown>;
  } catch (error) {
    throw bundleError(error, { ...options, failures });
  }
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** json-schema-ref-parser wants plain filesystem paths for local files. */
function toParserPath(baseUrl: string): string {
  return baseUrl.startsWith('file:') ? fileURLToPath(baseUrl) : baseUrl;
}

interface RefParserError {
  name?: string;
  message: string;
  source?: string;
  path?: Array<string | number> | null;
  code?: string;
  ioErrorCode?: string;
  diagnostics?: Diagnostic[];
  errors?: RefParserError[];
}

/** Turns json-schema-ref-parser errors (one, or a group with `continueOnError`) into one {@link SpecError}. */
function bundleError(
  error: unknown,
  context: {
    origin: string;
    rootDocument: unknown;
    failures: Map<string, string>;
    locate: BundleOptions['locate'];
  },
): SpecError {
  if (error instanceof SpecError) return error;
  const err = error as RefParserError;
  const list = Array.isArray(err.errors) && err.errors.length > 0 ? err.errors : [err];
  const diagnostics: Diagnostic[] = list.map((e) => {
    const pointer = Array.isArray(e.path) ? toPointer(e.path.map(String)) : undefined;
    const at = pointer === undefined ? undefined : resolvePointer(context.rootDocument, pointer);
    const ref =
      at?.found && isRecord(at.value) && typeof at.value.$ref === 'string' ? at.value.$ref : undefined;
    const named = ref ? `$ref '${ref}'` : 'a $ref';
    let message: string;
    if (e.code === 'EMISSINGPOINTER') {
      message = `${named} points to something that does not exist in ${e.source ?? 'the referenced file'} (${e.message})`;
    } else {
      const text = safeDecode(e.message);
      const url = [...context.failures.keys()].find((u) => text.includes(u) || e.message.includes(u));
      const reason = url ? context.failures.get(url) : (e.message.split('\n')[0] ?? e.message);
      message = `${named} cannot be resolved: ${url ?? 'a referenced file'}: ${reason}`;
    }
    return {
      severity: 'error',
      code: e.code === 'EMISSINGPOINTER' ? 'REF_NOT_FOUND' : 'EXTERNAL_REF_UNREADABLE',
      message,
      pointer,
      file: context.origin,
    };
  });
  return specErrorFrom({
    origin: context.origin,
    diagnostics: context.locate(diagnostics),
    code: 'SPEC_REF_UNRESOLVED',
    summary: `Cannot resolve the $refs of ${context.origin}`,
    hint: 'Each referenced file must exist relative to the file that references it, and the part after # must exist in it.',
  });
}
