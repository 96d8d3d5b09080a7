/**
 * The layers hold: every import in src/ and entrypoints/ is checked against src/layers.ts (the same table the
 * `layers/imports` lint rule reads), import cycles are found, the known exceptions are still needed, and the
 * README's table is the layers file's. The check is shown to fail on wrong imports fed to it as text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  checkReference,
  KNOWN_EXCEPTIONS,
  layerOf,
  layersTable,
  resolveSpecifier,
  type Reference,
  type Violation,
} from '../src/layers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (SOURCE.test(e.name)) out.push(p);
  }
  return out;
}

/** A string literal, or the fixed start of a template (`./commands/${name}.ts` → `./commands/`). */
function literalText(node: ts.Node | undefined): string | null {
  if (!node) return null;
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node) && node.head.text.startsWith('.')) return node.head.text;
  return null;
}

function isImportMetaUrl(node: ts.Node | undefined): boolean {
  return (
    !!node &&
    ts.isPropertyAccessExpression(node) &&
    node.name.text === 'url' &&
    ts.isMetaProperty(node.expression) &&
    node.expression.keywordToken === ts.SyntaxKind.ImportKeyword
  );
}

/**
 * Every reference a source text makes: static, type-only, dynamic (literal) imports, `new URL(…, import.meta.url)`
 * and `browser.storage.local` (each use).
 */
function referencesOf(file: string, text: string): Reference[] {
  const kindOfFile = file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kindOfFile);
  const refs: Reference[] = [];
  const add = (specifier: string, kind: Reference['kind']) => refs.push({ file, specifier, kind });
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const typeOnly =
        !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : null;
      const typeOnly = node.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly));
      add(node.moduleSpecifier.text, typeOnly ? 'type' : 'import');
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(arg.literal.text, 'type');
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      // A computed import(url.href) is checked through the `new URL(…)` that built it (src/cli does this).
      const spec = literalText(node.arguments[0]);
      if (spec !== null) add(spec, 'import');
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ['local', 'sync', 'session'].includes(node.name.text) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'storage' &&
      ts.isIdentifier(node.expression.expression) &&
      ['browser', 'chrome'].includes(node.expression.expression.text)
    ) {
      add(`${node.expression.expression.text}.storage.${node.name.text}`, 'storage');
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      isImportMetaUrl(node.arguments?.[1])
    ) {
      const spec = literalText(node.arguments?.[0]);
      if (spec !== null) add(spec, 'url');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return refs;
}

/** File-level cycles (strongly connected components of two or more files, or a file importing itself). */
function cyclesOf(edges: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const c: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        c.push(w);
      } while (w !== v);
      if (c.length > 1 || edges.get(v)?.has(v)) out.push(c.sort());
    }
  };
  for (const v of edges.keys()) if (!idx.has(v)) strong(v);
  return out;
}

interface Scan {
  files: string[];
  refs: Reference[];
  violations: Violation[];
  unlayered: string[];
  cycles: string[][];
}

/** Checks a set of files given as text: the same function for the repository and for the deliberate mistakes. */
function scan(sources: Map<string, string>): Scan {
  const files = [...sources.keys()].sort();
  const refs = files.flatMap((f) => referencesOf(f, sources.get(f)!));
  const violations = refs.map(checkReference).filter((v): v is Violation => v !== null);
  const unlayered = files.filter((f) => layerOf(f) === null);
  const edges = new Map<string, Set<string>>(files.map((f) => [f, new Set<string>()]));
  for (const r of refs) {
    if (!r.specifier.startsWith('.') || r.kind === 'storage') continue;
    const target = resolveSpecifier(r.file, r.specifier);
    const to = target && ['', '.ts', '.tsx', '/index.ts'].map((x) => target.path.replace(/\.tsx?$/, '') + x);
    const hit = to?.find((t) => sources.has(t));
    if (hit && r.kind !== 'url') edges.get(r.file)!.add(hit);
  }
  return { files, refs, violations, unlayered, cycles: cyclesOf(edges) };
}

function cycleExcused(cycle: string[]): boolean {
  return KNOWN_EXCEPTIONS.some(
    (e) =>
      e.specifier.startsWith('cycle:') &&
      cycle.length === 2 &&
      cycle.includes(e.file) &&
      cycle.includes(e.specifier.slice('cycle:'.length)),
  );
}

const show = (v: Violation) => `${v.file}: ${v.kind} '${v.specifier}' — ${v.rule}`;

const repoSources = new Map(
  [...listFiles('src'), ...listFiles('entrypoints')].map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]),
);
const repo = scan(repoSources);

describe('the layers of src/ and entrypoints/ (src/layers.ts)', () => {
  it('reads the code it checks', () => {
    // A scan that found nothing would pass anything: it must see hundreds of imports, of every kind.
    expect(repo.files.length).toBeGreaterThan(100);
    expect(repo.refs.length).toBeGreaterThan(500);
    for (const kind of ['import', 'type', 'url', 'storage'] as const) {
      expect(repo.refs.some((r) => r.kind === kind)).toBe(true);
    }
  });

  it('puts every file in a layer', () => {
    expect(repo.unlayered).toEqual([]);
  });

  it('finds no import that breaks a layer (file, import, rule)', () => {
    expect(repo.violations.map(show)).toEqual([]);
  });

  it('finds no import cycle between files (type imports included)', () => {
    expect(repo.cycles.filter((c) => !cycleExcused(c)).map((c) => c.join(' ↔ '))).toEqual([]);
  });

  it('keeps no known exception that is no longer needed', () => {
    const stale = KNOWN_EXCEPTIONS.filter((e) =>
      e.specifier.startsWith('cycle:')
        ? !repo.cycles.some(
            (c) => c.length === 2 && c.includes(e.file) && c.includes(e.specifier.slice('cycle:'.length)),
          )
        : !repo.refs.some((r) => r.file === e.file && r.specifier === e.specifier),
    );
    expect(
      stale.map((e) => `${e.file} → ${e.specifier} (#${e.issue}): fixed, delete it from KNOWN_EXCEPTIONS`),
    ).toEqual([]);
  });
});

describe('the check fails on a wrong import', () => {
  const wrong = (file: string, text: string) => scan(new Map([[file, text]]));

  it('a chain module importing the engine', () => {
    const s = wrong(
      'src/chain/bad.ts',
      "import { yearsToExpiry } from '../engine/time';\nexport const y = yearsToExpiry;\n",
    );
    expect(s.violations.map(show)).toEqual([
      `src/chain/bad.ts: import '../engine/time' — layer "chain" may not import layer "engine" (src/engine/time.ts); it may import: shared, chain`,
    ]);
  });

  it('browser APIs and Preact in the engine and the chain, static or dynamic', () => {
    const s = scan(
      new Map([
        ['src/engine/bad.ts', "import { browser } from 'wxt/browser';\nexport const b = browser;\n"],
        ['src/chain/bad.ts', "export const load = () => import('preact');\nimport 'webextension-polyfill';\n"],
      ]),
    );
    expect(s.violations.map((v) => `${v.file} ${v.specifier}`)).toEqual([
      'src/chain/bad.ts preact',
      'src/chain/bad.ts webextension-polyfill',
      'src/engine/bad.ts wxt/browser',
    ]);
    expect(s.violations.every((v) => /a browser\/UI package/.test(v.rule))).toBe(true);
  });

  it('types only where only types are allowed; URLs only where allowed', () => {
    const s = wrong(
      'src/ui/bad.ts',
      [
        "import type { EngineApi } from '../worker/engine';", // allowed: the worker's API types
        "import { createEngine } from '../worker/engine';", // refused: its code
        "import { readChain } from '../brokers';", // refused: the reader
        "export const w = new URL('../worker/engine.worker.ts', import.meta.url);", // allowed: the frame starts it
        "export const c = new URL('../content/main.ts', import.meta.url);", // refused
      ].join('\n'),
    );
    expect(s.violations.map((v) => `${v.kind} ${v.specifier}`)).toEqual([
      'import ../worker/engine',
      'import ../brokers',
      'url ../content/main.ts',
    ]);
    expect(s.violations[0]!.rule).toMatch(/types only: use `import type`/);
    expect(s.violations[1]!.rule).toMatch(/layer "ui" may not import layer "brokers" \(src\/brokers\/index\.ts\)/);
  });

  it('the CLI may not import the browser side of storage', () => {
    const s = wrong(
      'src/cli/bad.ts',
      "import { exportAll } from '../storage/exportImport.ts';\nexport { exportAll };\n",
    );
    expect(s.violations.map((v) => v.rule)).toEqual([
      'layer "cli" may not import layer "storage" (src/storage/exportImport.ts); it may import: shared, chain, engine, brokers, storage formats, positions, cli',
    ]);
    expect(
      wrong('src/cli/ok.ts', "import { EXPORT_FORMAT } from '../storage/snapshotExport.ts';\n").violations,
    ).toEqual([]);
  });

  it('storage.local outside src/storage', () => {
    const text = "import { browser } from 'wxt/browser';\nexport const get = () => browser.storage.local.get('x');\n";
    expect(wrong('src/content/bad.ts', text).violations.map(show)).toEqual([
      `src/content/bad.ts: storage 'browser.storage.local' — layer "content" may not use browser.storage.local itself: call a src/storage module`,
    ]);
    expect(wrong('src/storage/ok.ts', text).violations).toEqual([]);
  });

  it('a file in no layer, and a cycle', () => {
    expect(wrong('src/stray.ts', 'export const x = 1;\n').unlayered).toEqual(['src/stray.ts']);
    const s = scan(
      new Map([
        ['src/engine/a.ts', "import { b } from './b';\nexport const a = b;\n"],
        ['src/engine/b.ts', "import type { a } from './a';\nexport const b = 1 as unknown as typeof a;\n"],
      ]),
    );
    expect(s.violations).toEqual([]);
    expect(s.cycles).toEqual([['src/engine/a.ts', 'src/engine/b.ts']]);
  });

  it('the lint rule reports the same wrong import (eslint.config.js reads src/layers.ts)', async () => {
    const { ESLint } = await import('eslint');
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText(
      "import { yearsToExpiry } from '../engine/time';\nexport const y = yearsToExpiry;\n",
      { filePath: join(ROOT, 'src/chain/bad.ts') },
    );
    const layerMessages = result!.messages.filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
    expect(layerMessages).toEqual([
      `import '../engine/time' — layer "chain" may not import layer "engine" (src/engine/time.ts); it may import: shared, chain (src/layers.ts)`,
    ]);
  });
});

describe("README's “How it is built”", () => {
  it('holds the table generated from src/layers.ts', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(layersTable());
  });
});
