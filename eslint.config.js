// ESLint (flat config): correctness rules only. Layout and formatting belong to Prettier (.prettierrc), so no
// stylistic rule is enabled here and eslint-plugin-svelte's `prettier` preset switches its own off.
// Import boundaries (src/ vs server/, sandbox/, src/shared purity) are dependency-cruiser's job, see
// .dependency-cruiser.cjs; rules here and there are listed in docs/gates.md.
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  globalIgnores([
    'dist/',
    'data/',
    'src/paraglide/',
    '.i18n-build-*/',
    '.test-tmp/',
    'soak/',
    'test-results/',
    'playwright-report/',
    'tests/fixtures/',
    'public/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  svelte.configs['flat/recommended'],
  svelte.configs['flat/prettier'],
  {
    languageOptions: {
      parserOptions: {
        // Each file is checked with the tsconfig that owns it (src/, server/, sandbox/ or the root one).
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
    // As for .ts files (typescript-eslint's advice): svelte-check already rejects unknown names, and
    // no-undef does not know TypeScript's type-only globals.
    rules: { 'no-undef': 'off' },
  },
  {
    files: ['src/**'],
    ignores: ['src/shared/**'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['src/shared/**'],
    // Runs on both sides: only what browsers and Node share (ES + the web-standard globals both have).
    languageOptions: { globals: globals['shared-node-browser'] },
  },
  {
    files: ['server/**', 'sandbox/**', 'scripts/**', 'bench/**', 'tests/**', '*.{js,ts,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    // The proxy logs through Fastify's logger (structured, redacted, with levels): a stray console.log is
    // debugging output left behind. Command-line tools and the startup banner print for a person.
    files: ['server/**', 'sandbox/**'],
    ignores: ['server/cli/**', 'server/main.ts', 'sandbox/*/standalone.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // Pages driven by the benchmarks and the browser tests' page.evaluate callbacks run in Chromium.
    files: ['bench/scan/page.ts', 'tests/e2e/**'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
  {
    rules: {
      // `_`-prefixed names are deliberately unused (placeholders in signatures and destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // `async` without `await` is how this code meets Promise-returning contracts (Fastify plugins and
      // handlers, scan engines, fakes in tests); the async bugs that matter are caught by no-floating-promises,
      // no-misused-promises and await-thenable.
      '@typescript-eslint/require-await': 'off',
      // Beyond the presets: each of these catches a bug, not a style.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      eqeqeq: ['error', 'smart'],
      'no-self-compare': 'error',
      'no-template-curly-in-string': 'error',
      'no-unreachable-loop': 'error',
      'no-constructor-return': 'error',
    },
  },
  {
    // Tests and benchmarks read untyped JSON (HTTP replies, child-process messages) and assert on it right
    // away: the assertion is the type check, so the rules against `any` spreading have nothing to protect.
    files: ['tests/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain JavaScript (configs, scripts/test.mjs) is not in any tsconfig: no type information there.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
