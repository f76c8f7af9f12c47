// No import circles between the modules of the tree (type-only imports included: a circle of types still ties
// two files that should be read and changed one at a time). The import BOUNDARIES between folders are ESLint's
// (eslint.config.mjs, proven by tests/unit/lint-rules.test.ts); this checks what ESLint's core rules cannot.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');
const FOLDERS = ['core', 'functions', 'sandbox', 'dev', 'web/src', 'scripts', 'bench'];

function sourceFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The repo-relative files a module imports through relative specifiers (static, dynamic and require). */
function localImports(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const pattern =
    /^\s*(?:import|export)\s[^'";]*?from\s+['"](\.[^'"]*)['"]|\brequire\(\s*['"](\.[^'"]*)['"]\s*\)|\bimport\(\s*['"](\.[^'"]*)['"]\s*\)/gm;
  return [...text.matchAll(pattern)].flatMap((match) => {
    const target = resolve(ROOT, dirname(file), match[1] ?? match[2] ?? match[3] ?? '');
    const found = ['.ts', '.tsx', '/index.ts', '/index.tsx'].map((suffix) => target + suffix).find(existsSync);
    return found ? [relative(ROOT, found)] : [];
  });
}

/** Every circle in the graph, each reported once as the path that closes it. */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

describe('architecture: no import circles', () => {
  const graph = new Map(FOLDERS.flatMap(sourceFiles).map((file) => [file, localImports(file)]));

  it('reads the imports it checks (the scanner itself works)', () => {
    assert.ok((graph.get(join('functions', 'http.ts')) ?? []).some((target) => target.startsWith('core/')));
    assert.deepEqual(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
      [['a', 'b', 'c', 'a']],
    );
  });

  it('no module reaches itself through its imports', () => {
    assert.deepEqual(
      findCycles(graph).map((cycle) => cycle.join(' → ')),
      [],
    );
  });
});
