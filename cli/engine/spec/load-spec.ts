import type { Diagnostic } from '../ir/types.ts';
import { bundleExternalRefs } from './bundle-external.ts';
import { canonicalHash } from './canonical-hash.ts';
import { checkInternalRefs, isExternalRef } from './check-refs.ts';
import { checkStructure } from './check-structure.ts';
import { collectRefs, MAX_DEPTH, type RefSite, TooDeepError } from './collect-refs.ts';
import { convertSwagger2 } from './convert-swagger2.ts';
import { detectVersion } from './detect-version.ts';
import { type ParsedText, parseText } from './parse-text.ts';
import { DEFAULT_TIMEOUT_MS, readSource } from './read-source.ts';
import { SpecError, specErrorFrom } from './spec-error.ts';

export interface LoadedSpec {
  /**
   * One bundled OpenAPI 3.x document (Swagger 2.0 converted to 3.0 with swagger2openapi); internal $refs
   * only (multi-file refs bundled in). Circular $refs stay $refs (never object cycles).
   */
  document: Record<string, unknown>;
  /** The version as written in the source: '2.0', '3.0.3', '3.1.0'… */
  sourceVersion: string;
  /** Path as given, URL, or '<stdin>'. */
  origin: string;
  /**
   * Hex sha256 of the canonical JSON (keys sorted recursively) of `document`: what the licence request and
   * the output manifest name the spec by. Computed on first read (about 100 ms for GitHub's 13 MB
   * description), so `--dry-run`, `--check` and the engine alone, which never read it, do not pay for it.
   */
  readonly specHash: string;
  /**
   * The file's bytes, when `document` is exactly what they parse to (a JSON file, nothing bundled in, not
   * converted from 2.0): the render helper thread can then work out {@link specHash} from them
   * (hash-source.ts) while this one plans. Not for YAML, whose parsing takes far longer than hashing the
   * document (GitHub's description as YAML: ~9 s against ~0.25 s).
   */
  sourceBytes?: Uint8Array;
  /** Warnings found while loading/validating (not fatal). */
  diagnostics: Diagnostic[];
}

/** Options of {@link loadSpec}. */
export interface LoadSpecOptions {
  /** Read when the source is `-`. @default process.stdin */
  stdin?: NodeJS.ReadableStream;
  /** Time limit for each HTTP fetch (the spec and the files it references). @default 30000 */
  timeoutMs?: number;
  /** A local spec file's bytes, already read (by another thread), used instead of reading it. */
  bytes?: Uint8Array;
  /** Told a local spec file's bytes as soon as they are read, before they are decoded. */
  onBytes?: (bytes: Uint8Array) => void;
  /** Fail rather than fetch a file a `$ref` names by URL (another thread already fetches it). */
  localOnly?: boolean;
}

/**
 * Loads an OpenAPI 3.0 / 3.1 or Swagger 2.0 description from a file path, an http(s) URL or stdin (`-`),
 * JSON or YAML: parse → check version → bundle external `$ref`s → check refs → convert 2.0 → check
 * structure → hash. Throws a {@link SpecError} listing every fatal problem (file, pointer, line, hint); what
 * can be worked around is returned as warnings (see check-structure.ts for the rule).
 */
export async function loadSpec(source: string, options: LoadSpecOptions = {}): Promise<LoadedSpec> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { text, origin, baseUrl, bytes } = await readSource(source, {
    stdin: options.stdin,
    timeoutMs,
    bytes: options.bytes,
    onBytes: options.onBytes,
  });
  const parsed = parseText(text, origin);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  let version: ReturnType<typeof detectVersion>;
  try {
    version = detectVersion(parsed.value, origin);
  } catch (error) {
    throw error instanceof SpecError ? relocate(error, parsed, origin) : error;
  }
  let document = parsed.value as Record<string, unknown>;
  let sites = refSites(document, parsed, origin);
  if (sites.some((site) => isExternalRef(site.ref))) {
    document = await bundleExternalRefs({
      baseUrl,
      rootText: text,
      rootDocument: document,
      origin,
      timeoutMs,
      localOnly: options.localOnly,
      locate: (list) => locate(list, parsed, origin),
    });
    sites = refSites(document, parsed, origin);
  }
  const refErrors = checkInternalRefs(document, sites);
  if (version.family === '2.0') {
    if (refErrors.length > 0) throw invalid(locate(refErrors, parsed, origin), origin);
    const converted = await convertSwagger2(document, { origin, text });
    document = converted.document;
    // Pointers below refer to the converted 3.0 document, so they get no line numbers.
    diagnostics.push(
      ...converted.diagnostics,
      ...checkStructure(document, '3.0').map((d) => ({ ...d, file: origin })),
    );
  } else {
    diagnostics.push(...locate([...refErrors, ...checkStructure(document, version.family)], parsed, origin));
  }
  if (diagnostics.some((d) => d.severity === 'error')) throw invalid(diagnostics, origin);
  let specHash: string | undefined;
  return {
    document,
    sourceVersion: version.sourceVersion,
    origin,
    get specHash() {
      specHash ??= canonicalHash(document);
      return specHash;
    },
    ...(bytes && document === parsed.value && parsed.format === 'json' ? { sourceBytes: bytes } : {}),
    diagnostics,
  };
}

function refSites(document: unknown, parsed: ParsedText, origin: string): RefSite[] {
  try {
    return collectRefs(document);
  } catch (error) {
    if (!(error instanceof TooDeepError)) throw error;
    const diagnostic: Diagnostic = {
      severity: 'error',
      code: 'TOO_DEEP',
      message: `the document nests more than ${MAX_DEPTH} levels deep (a recursive YAML alias?)`,
      pointer: error.pointer,
    };
    throw specErrorFrom({
      origin,
      diagnostics: locate([diagnostic], parsed, origin),
      code: 'SPEC_INVALID',
      hint: 'Use $ref for recursive structures instead of YAML anchors, or flatten the document.',
    });
  }
}

function invalid(diagnostics: Diagnostic[], origin: string): SpecError {
  const codes = new Set(diagnostics.filter((d) => d.severity === 'error').map((d) => d.code));
  const onlyRefs = codes.size === 1 && codes.has('REF_NOT_FOUND');
  return specErrorFrom({
    origin,
    diagnostics,
    code: onlyRefs ? 'SPEC_REF_UNRESOLVED' : 'SPEC_INVALID',
    hint: onlyRefs
      ? 'Point each $ref at something that exists (names are case-sensitive; components live under #/components/…).'
      : 'Fix the places listed above (OpenAPI reference: https://spec.openapis.org/oas/latest.html).',
  });
}

/** Adds the source file and the line/column to diagnostics that have a pointer. */
function locate(diagnostics: Diagnostic[], parsed: ParsedText, origin: string): Diagnostic[] {
  const pointers = diagnostics
    .filter((d) => d.pointer !== undefined && d.line === undefined)
    .map((d) => d.pointer!);
  const positions = pointers.length > 0 ? parsed.locate(pointers) : new Map();
  return diagnostics.map((d) => {
    const position = d.pointer === undefined ? undefined : positions.get(d.pointer);
    return {
      ...d,
      file: d.file ?? origin,
      ...(position && d.line === undefined ? { line: position.line, column: position.column } : {}),
    };
  });
}

/** Rebuilds a SpecError with line numbers on its diagnostics. */
function relocate(error: SpecError, parsed: ParsedText, origin: string): SpecError {
  return specErrorFrom({
    origin,
    diagnostics: locate(error.diagnostics, parsed, origin),
    code: error.code,
    hint: error.hint ?? '',
  });
}
