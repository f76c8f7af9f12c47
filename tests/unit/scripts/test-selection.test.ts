import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseFiles, chooseTiers, tierOf } from '../../../scripts/test-selection';

const unitFiles = ['tests/unit/a.test.ts', 'tests/unit/core/b.test.ts'];

describe('npm test: what runs', () => {
  it('runs every file of every tier when nothing is named (what CI runs)', () => {
    const nothing = { tiers: [], files: [] };
    assert.deepEqual(chooseTiers(nothing), ['unit', 'integration', 'e2e']);
    assert.deepEqual(chooseFiles(nothing, 'unit', unitFiles), unitFiles);
  });

  it('runs a named tier whole and skips the others', () => {
    const request = { tiers: ['integration'], files: [] };
    assert.deepEqual(chooseTiers(request), ['integration']);
    assert.deepEqual(chooseFiles(request, 'integration', ['tests/integration/x.test.ts']), [
      'tests/integration/x.test.ts',
    ]);
  });

  it('runs only the named files, each in its own tier, beside a whole named tier', () => {
    const request = { tiers: ['e2e'], files: ['tests/unit/core/b.test.ts'] };
    assert.deepEqual(chooseTiers(request), ['unit', 'e2e']);
    assert.deepEqual(chooseFiles(request, 'unit', unitFiles), ['tests/unit/core/b.test.ts']);
    assert.deepEqual(chooseFiles(request, 'e2e', ['tests/e2e/y.test.ts']), ['tests/e2e/y.test.ts']);
  });

  it('knows a file’s tier by its folder', () => {
    assert.equal(tierOf('tests/integration/api/x.test.ts'), 'integration');
    assert.equal(tierOf('tests/support/x.test.ts'), undefined);
  });
});
