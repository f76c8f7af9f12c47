// `npm run typecheck` (and `npm test`'s typecheck step) names its TypeScript projects one by one. A new folder
// of .ts files outside every project would never be type-checked and nobody would notice: this test notices.
// It also pins what the split is for: the dialpad sees the DOM and not Node; the Node code sees Node and not
// the DOM; every project has the shared strict flags.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'release', 'test-artifacts', '.git', '.azurite']);

function typecheckProjects(): string[] {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { typecheck: string } };
  return [...manifest.scripts.typecheck.matchAll(/-p (\S+)/g)].map(([, project]) => project!);
}

function parseProject(project: string): ts.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    join(ROOT, project),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) =>
        assert.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')),
    },
  );
  assert.ok(parsed, `${project} parses`);
  assert.deepEqual(parsed.errors, [], `${project} has no config errors`);
  return parsed;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED_FOLDERS.has(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('typecheck projects', () => {
  const projects = new Map(typecheckProjects().map((project) => [project, parseProject(project)]));

  it('cover every .ts and .tsx file of the repository', () => {
    const covered = new Set([...projects.values()].flatMap((parsed) => parsed.fileNames.map((f) => relative(ROOT, f))));
    const files = sourceFiles(ROOT);
    assert.ok(files.includes(join('web', 'src', 'main.tsx')), 'the scan finds the dialpad');
    assert.deepEqual(
      files.filter((file) => !covered.has(file)),
      [],
      'files no project in the typecheck script includes',
    );
  });

  it('all share the strict flags', () => {
    for (const [project, { options }] of projects) {
      const flags = {
        strict: options.strict,
        noUncheckedIndexedAccess: options.noUncheckedIndexedAccess,
        noImplicitReturns: options.noImplicitReturns,
        noUnusedLocals: options.noUnusedLocals,
      };
      assert.deepEqual(
        flags,
        { strict: true, noUncheckedIndexedAccess: true, noImplicitReturns: true, noUnusedLocals: true },
        project,
      );
    }
  });

  it('check the dialpad with the DOM and without Node, and the Node tree without the DOM', () => {
    const dialpad = projects.get('web/src/tsconfig.json');
    assert.ok(dialpad, 'the dialpad has its own project');
    assert.ok(dialpad.options.lib?.includes('lib.dom.d.ts'), 'the dialpad sees the DOM');
    assert.deepEqual(dialpad.options.types, [], 'the dialpad sees no @types package (no Node)');
    const node = projects.get('tsconfig.json');
    assert.ok(node, 'the Node tree has its project');
    assert.equal(node.options.lib?.includes('lib.dom.d.ts'), false, 'the Node tree does not see the DOM');
    assert.deepEqual(node.options.types, ['node']);
  });
});
