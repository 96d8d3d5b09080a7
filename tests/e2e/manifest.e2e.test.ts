/**
 * Security pins on the BUILT extension (both browsers): permissions, host access, CSP, web-accessible
 * resources, icons, and what the shipped files could load or evaluate. Reads the test builds
 * (`${OUT_DIR}/chrome-mv3`, `${OUT_DIR}/firefox-mv2`, made with HEDGELENS_LOOPBACK=1 by `npm run build:test`) and the
 * release builds and packages of `npm run zip` (.output-release), which `npm test` makes before the e2e step. A
 * change here must be deliberate: update the pin and say why in the commit.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import JSZip from 'jszip';
import { DEFAULT_MATCHES, LOOPBACK_MATCHES } from '../../src/sites';
import { CHROME_BUILD, FIREFOX_BUILD, RELEASE_DIR, RELEASE_ZIPS } from './harness';

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
  icons?: Record<string, string>;
  action?: { default_icon?: Record<string, string> };
  browser_action?: { default_icon?: Record<string, string> };
};

// Test builds also run on loopback (the fixture server); release builds only on the broker and quote sites.
const BUILDS = [
  { name: 'chrome-mv3 (test build)', dir: CHROME_BUILD, mv: 3, release: false },
  { name: 'firefox-mv2 (test build)', dir: FIREFOX_BUILD, mv: 2, release: false },
  { name: 'chrome-mv3 (release)', dir: join(RELEASE_DIR, 'chrome-mv3'), mv: 3, release: true },
  { name: 'firefox-mv2 (release)', dir: join(RELEASE_DIR, 'firefox-mv2'), mv: 2, release: true },
] as const;
const matchesOf = (release: boolean) => (release ? [...DEFAULT_MATCHES] : [...DEFAULT_MATCHES, ...LOOPBACK_MATCHES]);
const ICON_SIZES = ['16', '32', '48', '128'];

/** Width and height of a PNG (its IHDR chunk), or null when the bytes are not a PNG. */
function pngSize(bytes: Buffer): [number, number] | null {
  if (bytes.length < 24 || bytes.readUInt32BE(0) !== 0x89504e47 || bytes.toString('latin1', 12, 16) !== 'IHDR')
    return null;
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

const PERMISSIONS = ['activeTab', 'scripting', 'storage'];
const BROAD = /^(<all_urls>|\*:\/\/\*\/\*|https?:\/\/\*\/\*|\*:\/\/\*\/|file:\/\/\/\*)$/;

function readManifest(dir: string): Manifest {
  const file = join(dir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`No build at ${dir}: run \`npm run build:test && npm run zip\` first.`);
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

describe.each(BUILDS)('built manifest: $name', ({ dir, mv, release }) => {
  const m = readManifest(dir);

  test('manifest version', () => {
    expect(m.manifest_version).toBe(mv);
  });

  test(`API permissions are exactly ${PERMISSIONS.join(', ')}; notifications only optional`, () => {
    expect([...(m.permissions ?? [])].sort()).toEqual(PERMISSIONS);
    // Optional, asked for only when the trader turns a notification on in Options (a stage change, a short delta).
    expect(m.optional_permissions ?? []).toEqual(['notifications']);
    expect(m.permissions ?? []).not.toContain('notifications');
  });

  test('no host permission; the only optional one is https://*/* (MV3), none in MV2', () => {
    expect(m.host_permissions ?? []).toEqual([]);
    // MV2 has no host permissions key: a host in `permissions` would be one.
    expect((m.permissions ?? []).filter((p) => p.includes(':') || p.includes('*'))).toEqual([]);
    expect(m.optional_host_permissions ?? []).toEqual(mv === 3 ? ['https://*/*'] : []);
    expect(m.externally_connectable).toBeUndefined();
  });

  test(`content scripts run only on the listed broker/quote sites${release ? '' : ' and loopback'}, never on every URL`, () => {
    const matches = (m.content_scripts ?? []).flatMap((c) => c.matches);
    expect([...matches].sort()).toEqual(matchesOf(release).sort());
    if (release) expect(matches.filter((p) => /127\.0\.0\.1|localhost|\[::1\]/.test(p))).toEqual([]);
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
    expect([...(entry.matches ?? [])].sort()).toEqual(matchesOf(release).sort());
  });

  test('icons: 16, 32, 48 and 128 px PNGs, the same on the toolbar button', () => {
    expect(Object.keys(m.icons ?? {}).sort()).toEqual([...ICON_SIZES].sort());
    for (const size of ICON_SIZES) {
      const file = join(dir, m.icons![size]!);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(readFileSync(file)), file).toEqual([Number(size), Number(size)]);
    }
    const button = mv === 3 ? m.action : m.browser_action;
    expect(button?.default_icon).toEqual(m.icons);
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

describe('release packages (npm run zip)', () => {
  test('the Chrome and Firefox packages hold exactly the release builds', async () => {
    for (const [zipFile, dir] of [
      [RELEASE_ZIPS.chrome, join(RELEASE_DIR, 'chrome-mv3')],
      [RELEASE_ZIPS.firefox, join(RELEASE_DIR, 'firefox-mv2')],
    ] as const) {
      expect(existsSync(zipFile), `${zipFile}: run \`npm run zip\``).toBe(true);
      const zip = await JSZip.loadAsync(readFileSync(zipFile));
      const names = Object.values(zip.files)
        .filter((f) => !f.dir)
        .map((f) => f.name)
        .sort();
      expect(names).toEqual(
        filesUnder(dir)
          .map((f) => relative(dir, f))
          .sort(),
      );
      expect(await zip.file('manifest.json')!.async('string')).toBe(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    }
  });

  test('the Firefox sources archive holds what builds the add-on, and no tests', async () => {
    expect(existsSync(RELEASE_ZIPS.sources), `${RELEASE_ZIPS.sources}: run \`npm run zip\``).toBe(true);
    const zip = await JSZip.loadAsync(readFileSync(RELEASE_ZIPS.sources));
    const names = Object.keys(zip.files);
    for (const needed of [
      'package.json',
      'package-lock.json',
      'wxt.config.ts',
      'tsconfig.json',
      'README.md',
      'docs/PRIVACY.md',
      'entrypoints/content.ts',
      'src/sites.ts',
      'public/icon.svg',
      'public/icon/128.png',
    ])
      expect(names, needed).toContain(needed);
    expect(names.filter((n) => /^(tests|bench|node_modules|\.output)/.test(n) || n.includes('/.'))).toEqual([]);
  });
});

test('Firefox build: fixed gecko id (the e2e suite relies on it for the moz-extension UUID)', () => {
  expect(readManifest(FIREFOX_BUILD).browser_specific_settings?.gecko?.id).toBe('hedgelens@hedgelens.app');
});
