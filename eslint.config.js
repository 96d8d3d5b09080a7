import js from '@eslint/js';
import { relative, sep } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import tseslint from 'typescript-eslint';

// The layers and what each may import: src/layers.ts, the one table (TypeScript, loaded through tsx). The same
// checkReference runs in tests/architecture.test.ts over every file, with import cycles too.
const { checkReference } = await tsImport('./src/layers.ts', import.meta.url);

/** `import type …`, or every specifier marked `type` (the import is erased from the bundle). */
function typeOnly(node, kindKey) {
  if (node[kindKey] === 'type') return true;
  const specs = node.specifiers ?? [];
  return specs.length > 0 && specs.every((s) => s[kindKey] === 'type');
}

const isImportMetaUrl = (n) =>
  n?.type === 'MemberExpression' &&
  n.object.type === 'MetaProperty' &&
  n.object.meta.name === 'import' &&
  n.property.name === 'url';

/** The fixed text of a string or template literal (a template's start only, as the architecture test does). */
function literalText(n) {
  if (n?.type === 'Literal' && typeof n.value === 'string') return n.value;
  if (n?.type === 'TemplateLiteral') {
    const head = n.quasis[0].value.cooked;
    if (n.expressions.length === 0) return head;
    if (head.startsWith('.')) return head;
  }
  return null;
}

const layersPlugin = {
  rules: {
    imports: {
      meta: { type: 'problem', docs: { description: 'Imports follow the layers in src/layers.ts.' }, schema: [] },
      create(context) {
        const file = relative(context.cwd, context.filename).split(sep).join('/');
        const check = (node, specifier, kind) => {
          if (specifier === null) return;
          const v = checkReference({ file, specifier, kind });
          if (v) context.report({ node, message: `${kind} '${specifier}' — ${v.rule} (src/layers.ts)` });
        };
        return {
          ImportDeclaration: (n) => check(n, n.source.value, typeOnly(n, 'importKind') ? 'type' : 'import'),
          ExportNamedDeclaration: (n) =>
            n.source && check(n, n.source.value, typeOnly(n, 'exportKind') ? 'type' : 'import'),
          ExportAllDeclaration: (n) => check(n, n.source.value, n.exportKind === 'type' ? 'type' : 'import'),
          ImportExpression: (n) => check(n, literalText(n.source), 'import'),
          TSImportType: (n) => check(n, literalText(n.argument?.literal ?? n.argument), 'type'),
          MemberExpression: (n) => {
            const o = n.object;
            if (
              o.type === 'MemberExpression' &&
              o.object.type === 'Identifier' &&
              ['browser', 'chrome'].includes(o.object.name) &&
              o.property.name === 'storage' &&
              ['local', 'sync', 'session'].includes(n.property.name)
            ) {
              check(n, `${o.object.name}.storage.${n.property.name}`, 'storage');
            }
          },
          NewExpression: (n) => {
            if (n.callee.type === 'Identifier' && n.callee.name === 'URL' && isImportMetaUrl(n.arguments[1])) {
              check(n, literalText(n.arguments[0]), 'url');
            }
          },
        };
      },
    },
  },
};

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
    files: ['src/**/*.{ts,tsx,js,mjs}', 'entrypoints/**/*.{ts,tsx,js,mjs}'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/imports': 'error' },
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
