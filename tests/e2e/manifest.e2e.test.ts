/**
 * Security pins on the BUILT extension (both browsers): permissions, host access, CSP, web-accessible
 * resources, and what the shipped files could load or evaluate. Reads `${OUT_DIR}/chrome-mv3` and
 * `${OUT_DIR}/firefox-mv2`, which `npm test` builds before the e2e step. A change here must be deliberate:
 * update the pin and say why in the commit.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_MATCHES } from '../../src/sites';
import { CHROME_BUILD, FIREFOX_BUILD } from './harness';

type Manifest = Record<string, unknown> & {
  manifest_version: number;
  permissions?: string[];
  host_permissions?: string[];
  optional_permissions?: string[];
  optional_host_permissions?: string[];
  content_security_policy?: string | { extension_pages?: string; sandbox?: string };
  web_accessible_resources?: (string | { resources: string[]; matches?: string[]; extension_ids?: string[] })[];
  content_scripts?: { matches: string[]; js?: string[]; css?: string[] }[];
  externally_connectable?: unknown;
  browser_specific_settings?: { gecko?: { id?: string } };
};

const BUILDS = [
  { name: 'chrome-mv3', dir: CHROME_BUILD, mv: 3 },
  { name: 'firefox-mv2', dir: FIREFOX_BUILD, mv: 2 },
] as const;

const PERMISSIONS = ['activeTab', 'scripting', 'storage'];
const BROAD = /^(<all_urls>|\*:\/\/\*\/\*|https?:\/\/\*\/\*|\*:\/\/\*\/|file:\/\/\/\*)$/;

function readManifest(dir: string): Manifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No build at ${dir}: run \`npm run build && npm run build:firefox\` first.`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

/** CSP string → directive → sources. */
function parseCsp(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) out.set(name.toLowerCase(), sources);
  }
  return out;
}

function extensionPagesCsp(m: Manifest): string {
  const csp = m.content_security_policy;
  if (typeof csp === 'string') return csp;
  return csp?.extension_pages ?? '';
}

/** A URL is allowed in shipped code only as an XML namespace or on a host the content script already runs on. */
function matchPatternToRegExp(pattern: string): RegExp {
  const m = /^(https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!m) throw new Error(`unexpected match pattern ${pattern}`);
  const host = m[2]!.replace(/\./g, '\\.').replace(/^\*\\\./, '(?:[^/]+\\.)?');
  return new RegExp(`^${m[1]}://${host}(?:[:/?#]|$)`);
}
const SITE_HOSTS = DEFAULT_MATCHES.map(matchPatternToRegExp);
const XML_NAMESPACES = new Set([
  'http://www.w3.org/2000/svg',
  'http://www.w3.org/1999/xhtml',
  'http://www.w3.org/1998/Math/MathML',
  'http://www.w3.org/1999/xlink',
  'http://www.w3.org/XML/1998/namespace',
]);
/**
 * URLs that stand in library error-message text, never requested (exact strings): @wxt-dev/storage's "browser API
 * missing" error points developers at these pages.
 */
const LIBRARY_MESSAGE_URLS = new Set([
  'https://github.com/wxt-dev/wxt/issues/371',
  'https://wxt.dev/guide/go-further/testing.html',
]);

function urlAllowed(url: string): boolean {
  return (
    XML_NAMESPACES.has(url) ||
    LIBRARY_MESSAGE_URLS.has(url) ||
    DEFAULT_MATCHES.includes(url) ||
    SITE_HOSTS.some((re) => re.test(url))
  );
}

/**
 * Known library code in the bundles that matches a forbidden pattern, by exact signature:
 * - Vite's modulepreload polyfill fetches same-origin <link rel=modulepreload> hrefs when the browser lacks
 *   modulepreload (Chrome and Firefox ≥ 115 have it, so it never runs; the CSP connect-src 'none' would refuse it).
 */
const KNOWN_LIBRARY_SINKS = [/e\.ep=!0;let n=t\(e\);fetch\(e\.href,n\)/g];

describe.each(BUILDS)('built manifest: $name', ({ dir, mv }) => {
  const m = readManifest(dir);

  test('manifest version', () => {
    expect(m.manifest_version).toBe(mv);
  });

  test(`API permissions are exactly ${PERMISSIONS.join(', ')}`, () => {
    expect([...(m.permissions ?? [])].sort()).toEqual(PERMISSIONS);
    expect(m.optional_permissions ?? []).toEqual([]);
  });

  test('no host permission; the only optional one is https://*/* (MV3), none in MV2', () => {
    expect(m.host_permissions ?? []).toEqual([]);
    // MV2 has no host permissions key: a host in `permissions` would be one.
    expect((m.permissions ?? []).filter((p) => p.includes(':') || p.includes('*'))).toEqual([]);
    expect(m.optional_host_permissions ?? []).toEqual(mv === 3 ? ['https://*/*'] : []);
    expect(m.externally_connectable).toBeUndefined();
  });

  test('content scripts run only on the listed broker/quote sites and loopback, never on every URL', () => {
    const matches = (m.content_scripts ?? []).flatMap((c) => c.matches);
    expect([...matches].sort()).toEqual([...DEFAULT_MATCHES].sort());
    expect(matches.filter((p) => BROAD.test(p))).toEqual([]);
  });

  test("extension pages' CSP: scripts only from the package, no eval, and connect-src 'none'", () => {
    const csp = parseCsp(extensionPagesCsp(m));
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('connect-src')).toEqual(["'none'"]);
    expect(["'self'", "'none'"]).toContain(csp.get('object-src')?.join(' '));
    for (const sources of csp.values()) {
      expect(sources.filter((s) => /unsafe-eval|unsafe-inline|^https?:|^\*$|^data:|^blob:/.test(s))).toEqual([]);
    }
  });

  test('web-accessible resources: overlay.html only, and (MV3) only to the content-script sites', () => {
    const war = m.web_accessible_resources ?? [];
    if (mv === 2) {
      expect(war).toEqual(['overlay.html']);
      return;
    }
    expect(war).toHaveLength(1);
    const entry = war[0] as { resources: string[]; matches?: string[] };
    expect(entry.resources).toEqual(['overlay.html']);
    expect([...(entry.matches ?? [])].sort()).toEqual([...DEFAULT_MATCHES].sort());
  });

  test('HTML pages load only packaged scripts and styles (no remote, no inline script)', () => {
    const pages = filesUnder(dir).filter((f) => extname(f) === '.html');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) {
      const html = readFileSync(page, 'utf8');
      for (const tag of html.match(/<script\b[^>]*>/gi) ?? []) {
        const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
        expect(src, `${relative(dir, page)}: ${tag}`).toBeDefined();
        expect(src!, `${relative(dir, page)}: ${tag}`).toMatch(/^\/?(?!\/)[\w./-]+\.js$/);
      }
      for (const link of html.match(/<link\b[^>]*>/gi) ?? []) {
        const href = /\bhref\s*=\s*["']([^"']+)["']/i.exec(link)?.[1] ?? '';
        expect(href, `${relative(dir, page)}: ${link}`).not.toMatch(/^(https?:)?\/\//i);
      }
      // Inline scripts would be refused by the CSP anyway; the build has none.
      expect(html.match(/<script\b[^>]*>\s*[^<\s]/gi) ?? [], relative(dir, page)).toEqual([]);
    }
  });

  test('shipped JS: no eval, no Function constructor, no network API beyond known dead library code', () => {
    const findings: string[] = [];
    for (const file of filesUnder(dir).filter((f) => ['.js', '.mjs'].includes(extname(f)))) {
      let code = readFileSync(file, 'utf8');
      for (const known of KNOWN_LIBRARY_SINKS) code = code.replace(known, '');
      const checks: [string, RegExp][] = [
        ['eval call', /(?<![\w$.])eval\s*\(/g],
        ['Function constructor', /\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*["'`]/g],
        ['string timer', /\bset(?:Timeout|Interval)\s*\(\s*["'`]/g],
        ['fetch', /(?<![\w$])fetch\s*\(/g],
        ['XMLHttpRequest', /\bXMLHttpRequest\b/g],
        ['WebSocket', /\bWebSocket\b/g],
        ['EventSource', /\bEventSource\b/g],
        ['sendBeacon', /\bsendBeacon\b/g],
        ['importScripts', /\bimportScripts\s*\(/g],
        ['remote import', /\bimport\s*\(\s*["'`]https?:/g],
      ];
      for (const [what, re] of checks) {
        for (const hit of code.matchAll(re)) {
          findings.push(
            `${relative(dir, file)}: ${what}: …${code.slice(Math.max(0, hit.index - 40), hit.index + 40)}…`,
          );
        }
      }
      for (const url of code.match(/https?:\/\/[^\s"'`)\\]+/g) ?? []) {
        if (!urlAllowed(url)) findings.push(`${relative(dir, file)}: URL to an unknown host: ${url}`);
      }
    }
    expect(findings).toEqual([]);
  });

  test('the known library sink is still what we think it is (else drop it from the allowlist)', () => {
    const js = filesUnder(dir)
      .filter((f) => extname(f) === '.js')
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n');
    for (const known of KNOWN_LIBRARY_SINKS) {
      const hits = js.match(known) ?? [];
      // Once per build at most (the shared chunk), and only next to its modulepreload guard.
      expect(hits.length).toBeLessThanOrEqual(1);
      if (hits.length) expect(js).toMatch(/supports\(.modulepreload.\)/);
    }
  });
});

test('Firefox build: fixed gecko id (the e2e suite relies on it for the moz-extension UUID)', () => {
  expect(readManifest(FIREFOX_BUILD).browser_specific_settings?.gecko?.id).toBe('hedgelens@hedgelens.app');
});
