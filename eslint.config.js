// ESLint (flat config): the language rules of typescript-eslint, no import cycles (import-x), and the boundaries
// of the architecture — dependencies point down: client → (types only) server; workers → server; never
// server → workers or server → client. Formatting is Prettier's job (eslint-config-prettier turns style rules off).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

/** The one place where the server process and the worker loop are put together (composition root). */
const compositionRoots = ['server/main.ts'];

const restricted = (patterns) => ['error', { patterns }];
const noWorkers = {
  group: ['**/workers/**', '../workers', '../../workers'],
  message: 'server must not depend on workers (workers depend on the server; only the composition root wires them)',
};
const noClient = { group: ['**/client/**'], message: 'server and workers must not depend on the client' };
const serverTypesOnly = {
  group: ['**/server/**'],
  allowTypeImports: true,
  message: 'the client may import from the server only with `import type`',
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'client/dist/**',
      'uploads/**',
      'data/**',
      'test-results/**',
      'coverage/**',
      'tools/**',
      '.venv-test/**',
      'bench/.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts', '.cts'] },
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'max-lines': ['error', { max: 450, skipBlankLines: false, skipComments: false }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      // control characters in our regexes are deliberate: XML 1.0 character ranges, terminal escapes, highlight marks
      'no-control-regex': 'off',
    },
  },
  {
    files: ['server/**/*.ts'],
    ignores: compositionRoots,
    rules: { '@typescript-eslint/no-restricted-imports': restricted([noWorkers, noClient]) },
  },
  {
    files: ['workers/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': restricted([noClient]) },
  },
  {
    files: ['client/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      '@typescript-eslint/no-restricted-imports': restricted([
        serverTypesOnly,
        { group: ['**/workers/**'], message: 'the client must not depend on workers' },
      ]),
    },
  },
  {
    // tests read JSON answers of the API loosely; the product code keeps the rule
    files: ['tests/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  prettier,
);
