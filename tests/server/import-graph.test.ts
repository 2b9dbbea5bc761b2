import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Relative imports, re-exports and dynamic imports (type-only ones too: they tie the modules together). */
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts') && !name.endsWith('.test.ts'))
    .map((name) => join(ROOT, folder, name));
}

/** The module graph: each file and the files it imports (paths relative to the repository). */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap(sourceFiles)) {
    const imports = [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) =>
      relative(ROOT, resolve(dirname(file), match[1] ?? match[2] ?? '')),
    );
    graph.set(relative(ROOT, file), imports);
  }
  return graph;
}

/** The import circles of a graph: its strongly connected components of more than one file (Tarjan). */
function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next += 1;
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(target) ?? 0));
      } else if (onStack.has(target)) {
        low.set(file, Math.min(low.get(file) ?? 0, index.get(target) ?? 0));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1) circles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return circles;
}

describe('import graph', () => {
  it('finds a circle when there is one (two files, and through a third)', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['a.ts', 'c.ts']],
      ['c.ts', ['d.ts']],
      ['d.ts', ['c.ts', 'e.ts']],
      ['e.ts', []],
    ]);
    expect(importCircles(graph)).toEqual([
      ['c.ts', 'd.ts'],
      ['a.ts', 'b.ts'],
    ]);
    expect(
      importCircles(
        new Map([
          ['a.ts', ['b.ts']],
          ['b.ts', []],
        ]),
      ),
    ).toEqual([]);
  });

  it('reads type-only imports, re-exports and dynamic imports', () => {
    const graph = importGraph(['server']);
    expect(graph.get('server/app.ts')).toContain('server/app-deps.ts'); // `import type`
    expect(graph.get('server/main.ts')).toContain('server/commands/start.ts'); // `await import(…)`
    expect(graph.size).toBeGreaterThan(100);
  });

  it('server/ and shared/ have no import circle', () => {
    expect(importCircles(importGraph(['server', 'shared']))).toEqual([]);
  });

  it('server/ never imports cli/ (both may import shared/)', () => {
    const crossing = [...importGraph(['server']).entries()].flatMap(([file, imports]) =>
      imports.filter((target) => target.startsWith('cli/')).map((target) => `${file} → ${target}`),
    );
    expect(crossing).toEqual([]);
  });
});
