import { createRequire } from 'node:module';
import type { Document, LineCounter, Node } from 'yaml';
import type { Diagnostic } from '../ir/types.ts';
import { lineStarts, locateJsonPointers, offsetToPosition, type TextPosition } from './json-locator.ts';
import { parsePointer } from './json-pointer.ts';
import { SpecError } from './spec-error.ts';

type YamlModule = typeof import('yaml');
let yamlModule: YamlModule | undefined;

/** The `yaml` package, loaded on first use: JSON specs never need its ~80 ms of module loading. */
function yaml(): YamlModule {
  yamlModule ??= createRequire(import.meta.url)('yaml') as YamlModule;
  return yamlModule;
}

/** A parsed JSON or YAML text. */
export interface ParsedText {
  value: unknown;
  format: 'json' | 'yaml';
  /** Non-fatal problems (e.g. duplicate YAML keys). */
  diagnostics: Diagnostic[];
  /**
   * Positions of JSON pointers; a pointer that does not exist gets its nearest existing ancestor's position
   * (so a missing `description` points at the object that lacks it).
   */
  locate(pointers: readonly string[]): Map<string, TextPosition>;
}

/**
 * Parses JSON or YAML, detected by content: text starting with `{` or `[` is JSON (falling back to YAML,
 * which accepts flow mappings), anything else YAML. Syntax errors become a {@link SpecError} with the line.
 */
export function parseText(text: string, origin: string): ParsedText {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const value: unknown = JSON.parse(text);
      return { value, format: 'json', diagnostics: [], locate: (pointers) => locateJson(text, pointers) };
    } catch (jsonError) {
      // YAML flow mappings also start with `{`; if YAML cannot read it either, the JSON error is the useful one.
      try {
        return parseYaml(text, origin);
      } catch {
        throw jsonSyntaxError(text, origin, jsonError as Error);
      }
    }
  }
  return parseYaml(text, origin);
}

function parseYaml(text: string, origin: string): ParsedText {
  const { LineCounter, parseDocument } = yaml();
  const lineCounter = new LineCounter();
  const options = { lineCounter, prettyErrors: false, merge: true, maxAliasCount: 10_000 } as const;
  let doc = parseDocument(text, options);
  const diagnostics: Diagnostic[] = [];
  if (doc.errors.length > 0 && doc.errors.every((e) => e.code === 'DUPLICATE_KEY')) {
    // Real specs sometimes repeat a key; like JSON.parse, the later one wins, with a warning.
    for (const e of doc.errors) diagnostics.push(yamlDiagnostic(e, lineCounter, origin, 'warning'));
    doc = parseDocument(text, { ...options, uniqueKeys: false });
  }
  if (doc.errors.length > 0) {
    const errors = doc.errors.map((e) => yamlDiagnostic(e, lineCounter, origin, 'error'));
    const first = errors[0];
    throw new SpecError(
      `${origin}${first?.line ? `:${first.line}:${first.column}` : ''}: not valid YAML or JSON: ${first?.message}` +
        (errors.length > 1
          ? ` (and ${errors.length - 1} more syntax error${errors.length > 2 ? 's' : ''})`
          : ''),
      {
        diagnostics: errors,
        code: 'SPEC_SYNTAX',
        hint: 'Fix the syntax at that line (indentation, quotes, colons).',
      },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (error) {
    // Alias bombs (too many alias expansions) end up here.
    throw new SpecError(`${origin}: cannot be read as YAML: ${(error as Error).message}`, {
      diagnostics: [
        { severity: 'error', code: 'YAML_UNREADABLE', message: (error as Error).message, file: origin },
      ],
      code: 'SPEC_SYNTAX',
      hint: 'Remove excessive YAML aliases (*anchors).',
    });
  }
  const locate = (pointers: readonly string[]) => locateYaml(doc, lineCounter, pointers);
  // Only YAML aliases can make an object graph cyclic; JSON.parse never does.
  const cycle = text.includes('*') ? findCycle(value) : undefined;
  if (cycle !== undefined) {
    const position = locate([cycle]).get(cycle);
    const message = 'a YAML alias refers to one of its own ancestors (the document would be infinite)';
    throw new SpecError(`${origin}${position ? `:${position.line}:${position.column}` : ''}: ${message}`, {
      diagnostics: [
        {
          severity: 'error',
          code: 'YAML_RECURSIVE_ALIAS',
          message,
          pointer: cycle,
          file: origin,
          ...(position ?? {}),
        },
      ],
      code: 'SPEC_SYNTAX',
      hint: 'Use a $ref for recursive structures instead of a YAML alias (*name).',
    });
  }
  return { value, format: 'yaml', diagnostics, locate };
}

/** Pointer of the first member that closes an object cycle, if any. */
function findCycle(root: unknown): string | undefined {
  const open = new Set<object>();
  const visit = (node: unknown, pointer: string): string | undefined => {
    if (typeof node !== 'object' || node === null) return undefined;
    if (open.has(node)) return pointer;
    open.add(node);
    const entries: Array<[string, unknown]> = Array.isArray(node)
      ? node.map((v, i) => [String(i), v])
      : Object.entries(node);
    for (const [key, value] of entries) {
      const found = visit(value, `${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (found !== undefined) return found;
    }
    open.delete(node);
    return undefined;
  };
  return visit(root, '');
}

function yamlDiagnostic(
  error: { code: string; message: string; pos: [number, number] },
  lineCounter: LineCounter,
  origin: string,
  severity: 'error' | 'warning',
): Diagnostic {
  const { line, col } = lineCounter.linePos(error.pos[0]);
  const message = error.message.split('\n')[0] ?? error.message;
  return {
    severity,
    code: `YAML_${error.code}`,
    message: message.replace(/ at line \d+, column \d+.*$/, ''),
    file: origin,
    line,
    column: col,
  };
}

function jsonSyntaxError(text: string, origin: string, error: Error): SpecError {
  const match = /at position (\d+)/.exec(error.message);
  const offset = match ? Number(match[1]) : text.length;
  const { line, column } = offsetToPosition(lineStarts(text), offset);
  const message = error.message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
  return new SpecError(`${origin}:${line}:${column}: not valid JSON: ${message}`, {
    diagnostics: [{ severity: 'error', code: 'JSON_SYNTAX', message, file: origin, line, column }],
    code: 'SPEC_SYNTAX',
    hint: 'Fix the JSON syntax at that line (a trailing comma or a missing quote is the usual cause).',
  });
}

function ancestors(pointer: string): string[] {
  const tokens = pointer.split('/');
  const list: string[] = [];
  for (let i = tokens.length; i >= 1; i--) list.push(tokens.slice(0, i).join('/'));
  return list;
}

function locateJson(text: string, pointers: readonly string[]): Map<string, TextPosition> {
  const wanted = new Set<string>();
  for (const p of pointers) for (const a of ancestors(p)) wanted.add(a);
  const found = locateJsonPointers(text, wanted);
  const result = new Map<string, TextPosition>();
  for (const p of pointers) {
    const hit = ancestors(p).find((a) => found.has(a));
    if (hit !== undefined) result.set(p, found.get(hit)!);
  }
  return result;
}

function locateYaml(
  doc: Document,
  lineCounter: LineCounter,
  pointers: readonly string[],
): Map<string, TextPosition> {
  const result = new Map<string, TextPosition>();
  for (const pointer of pointers) {
    const offset = yamlOffset(doc, pointer);
    if (offset === undefined) continue;
    const { line, col } = lineCounter.linePos(offset);
    result.set(pointer, { line, column: col });
  }
  return result;
}

/** Offset of the deepest existing node on the way to `pointer` (the key of a map member). */
function yamlOffset(doc: Document, pointer: string): number | undefined {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const tokens = parsePointer(pointer) ?? [];
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0];
  for (const token of tokens) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => String(isScalar(item.key) ? item.key.value : item.key) === token,
      );
      if (!pair) break;
      offset = (pair.key as Node | null)?.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(token)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset;
}
