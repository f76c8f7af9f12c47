// ESLint for the whole tree: typescript-eslint's type-aware recommended rules everywhere, the hooks and JSX rules
// for the Preact dialpad, and the project's own guard rails. The import boundaries below are the single source of
// truth for the layering described in README.md ("What is where"); tests/unit/lint-rules.test.ts proves they fire.
import js from '@eslint/js';
import eslintReact from '@eslint-react/eslint-plugin';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Relative imports that climb into one of these top-level folders, at any depth (`../../core/x`, `../sandbox`). */
const into = (...folders) => `^(\\.{1,2}/)+(${folders.join('|')})(/|$)`;

/** `@typescript-eslint/no-restricted-imports` options: one entry per forbidden group, each with the reason. */
const forbid = (...rules) => ['error', { patterns: rules }];

const coreBoundaries = [
  { group: ['@azure/functions'], message: 'The core knows nothing of Azure Functions; functions/ adapts it.' },
  {
    regex: into('functions', 'dev', 'sandbox', 'web'),
    message: 'The core imports nothing from the functions, the local host, the sandbox or the dialpad.',
  },
];

/** The files that may know which provider the app runs on. */
const PROVIDER_SIDE = ['core/providers/**', 'core/catapult/**', 'core/create-voice-app.ts'];

export const importBoundaries = [
  {
    files: ['core/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid(...coreBoundaries),
    },
  },
  {
    // One provider seam (core/provider/): only the providers and the composition root know which one runs.
    files: ['core/**/*.ts'],
    ignores: [...PROVIDER_SIDE],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid(...coreBoundaries, {
        regex: '^(\\.{1,2}/)+(providers|catapult)(/|$)',
        message: 'Only core/providers/** and core/create-voice-app.ts know a provider; use core/provider/ (the seam).',
      }),
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid(
        {
          regex: into('sandbox', 'dev', 'web'),
          message: 'The functions use the core only, never the sandbox, the local host or the dialpad.',
        },
        {
          regex: '^(\\.{1,2}/)+core/(providers|catapult)(/|$)',
          message: 'The functions reach a provider only through the VoiceApp facade (core/voice-app.ts).',
        },
      ),
    },
  },
  {
    files: ['sandbox/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid({
        regex: into('core', 'functions', 'dev', 'web'),
        message: 'The sandbox is an independent reading of the provider contracts: it shares no code with the app.',
      }),
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': forbid(
        {
          regex: into('core', 'functions', 'dev', 'sandbox').replace('(core|', '(?!core/api-types$)(core|'),
          message: 'The dialpad sees only the public API types (core/api-types), and only as types.',
        },
        {
          regex: '^(\\.{1,2}/)+core/api-types$',
          allowTypeImports: true,
          message: 'Import the public API types with `import type`: the dialpad bundles no server code.',
        },
      ),
    },
  },
  {
    // JsSIP stays behind the phone layer's small interface, so it can be swapped (README "Good to know").
    files: ['web/src/**/*.{ts,tsx}'],
    ignores: ['web/src/phone/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'jssip', message: 'Only web/src/phone/ touches JsSIP.' }] }],
    },
  },
];

/** node:test's focus and skip switches: a focused or skipped test proves nothing once committed. */
const focusOrSkip = [
  {
    selector: 'MemberExpression[object.name=/^(it|test|describe|suite)$/][property.name=/^(only|skip|todo)$/]',
    message: 'No .only/.skip/.todo in committed tests.',
  },
  {
    selector:
      'CallExpression[callee.name=/^(it|test|describe|suite)$/] > ObjectExpression > Property[key.name=/^(only|skip|todo)$/]',
    message: 'No { only | skip | todo } options in committed tests.',
  },
  {
    selector:
      "CallExpression[callee.type='MemberExpression'][callee.property.name=/^(skip|todo)$/][arguments.length<=1]",
    message: 'No t.skip()/t.todo() in committed tests.',
  },
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'web/dist/',
      'release/',
      'test-artifacts/',
      'bench/results/',
      '.azurite/',
      'sandbox/phone-page/phone.js', // plain browser script served as is; checked in the e2e tier
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Promises: a floating one hides a failure; a misused one (async callback where void is expected) loses it.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'off', // async keeps the interface's promise contract; not a bug
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off', // entry points print; core code takes a Logger (style guide)
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['web/jssip-debug.cjs'], // bundled into the dialpad in place of `debug` (web/build.ts)
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.browser, ...globals.commonjs } },
  },
  {
    files: ['web/src/**/*.{ts,tsx}', 'sandbox/phone-page/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    ...eslintReact.configs['recommended-typescript'],
    settings: { 'react-x': { importSource: 'preact' } },
  },
  {
    // Hook rules come from the React team's own plugin below; these would repeat them. Preact has no `use()`.
    files: ['web/src/**/*.{ts,tsx}'],
    rules: {
      '@eslint-react/exhaustive-deps': 'off',
      '@eslint-react/rules-of-hooks': 'off',
      '@eslint-react/purity': 'off',
      '@eslint-react/set-state-in-effect': 'off',
      '@eslint-react/set-state-in-render': 'off',
      '@eslint-react/no-use-context': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    // The two classic hook rules. v7's other rules check what the React Compiler assumes; Preact has no compiler.
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...focusOrSkip],
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      // Tests read untyped JSON and XML off the wire and assert its shape; `any` there is the point, not a leak.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...importBoundaries,
);
