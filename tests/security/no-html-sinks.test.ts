/**
 * HedgeLens never writes HTML strings into a DOM and never talks to the network. ESLint says so too, but a
 * lint rule can be switched off by a comment; this scan cannot. It reads the syntax tree of every file under
 * src/ and entrypoints/, so comments neither hide nor cause findings.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { reachableFrom, relativeImports, scanSource, sourceFiles } from './sinks';

const REPO = join(import.meta.dirname, '../..');
const rel = (p: string) => relative(REPO, p);

/**
 * Findings allowed, each with its reason. A file listed here must never be reachable from an extension
 * entry point (checked below), so the sink can only ever run in Node.
 */
const ALLOWED: { file: string; sink: string; why: string }[] = [
  {
    file: 'src/brokers/node.ts',
    sink: 'document.write',
    why: 'Node only (CLI and tests): writes a saved page into a happy-dom document with script evaluation and all loading disabled',
  },
];

const files = [...sourceFiles(join(REPO, 'src')), ...sourceFiles(join(REPO, 'entrypoints'))];
const findings = files.flatMap((f) => scanSource(rel(f), readFileSync(f, 'utf8')));
const isAllowed = (f: { file: string; sink: string }) => ALLOWED.some((a) => a.file === f.file && a.sink === f.sink);

describe('the scanner itself', () => {
  const sinks = (code: string, file = 'x.tsx') => scanSource(file, code).map((f) => f.sink);

  test('finds every HTML sink, however it is spelled, and ignores comments', () => {
    expect(sinks('el.innerHTML = s;')).toEqual(['innerHTML']);
    expect(sinks('// eslint-disable-next-line no-restricted-properties\nel.outerHTML = s;')).toEqual(['outerHTML']);
    expect(sinks("el['innerHTML'] = s;")).toEqual(["'innerHTML'"]);
    expect(sinks('el.insertAdjacentHTML("beforeend", s);')).toEqual(['insertAdjacentHTML']);
    expect(sinks('const v = <div dangerouslySetInnerHTML={{ __html: s }} />;')).toEqual(['dangerouslySetInnerHTML']);
    expect(sinks('const f = <iframe srcDoc={s} />;')).toEqual(['srcDoc']);
    expect(sinks('document.write(s); doc.writeln(s); frame.contentDocument.write(s);')).toEqual([
      'document.write',
      'document.writeln',
      'document.write',
    ]);
    expect(sinks("document['write'](s);")).toEqual(["document['write']"]);
    expect(sinks('range.createContextualFragment(s);')).toEqual(['createContextualFragment']);
    // Mentions in comments are not code.
    expect(sinks('/* never use innerHTML or fetch() here */ const x = 1; // document.write')).toEqual([]);
    // Ordinary writes are not document writes.
    expect(sinks('process.stdout.write(s); stream.write(s);', 'x.ts')).toEqual([]);
  });

  test('finds every network API and string evaluation', () => {
    expect(sinks('await fetch(u);')).toEqual(['fetch']);
    expect(sinks("globalThis['fetch'](u);")).toEqual(["'fetch'"]);
    expect(sinks('window.fetch(u);')).toEqual(['fetch']);
    expect(sinks('new XMLHttpRequest();')).toEqual(['XMLHttpRequest']);
    expect(sinks('new WebSocket(u);')).toEqual(['WebSocket']);
    expect(sinks('navigator.sendBeacon(u, d);')).toEqual(['sendBeacon']);
    expect(sinks('new EventSource(u);')).toEqual(['EventSource']);
    expect(sinks('importScripts(u);')).toEqual(['importScripts']);
    expect(sinks('eval(s); new Function(s); Function("return 1");')).toEqual([
      'eval',
      'Function constructor',
      'Function constructor',
    ]);
    expect(sinks('setTimeout("go()", 1); setTimeout(() => 1, 1);')).toEqual(['setTimeout(string)']);
    // Words that merely contain a sink name are not it.
    expect(sinks('prefetch(); const fetched = 1; const label = "fetches nothing";')).toEqual([]);
  });

  test('follows static, dynamic and worker-URL imports', () => {
    expect(
      relativeImports(
        'x.ts',
        [
          "import a from './a';",
          "export { b } from '../b';",
          "const c = await import('./c');",
          "new Worker(new URL('./d.worker.ts', import.meta.url), { type: 'module' });",
          "import 'preact';",
        ].join('\n'),
      ),
    ).toEqual(['./a', '../b', './c', './d.worker.ts']);
  });
});

describe('HedgeLens source (src/**, entrypoints/**)', () => {
  test('scans a real tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => rel(f).startsWith('entrypoints/'))).toBe(true);
  });

  test('no HTML-string sink, no network API, no string evaluation', () => {
    const report = findings.filter((f) => !isAllowed(f)).map((f) => `${f.file}:${f.line}: ${f.sink} — ${f.text}`);
    expect(report).toEqual([]);
  });

  test('every allowed exception is still needed and can never run in the extension', () => {
    const roots = sourceFiles(join(REPO, 'entrypoints'));
    const bundled = new Set([...reachableFrom(roots)].map(rel));
    // The graph is real: it reaches the content script, the overlay, the worker and the popup.
    for (const f of ['src/content/main.ts', 'src/ui/PopupApp.tsx']) expect(bundled.has(f), f).toBe(true);
    expect([...bundled].some((f) => f.startsWith('src/worker/'))).toBe(true);
    for (const a of ALLOWED) {
      expect(
        findings.some((f) => f.file === a.file && f.sink === a.sink),
        `${a.file}: ${a.sink} (stale allowance)`,
      ).toBe(true);
      expect(bundled.has(a.file), `${a.file} is imported by an extension entry point`).toBe(false);
    }
  });
});
