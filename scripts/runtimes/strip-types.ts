/**
 * Turns a runtime written in TypeScript into JavaScript that reads like it: the TypeScript parser (Babel's)
 * finds every type, and exactly those characters are cut out, so comments, blank lines, quotes and line breaks
 * stay as written (esbuild or tsc would print the code anew, without most comments). Interfaces and type
 * aliases become JSDoc `@typedef`s, so editors still show the shapes; with `commonJs`, imports become
 * `require` calls and exports one `module.exports` at the end (jest suites are CommonJS).
 *
 * Supports what the runtimes use (annotations, `as`, `!`, generics, interfaces, type aliases, `import type`)
 * and throws on any other TypeScript-only syntax (enums, namespaces, parameter properties…) rather than guess.
 * tests/scripts/strip-types.test.ts checks the result against esbuild's type stripping, statement for statement.
 */
import { parse } from '@babel/parser';

/** A Babel AST node, as far as this file reads it. */
interface AstNode {
  type: string;
  start: number;
  end: number;
  leadingComments?: Array<{ type: string; value: string; start: number; end: number }>;
  [key: string]: unknown;
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Options of {@link stripTypes}. */
export interface StripOptions {
  /** Rewrite imports as `require` calls and exports as one `module.exports`, after `'use strict'`. */
  commonJs: boolean;
}

/** Nodes that are types and nothing else: cut as they are. */
const TYPE_NODES = new Set([
  'TSTypeAnnotation',
  'TSTypeParameterDeclaration',
  'TSTypeParameterInstantiation',
]);

/** TypeScript-only syntax with run-time meaning, or none this file handles: refused. */
const UNSUPPORTED = new Set([
  'TSEnumDeclaration',
  'TSModuleDeclaration',
  'TSParameterProperty',
  'TSTypeAssertion',
  'TSImportEqualsDeclaration',
  'TSExportAssignment',
  'TSDeclareFunction',
  'TSAbstractMethodDefinition',
  'ClassProperty',
  'Decorator',
]);

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

function children(node: AstNode): AstNode[] {
  const out: AstNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'leadingComments' || key === 'trailingComments' || key === 'innerComments' || key === 'loc') {
      continue;
    }
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

function fail(source: string, node: AstNode, what: string): never {
  const line = source.slice(0, node.start).split('\n').length;
  throw new Error(`strip-types: line ${line}: ${what} (${node.type}) is not supported in a runtime file`);
}

/** JSDoc text of a `/** … *\/` comment, one string, `@default x` as "(default x)". */
function docText(comments: AstNode['leadingComments']): string {
  const doc = comments
    ?.filter((comment) => comment.type === 'CommentBlock' && comment.value.startsWith('*'))
    .at(-1);
  if (!doc) return '';
  return doc.value
    .slice(1)
    .split('\n')
    .map((line) => line.replace(/^\s*\*\s?/, '').trim())
    .filter((line) => line !== '')
    .join(' ')
    .replace(/\{@link ([^}]+)\}/g, '$1')
    .replace(/@default (\S+)/g, '(default $1)');
}

/** The text of a type, on one line, type-only imports written as `import('module').Name`. */
function typeText(source: string, node: AstNode, imported: Map<string, string>): string {
  let text = source
    .slice(node.start, node.end)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/^\|\s*/, '');
  for (const [name, from] of imported) {
    text = text.replace(
      new RegExp(`(?<![\\w$.'])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g'),
      `import('${from}').${name}`,
    );
  }
  return text;
}

/** An interface or type alias as a JSDoc `@typedef` block. */
function typedef(
  source: string,
  declaration: AstNode,
  comments: AstNode['leadingComments'],
  imported: Map<string, string>,
): string {
  const name = (declaration.id as AstNode & { name: string }).name;
  const lines: string[] = [];
  const description = docText(comments);
  if (description) lines.push(description);
  if (declaration.type === 'TSTypeAliasDeclaration') {
    lines.push(`@typedef {${typeText(source, declaration.typeAnnotation as AstNode, imported)}} ${name}`);
  } else {
    if ((declaration.extends as unknown[] | undefined)?.length)
      fail(source, declaration, 'an interface that extends');
    lines.push(`@typedef {object} ${name}`);
    for (const member of (declaration.body as AstNode & { body: AstNode[] }).body) {
      const key = (member.key as AstNode & { name?: string }).name;
      const annotation = member.typeAnnotation as AstNode | undefined;
      if (
        !key ||
        !annotation ||
        (member.type !== 'TSPropertySignature' && member.type !== 'TSMethodSignature')
      ) {
        fail(source, member, 'an interface member other than `name: type` or `name(…): type`');
      }
      let type = typeText(source, annotation.typeAnnotation as AstNode, imported);
      if (member.type === 'TSMethodSignature') {
        type = `${typeText(source, { ...member, start: (member.key as AstNode).end, end: annotation.start }, imported).trim()} => ${type}`;
      }
      const label = member.optional ? `[${key}]` : key;
      const doc = docText(member.leadingComments);
      lines.push(`@property {${type}} ${label}${doc ? ` ${doc}` : ''}`);
    }
  }
  return ['/**', ...lines.map((line) => ` * ${line}`), ' */'].join('\n');
}

/** Start of a statement including its leading comments. */
function statementStart(node: AstNode): number {
  return node.leadingComments?.[0]?.start ?? node.start;
}

/** A whole statement removed (or replaced), with its line break and, between blank lines, one blank line. */
function statementEdit(source: string, start: number, end: number, text: string): Edit {
  let stop = end;
  if (text === '') {
    if (source[stop] === '\n') stop += 1;
    if (source[stop] === '\n' && (start === 0 || source.slice(start - 2, start) === '\n\n')) stop += 1;
  }
  return { start, end: stop, text };
}

interface ModuleState {
  exports: string[];
  /** Name → module of type-only imports (for typedefs). */
  typeImports: Map<string, string>;
}

function requireSpecifier(from: string): string {
  return from.startsWith('.') ? from.replace(/\.ts$/, '.js') : from;
}

/** An import declaration: removed when type-only, its type specifiers dropped, or (CommonJS) a `require`. */
function importEdit(source: string, node: AstNode, commonJs: boolean): Edit | undefined {
  const from = (node.source as AstNode & { value: string }).value;
  const specifiers = node.specifiers as Array<
    AstNode & { importKind?: string; local: { name: string }; imported?: { name: string } }
  >;
  const values = node.importKind === 'type' ? [] : specifiers.filter((s) => s.importKind !== 'type');
  if (values.length === 0 && specifiers.length > 0) return statementEdit(source, node.start, node.end, '');
  if (!commonJs) {
    if (values.length === specifiers.length) return undefined;
    const named = values.map((s) =>
      s.imported && s.imported.name !== s.local.name ? `${s.imported.name} as ${s.local.name}` : s.local.name,
    );
    return { start: node.start, end: node.end, text: `import { ${named.join(', ')} } from '${from}';` };
  }
  const target = `require('${requireSpecifier(from)}')`;
  const whole = values.find((s) => s.type !== 'ImportSpecifier');
  if (specifiers.length === 0) return { start: node.start, end: node.end, text: `${target};` };
  if (whole && values.length > 1) fail(source, node, 'a default or namespace import beside named ones');
  if (whole) return { start: node.start, end: node.end, text: `const ${whole.local.name} = ${target};` };
  const named = values.map((s) =>
    s.imported && s.imported.name !== s.local.name ? `${s.imported.name}: ${s.local.name}` : s.local.name,
  );
  return { start: node.start, end: node.end, text: `const { ${named.join(', ')} } = ${target};` };
}

function declaredNames(declaration: AstNode): string[] {
  if (declaration.type === 'VariableDeclaration') {
    return (declaration.declarations as Array<{ id: AstNode & { name?: string } }>).map((d) => {
      if (!d.id.name) throw new Error('strip-types: export a destructured variable by name instead');
      return d.id.name;
    });
  }
  return [(declaration.id as { name: string }).name];
}

/** Edits for one top-level statement; returns false when its insides still need visiting. */
function statementEdits(
  source: string,
  node: AstNode,
  options: StripOptions,
  state: ModuleState,
  edits: Edit[],
): boolean {
  if (node.type === 'ImportDeclaration') {
    const edit = importEdit(source, node, options.commonJs);
    if (edit) edits.push(edit);
    return true;
  }
  const declaration = node.type === 'ExportNamedDeclaration' ? (node.declaration as AstNode | null) : node;
  if (node.type === 'ExportNamedDeclaration' && !declaration) fail(source, node, '`export { … }`');
  if (node.type === 'ExportDefaultDeclaration' || node.type === 'ExportAllDeclaration')
    fail(source, node, 'this export');
  if (
    declaration &&
    (declaration.type === 'TSInterfaceDeclaration' || declaration.type === 'TSTypeAliasDeclaration')
  ) {
    const text = typedef(source, declaration, node.leadingComments, state.typeImports);
    edits.push(statementEdit(source, statementStart(node), node.end, text));
    return true;
  }
  if (node.type === 'ExportNamedDeclaration' && options.commonJs && declaration) {
    state.exports.push(...declaredNames(declaration));
    edits.push({ start: node.start, end: declaration.start, text: '' });
  }
  return false;
}

/** Edits for type syntax anywhere inside code. */
function expressionEdits(source: string, node: AstNode, edits: Edit[]): void {
  if (UNSUPPORTED.has(node.type)) fail(source, node, 'this syntax');
  if (node.type === 'TSInterfaceDeclaration' || node.type === 'TSTypeAliasDeclaration') {
    fail(source, node, 'a type declared inside code (declare it at the top level)');
  }
  if (TYPE_NODES.has(node.type)) {
    edits.push({ start: node.start, end: node.end, text: '' });
    return;
  }
  if (node.type === 'Identifier' && node.optional && node.typeAnnotation) {
    const annotation = node.typeAnnotation as AstNode;
    edits.push({ start: source.lastIndexOf('?', annotation.start), end: annotation.end, text: '' });
    return;
  }
  if (
    node.type === 'TSAsExpression' ||
    node.type === 'TSSatisfiesExpression' ||
    node.type === 'TSNonNullExpression'
  ) {
    const inner = node.expression as AstNode;
    edits.push({ start: inner.end, end: node.end, text: '' });
    expressionEdits(source, inner, edits);
    return;
  }
  if (node.declare) fail(source, node, '`declare`');
  for (const child of children(node)) expressionEdits(source, child, edits);
}

function applyEdits(source: string, edits: Edit[]): string {
  // Back to front; at one position the cut before the insertion, so an insertion lands before the new text.
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  let limit = Number.POSITIVE_INFINITY;
  for (const edit of sorted) {
    if (edit.end > limit) throw new Error('strip-types: overlapping edits (a bug in strip-types.ts)');
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
    limit = edit.start;
  }
  return out;
}

function exportsLine(names: string[]): string {
  const line = `module.exports = { ${names.join(', ')} };`;
  return line.length <= 110
    ? line
    : `module.exports = {\n${names.map((name) => `  ${name},`).join('\n')}\n};`;
}

/** JavaScript from a TypeScript runtime module (see the file comment). */
export function stripTypes(source: string, options: StripOptions): string {
  const ast = parse(source, { sourceType: 'module', plugins: ['typescript'] });
  const body = ast.program.body as unknown as AstNode[];
  const state: ModuleState = { exports: [], typeImports: new Map() };
  for (const node of body) {
    if (node.type !== 'ImportDeclaration') continue;
    const from = (node.source as AstNode & { value: string }).value;
    for (const specifier of node.specifiers as Array<{ importKind?: string; local: { name: string } }>) {
      if (node.importKind === 'type' || specifier.importKind === 'type')
        state.typeImports.set(specifier.local.name, from);
    }
  }
  const edits: Edit[] = [];
  // After the file comment, before the first statement: a directive must come first.
  if (options.commonJs)
    edits.push({ start: body[0]?.start ?? 0, end: body[0]?.start ?? 0, text: "'use strict';\n\n" });
  for (const node of body) {
    if (!statementEdits(source, node, options, state, edits)) expressionEdits(source, node, edits);
  }
  const out = applyEdits(source, edits);
  if (!options.commonJs || state.exports.length === 0) return out;
  return `${out.trimEnd()}\n\n${exportsLine(state.exports)}\n`;
}
