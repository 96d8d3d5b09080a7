/**
 * A static scan for HTML-injection sinks and network APIs in TypeScript/TSX source, on the syntax tree (so
 * comments — including eslint-disable comments — neither hide nor cause a finding, and `el['innerHTML']` or
 * `globalThis['fetch']` are caught as well as `el.innerHTML` and `fetch(`). Also: the relative import graph,
 * to prove that a file allowed a sink never reaches an extension bundle.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import ts from 'typescript';

export interface Finding {
  file: string;
  line: number;
  sink: string;
  text: string;
}

/** Names whose mere mention (identifier, property, JSX attribute, or string used as a key) is a finding. */
export const NAME_SINKS = new Map<string, 'html' | 'network' | 'eval'>([
  ['innerHTML', 'html'],
  ['outerHTML', 'html'],
  ['insertAdjacentHTML', 'html'],
  ['dangerouslySetInnerHTML', 'html'],
  ['srcdoc', 'html'],
  ['srcDoc', 'html'],
  ['createContextualFragment', 'html'],
  ['setHTMLUnsafe', 'html'],
  ['parseHTMLUnsafe', 'html'],
  ['fetch', 'network'],
  ['XMLHttpRequest', 'network'],
  ['WebSocket', 'network'],
  ['WebTransport', 'network'],
  ['EventSource', 'network'],
  ['sendBeacon', 'network'],
  ['importScripts', 'network'],
  ['eval', 'eval'],
]);

function lineOf(sf: ts.SourceFile, node: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function isDocumentLike(expr: ts.Expression, sf: ts.SourceFile): boolean {
  return /(^|\.)(document|doc|\w*Document)$/i.test(expr.getText(sf).replace(/\s+/g, ''));
}

export function scanSource(file: string, text: string): Finding[] {
  const kind = extname(file) === '.tsx' || extname(file) === '.jsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const out: Finding[] = [];
  const add = (node: ts.Node, sink: string) =>
    out.push({ file, line: lineOf(sf, node), sink, text: node.parent?.getText(sf).slice(0, 120) ?? '' });

  const visit = (node: ts.Node): void => {
    if ((ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) && NAME_SINKS.has(node.text)) {
      add(node, node.text);
    } else if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && NAME_SINKS.has(node.text)) {
      add(node, `'${node.text}'`);
    } else if (
      ts.isPropertyAccessExpression(node) &&
      ['write', 'writeln'].includes(node.name.text) &&
      isDocumentLike(node.expression, sf)
    ) {
      add(node, `document.${node.name.text}`);
    } else if (
      ts.isElementAccessExpression(node) &&
      ts.isStringLiteralLike(node.argumentExpression) &&
      ['write', 'writeln'].includes(node.argumentExpression.text) &&
      isDocumentLike(node.expression, sf)
    ) {
      add(node, `document['${node.argumentExpression.text}']`);
    } else if (
      (ts.isNewExpression(node) || ts.isCallExpression(node)) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'Function'
    ) {
      add(node, 'Function constructor');
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      ['setTimeout', 'setInterval'].includes(node.expression.text) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node, `${node.expression.text}(string)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

export const SOURCE_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

export function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return SOURCE_EXTS.includes(extname(p)) && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Relative module specifiers a file loads: static and dynamic imports, re-exports, `new URL('…', import.meta.url)`. */
export function relativeImports(file: string, text: string): string[] {
  const kind = extname(file) === '.tsx' ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specs.push(node.moduleSpecifier.text);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      specs.push(node.arguments[0].text);
    } else if (
      ts.isNewExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'URL' &&
      node.arguments?.[0] &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      node.arguments[1]?.getText(sf) === 'import.meta.url'
    ) {
      specs.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return specs.filter((s) => s.startsWith('./') || s.startsWith('../'));
}

function resolveModule(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec.replace(/\?.*$/, ''));
  const candidates = [
    base,
    ...SOURCE_EXTS.map((e) => base + e),
    ...SOURCE_EXTS.map((e) => base.replace(/\.js$/, e)),
    ...SOURCE_EXTS.map((e) => join(base, `index${e}`)),
  ];
  return candidates.find((c) => existsSync(c) && statSync(c).isFile() && SOURCE_EXTS.includes(extname(c))) ?? null;
}

/** Every source file reachable from the roots through relative imports. */
export function reachableFrom(roots: string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of relativeImports(file, readFileSync(file, 'utf8'))) {
      const target = resolveModule(file, spec);
      if (target && !seen.has(target)) stack.push(target);
    }
  }
  return seen;
}
