// Every outside fact the code relies on is written down in docs/contracts/ (see its README), and comments cite
// it as `<page>.md §N`. This keeps those citations honest: each names a page that exists and a section that page
// has, and nothing points at documents kept outside the repository.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const ROOT = resolve(__dirname, '../..');
const CONTRACTS = join(ROOT, 'docs', 'contracts');
const SKIPPED = new Set(['node_modules', 'dist', 'release', 'test-artifacts', '.git', '.azurite', 'screenshots']);
const TEXT_FILE = /\.(ts|tsx|js|mjs|md|json|css|html)$/;

function textFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return SKIPPED.has(entry.name) ? [] : textFiles(path);
    return TEXT_FILE.test(entry.name) && entry.name !== 'package-lock.json' ? [path] : [];
  });
}

/** `catapult-v1.md §11.3, §14` → page and each section number cited. */
function citations(text: string): Array<{ page: string; sections: string[] }> {
  const pattern = /([a-z0-9-]+)\.md((?:,? §[0-9]+(?:\.[0-9]+)*(?:[–-][0-9.]+)?)+)/g;
  return [...text.matchAll(pattern)].map(([, page, list]) => ({
    page: page!,
    sections: [...list!.matchAll(/§([0-9]+(?:\.[0-9]+)*)/g)].map(([, section]) => section!),
  }));
}

/** Whether a contract page has section N: a `## N.` / `### N.M` heading or a `**N.M` item. */
function hasSection(page: string, section: string): boolean {
  const text = readFileSync(join(CONTRACTS, `${page}.md`), 'utf8');
  const escaped = section.replace(/\./g, '\\.');
  return new RegExp(`^#{2,4} ${escaped}[. ]|\\*\\*${escaped}[ *]`, 'm').test(text);
}

describe('contract references', () => {
  const files = textFiles(ROOT).filter((file) => !file.startsWith(CONTRACTS));
  const contractPages = readdirSync(CONTRACTS)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => name.replace(/\.md$/, ''));

  it('the checker finds citations and sections (it works)', () => {
    assert.deepEqual(citations('see catapult-v1.md §11.3, §14 and x.md'), [
      { page: 'catapult-v1', sections: ['11.3', '14'] },
    ]);
    assert.ok(hasSection('catapult-v1', '11.3') && hasSection('catapult-v1', '14.4'));
    assert.equal(hasSection('catapult-v1', '99'), false);
    assert.ok(files.some((file) => file.endsWith(join('core', 'catapult', 'client.ts'))));
  });

  it('cite only contract pages that exist, and sections those pages have', () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const { page, sections } of citations(readFileSync(file, 'utf8'))) {
        if (!contractPages.includes(page)) {
          if (sections.length > 0) broken.push(`${relative(ROOT, file)}: ${page}.md is not in docs/contracts/`);
          continue;
        }
        for (const section of sections) {
          if (!hasSection(page, section)) broken.push(`${relative(ROOT, file)}: ${page}.md §${section}`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('point at nothing outside the repository', () => {
    const outside = /\/work\/|shared\/notes|\bnotes §|\bcontract §/;
    const found = [...files, ...readdirSync(CONTRACTS).map((name) => join(CONTRACTS, name))].flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, index }))
        .filter(({ line }) => outside.test(line))
        .map(({ index }) => `${relative(ROOT, file)}:${index + 1}`),
    );
    assert.deepEqual(found, []);
  });
});
