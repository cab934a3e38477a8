// Flat ESLint config: eslint + typescript-eslint "recommended", deliberately not type-aware (no
// parserOptions.project) so `npm run lint` stays fast. Layering rules live in .dependency-cruiser.cjs.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** Node's globals for the few plain .js/.cjs files (TypeScript files are checked by tsc instead). */
const nodeGlobals = {
  process: 'readonly',
  console: 'readonly',
  Buffer: 'readonly',
  URL: 'readonly',
  setTimeout: 'readonly',
  clearTimeout: 'readonly',
};

export default defineConfig(
  // Recorded vendor responses (e.g. Razuna's JSONP) are fixtures, not code: never edited, never linted.
  globalIgnores(['dist/', 'node_modules/', 'coverage/', 'migrations/', 'data/', 'test/fixtures/**/*.js']),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { ...nodeGlobals, module: 'writable', require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      // `_`-prefixed parameters and variables are intentionally unused (e.g. Fastify handler signatures).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  // Narrow, per-file relaxations for code that is deliberate (each could be rewritten; see the notes).
  {
    // Tests read arbitrary JSON responses (typing every one adds noise, not safety) and check that control
    // characters are refused or escaped.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', 'no-control-regex': 'off' },
  },
  {
    // Code that runs per request or per row: V8 builds an object literal that starts with a spread and has more
    // members after it ~50× slower than a plain literal (src/core/objects.ts). Use merge() or assign members.
    files: ['src/core/**/*.ts', 'src/db/**/*.ts', 'src/dialects/*/mapper.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ObjectExpression[properties.0.type="SpreadElement"][properties.length>1]',
          message: 'An object literal that starts with a spread is slow to build (src/core/objects.ts): use merge(a, b) or add the members one by one.',
        },
      ],
    },
  },
  {
    // The SQLite adapters build queries with `if (c) (where.push(…), params.push(…));` comma expressions.
    files: ['src/db/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    // The console (browser UI, built by vite): it shows answers of any shape as they come (any), keeps the
    // admin token and keys in sessionStorage only (never localStorage), and never builds HTML from text.
    files: ['console/**/*.ts', 'console/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      'no-restricted-globals': ['error', { name: 'localStorage', message: 'Secrets stay in sessionStorage (this tab only).' }, 'eval'],
      'no-restricted-syntax': ['error', { selector: 'JSXAttribute[name.name="dangerouslySetInnerHTML"]', message: 'Answers are shown as text: no HTML from strings.' }],
    },
  },
);
