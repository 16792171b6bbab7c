// ESLint flat config: TypeScript everywhere, Vue in the renderer, and the import boundaries of
// ARCHITECTURE.md (the engine never imports electron; the renderer imports only the contract).
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

const noElectron = {
  paths: [{ name: 'electron', message: 'The engine and the contract stay plain Node: only src-main/electron/ and src-main/index.ts may import electron.' }],
};

// The core's boundary (ARCHITECTURE.md, "Boundaries"): a host reaches the core only through
// src-main/core/index.ts, and the core never imports a host. test/ and bench/ are left out on
// purpose: they test the core's internals and may import them directly.
const coreOnlyThroughIndex = {
  regex: '^(\\./|(\\.\\./)+)core/',
  message: "A host imports the core only through src-main/core/index.ts: import from '../core' (export the name there if it is new).",
};
const noHostFromCore = [
  { regex: '^(\\.\\./)+(cli|web|electron|host|preload)(/|$)', message: 'The core never imports a host (cli, web, electron, host, preload).' },
  {
    // From core/ these reach src-main/index.ts (the desktop host) or core/index.ts (the hosts' surface; a cycle).
    regex: '^(\\.|\\./index|(\\.\\./)+index|\\.\\.(/\\.\\.)*)/?$',
    message: "The core's files import each other directly: neither src-main/index.ts nor core/index.ts.",
  },
];

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'coverage/**'],
  },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
    },
  },
  {
    files: ['src-main/core/**/*.ts', 'src-main/shared/**/*.ts', 'src-main/cli/**/*.ts', 'src-main/web/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  // A later block replaces the rule's options for its files, so each one repeats what still applies.
  {
    files: ['src-main/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { ...noElectron, patterns: noHostFromCore }] },
  },
  {
    files: ['src-main/cli/**/*.ts', 'src-main/web/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { ...noElectron, patterns: [coreOnlyThroughIndex] }] },
  },
  {
    files: ['src-main/electron/**/*.ts', 'src-main/index.ts', 'src-main/preload/**/*.ts', 'src-main/host/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreOnlyThroughIndex] }] },
  },
  {
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...noElectron,
          patterns: [{ group: ['node:*', '../core/*', '../electron/*', '../web/*', '../cli/*'], message: 'The contract is shared with the renderer: plain TypeScript only.' }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noElectron.paths,
          patterns: [
            {
              group: ['**/src-main/core/**', '**/src-main/electron/**', '**/src-main/web/**', '**/src-main/cli/**', '**/src-main/preload/**', 'node:*'],
              message: 'The renderer imports only src-main/shared/ from src-main/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'bin/**/*.mjs', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
