// The lint and format checks that `npm test` runs (scripts/run-tests.ts) catch what they are there for: each case
// plants one violation into the text of a real file of the tree and lints it as that file, with the project's own
// eslint.config.mjs and .prettierrc.json. The import boundaries live only in eslint.config.mjs; this proves they fire.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';

const ROOT = resolve(__dirname, '../..');
const eslint = new ESLint({ cwd: ROOT });

/** The rule ids ESLint reports for `file` (repo-relative) with `addition` appended to its real text. */
async function ruleIdsWith(file: string, addition: string): Promise<string[]> {
  const text = `${readFileSync(join(ROOT, file), 'utf8')}\n${addition}\n`;
  const [result] = await eslint.lintText(text, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? `fatal: ${message.message}`);
}

const BOUNDARY = '@typescript-eslint/no-restricted-imports';

describe('lint: the import boundaries', () => {
  it('a real file as it is has no finding (the cases below differ from it by one line)', async () => {
    assert.deepEqual(await ruleIdsWith('core/errors.ts', ''), []);
  });

  it('the core imports neither Azure Functions nor the functions, the host, the sandbox or the dialpad', async () => {
    for (const specifier of [
      '@azure/functions',
      '../functions/http',
      '../dev/stack',
      '../sandbox/server',
      '../web/src/api',
    ]) {
      assert.deepEqual(await ruleIdsWith('core/errors.ts', `export * from '${specifier}';`), [BOUNDARY], specifier);
    }
  });

  it('only the providers and the composition root know a provider: the rest of the core uses the seam', async () => {
    for (const file of ['core/signup/sign-up.ts', 'core/routing/call-event-handler.ts']) {
      for (const specifier of ['../providers/catapult/map-error', '../catapult/client']) {
        assert.deepEqual(await ruleIdsWith(file, `export * from '${specifier}';`), [BOUNDARY], `${file}: ${specifier}`);
      }
      assert.deepEqual(await ruleIdsWith(file, "export * from '../provider/voice-provider';"), [], file);
    }
    assert.deepEqual(
      await ruleIdsWith('core/create-voice-app.ts', "export * from './providers/catapult/map-error';"),
      [],
    );
    assert.deepEqual(await ruleIdsWith('core/create-voice-app.ts', "export * from '../sandbox/server';"), [BOUNDARY]);
  });

  it('the functions use the core (never a provider directly), never the sandbox, the host or the dialpad', async () => {
    assert.deepEqual(await ruleIdsWith('functions/http.ts', "export * from '../core/errors';"), []);
    for (const specifier of [
      '../sandbox/server',
      '../dev/stack',
      '../web/src/api',
      '../core/providers/catapult/map-error',
      '../core/catapult/client',
    ]) {
      assert.deepEqual(await ruleIdsWith('functions/http.ts', `export * from '${specifier}';`), [BOUNDARY], specifier);
    }
  });

  it('the sandbox shares no code with the app', async () => {
    for (const specifier of ['../core/errors', '../functions/http', '../dev/stack', '../web/src/api']) {
      assert.deepEqual(await ruleIdsWith('sandbox/errors.ts', `export * from '${specifier}';`), [BOUNDARY], specifier);
    }
  });

  it('the dialpad sees the public API types only as types, and JsSIP only inside phone/', async () => {
    const file = 'web/src/api.ts';
    assert.deepEqual(await ruleIdsWith(file, "export type { UserView } from '../../core/api-types';"), []);
    assert.deepEqual(await ruleIdsWith(file, "export { UserView } from '../../core/api-types';"), [BOUNDARY]);
    assert.deepEqual(await ruleIdsWith(file, "export * from '../../core/errors';"), [BOUNDARY]);
    assert.deepEqual(await ruleIdsWith(file, "export { default as JsSIP } from 'jssip';"), ['no-restricted-imports']);
    assert.deepEqual(await ruleIdsWith('web/src/phone/end-reason.ts', "export { default as JsSIP } from 'jssip';"), []);
  });
});

describe('lint: promises and tests', () => {
  it('a floating promise fails, an awaited or voided one passes', async () => {
    const file = 'core/errors.ts';
    assert.deepEqual(await ruleIdsWith(file, 'export function f(): void { Promise.resolve(1); }'), [
      '@typescript-eslint/no-floating-promises',
    ]);
    assert.deepEqual(await ruleIdsWith(file, 'export async function f() { await Promise.resolve(1); }'), []);
    assert.deepEqual(await ruleIdsWith(file, 'export function f(): void { void Promise.resolve(1); }'), []);
  });

  it('focused and skipped tests fail in tests/', async () => {
    const file = 'tests/unit/lint-rules.test.ts';
    // Built from parts, so that a plain search of the repository for focused or skipped tests finds none here.
    const [only, skip] = ['only', 'skip'].map((word) => `.${word}`);
    const skipOption = 'skip';
    for (const planted of [
      `void it${only}('x', () => {});`,
      `void describe${skip}('x', () => {});`,
      `void it('x', { ${skipOption}: true }, () => {});`,
      `void it('x', (t) => t${skip}());`,
    ]) {
      assert.deepEqual(await ruleIdsWith(file, planted), ['no-restricted-syntax'], planted);
    }
  });
});

describe('format: Prettier with the project settings', () => {
  const file = join(ROOT, 'core/errors.ts');

  it('the real file is formatted; a misformatted copy is not', async () => {
    const options = { ...(await prettier.resolveConfig(file)), filepath: file };
    const text = readFileSync(file, 'utf8');
    assert.equal(await prettier.check(text, options), true);
    assert.equal(await prettier.check(text.replace(/'/g, '"'), options), false, 'double quotes');
    assert.equal(await prettier.check(text.replace(/;\n/g, '\n'), options), false, 'no semicolons');
  });
});
