// The dependency rules of the layout (README "What is where"), checked on every import in the tree:
// functions → core, never the reverse; the core knows nothing of Azure Functions; the sandbox is an
// independent reading of the Catapult contract and shares no code with the app; the dialpad may only
// see the public API types, and only as types.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');

interface ImportSite {
  file: string; // repo-relative
  specifier: string;
  typeOnly: boolean;
  target?: string; // repo-relative path for relative specifiers
}

function sourceFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' || entry.name === 'dist' ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : [];
  });
}

function importsOf(file: string): ImportSite[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const sites: ImportSite[] = [];
  const pattern =
    /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[3] ?? match[4] ?? match[5]!;
    const target = specifier.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : undefined;
    sites.push({ file, specifier, typeOnly: Boolean(match[2]), target });
  }
  return sites;
}

function violations(directory: string, isForbidden: (site: ImportSite) => boolean): string[] {
  return sourceFiles(directory)
    .flatMap(importsOf)
    .filter(isForbidden)
    .map((site) => `${site.file} imports ${site.specifier}`);
}

const inside = (site: ImportSite, ...folders: string[]) =>
  site.target !== undefined &&
  folders.some((folder) => site.target === folder || site.target!.startsWith(`${folder}/`));

describe('architecture: import boundaries', () => {
  it('finds the imports it checks (the scanner itself works)', () => {
    const functionImports = sourceFiles('functions').flatMap(importsOf);
    assert.ok(
      functionImports.some((site) => inside(site, 'core')),
      'functions/ should import the core',
    );
    assert.ok(functionImports.some((site) => site.specifier === '@azure/functions'));
  });

  it('the core knows nothing of Azure Functions, the host, the sandbox or the dialpad', () => {
    assert.deepEqual(
      violations(
        'core',
        (site) => site.specifier.startsWith('@azure/functions') || inside(site, 'functions', 'dev', 'sandbox', 'web'),
      ),
      [],
    );
  });

  it('the functions use the core only, never the sandbox, the dev tools or the dialpad', () => {
    assert.deepEqual(
      violations('functions', (site) => inside(site, 'sandbox', 'dev', 'web')),
      [],
    );
  });

  it('the sandbox shares no code with the app (an independent reading of the contract)', () => {
    assert.deepEqual(
      violations('sandbox', (site) => inside(site, 'core', 'functions', 'dev', 'web')),
      [],
    );
  });

  it('the dialpad sees only the public API types, and only as types', () => {
    assert.deepEqual(
      violations(
        'web/src',
        (site) =>
          inside(site, 'core', 'functions', 'dev', 'sandbox') && !(site.typeOnly && site.target === 'core/api-types'),
      ),
      [],
    );
  });
});
