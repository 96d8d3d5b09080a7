/**
 * The Chrome package a store reviewer gets (`npm run zip`'s hedgelens-<version>-chrome.zip), unzipped and loaded in
 * Chromium: the overlay reads the demo page. The package is a release build, which runs only on the broker and quote
 * sites, so the demo page is served as https://www.cboe.com/… : Playwright answers that address from
 * tests/fixtures (route.fulfill, nothing leaves the machine), and the network guard refuses everything else.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CSP, FIXTURES, RELEASE_ZIPS, launchExtension, overlayFrame, type ExtensionSession } from './harness';

const SITE = 'https://www.cboe.com';
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
};

let unpacked = '';
let session: ExtensionSession | undefined;
const served: string[] = [];

beforeAll(async () => {
  if (!existsSync(RELEASE_ZIPS.chrome)) throw new Error(`No ${RELEASE_ZIPS.chrome}: run \`npm run zip\` first.`);
  unpacked = mkdtempSync(join(tmpdir(), 'hedgelens-package-'));
  const zip = await JSZip.loadAsync(readFileSync(RELEASE_ZIPS.chrome));
  for (const f of Object.values(zip.files)) {
    if (f.dir) continue;
    const to = join(unpacked, f.name);
    mkdirSync(dirname(to), { recursive: true });
    writeFileSync(to, await f.async('nodebuffer'));
  }
  session = await launchExtension({ extensionDir: unpacked });
  // Registered after the harness's guard, so it runs first for this one site (Playwright runs the newest route
  // first); every other address still meets the guard.
  await session.context.route(`${SITE}/**`, async (route) => {
    const url = new URL(route.request().url());
    const file = normalize(join(FIXTURES, decodeURIComponent(url.pathname)));
    served.push(url.pathname);
    if (!file.startsWith(FIXTURES) || !existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-security-policy': CSP.strict!,
      },
      body: readFileSync(file),
    });
  });
});

afterAll(async () => {
  await session?.close();
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

test('the Chrome package, unzipped, loads in Chromium and shows the overlay on the demo page', async () => {
  const s = session!;
  const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8')) as {
    version: string;
    content_scripts: { matches: string[] }[];
  };
  expect(manifest.content_scripts.flatMap((c) => c.matches)).toContain('https://*.cboe.com/*');
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'demo/spx-2026-03-14.expected.json'), 'utf8')) as {
    strikes: number;
    expiry: string;
    straddleMid: number;
  };
  const page = await s.context.newPage();
  try {
    await page.goto(`${SITE}/demo/spx-2026-03-14.html`);
    const frame = await overlayFrame(page, s.extensionId, 30_000);
    await expect
      .poll(() => frame.getByTestId('strikes-read').textContent(), { timeout: 30_000 })
      .toContain(`${expected.strikes} strikes read for SPX ${expected.expiry}`);
    await expect.poll(() => frame.getByTestId('straddle-mid').textContent()).toBe(expected.straddleMid.toFixed(2));
    // The package's own pages open too (the options page shows the version the package was built as).
    const options = await s.context.newPage();
    await options.goto(`chrome-extension://${s.extensionId}/options.html`);
    await expect.poll(() => options.getByText(`version ${manifest.version}`).count()).toBe(1);
    await options.close();
  } finally {
    await page.close();
  }
  expect(served).toContain('/demo/spx-2026-03-14.html');
  expect(s.blocked).toEqual([]);
});
