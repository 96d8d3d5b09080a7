import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['.output*/**', '.wxt/**', 'node_modules/**', 'tests/fixtures/**', 'docs/**', 'public/**', '.e2e-*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        window: 'readonly',
        document: 'readonly',
        globalThis: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // HedgeLens never writes page-derived (or any) text as HTML, and never talks to the network.
      'no-restricted-properties': [
        'error',
        { property: 'innerHTML', message: 'Use textContent or Preact; never write HTML strings.' },
        { property: 'outerHTML', message: 'Use textContent or Preact; never write HTML strings.' },
        { property: 'insertAdjacentHTML', message: 'Never write HTML strings.' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'HedgeLens makes no network requests.' },
        { name: 'XMLHttpRequest', message: 'HedgeLens makes no network requests.' },
        { name: 'WebSocket', message: 'HedgeLens makes no network requests.' },
      ],
      'no-eval': 'error',
      'no-new-func': 'error',
    },
  },
  {
    // TypeScript checks names itself (typescript-eslint's advice: no-undef only misfires on DOM and worker types).
    files: ['**/*.ts', '**/*.tsx'],
    rules: { 'no-undef': 'off' },
  },
  {
    // Tests, scripts and the e2e harness run in Node and may read files and serve pages.
    files: ['tests/**', 'scripts/**', 'bench/**', 'bin/**'],
    rules: { 'no-restricted-properties': 'off', 'no-restricted-globals': 'off' },
  },
);
