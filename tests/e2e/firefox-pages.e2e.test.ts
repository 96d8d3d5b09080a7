/**
 * Parity with Chromium for the extension's own pages, in firefox-esr (MV2 build, temporary add-on, puppeteer-core
 * over WebDriver BiDi): click-to-build on the broker's chain, saving snapshots from the overlay, the snapshots page
 * (browse, open, compare, export, import), and the options page (VIX import with its progress bar, a rulebook
 * edit with a note). The Chromium versions: panel, snapshots and options e2e files.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ElementHandle, Frame, Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, onTestFailed, test } from 'vitest';
import { FIXTURES_DIR } from '../helpers/shared';
import {
  FIREFOX,
  FIREFOX_APT,
  firefoxAvailable,
  firefoxOverlayFrame,
  launchFirefoxExtension,
  stepLog,
  testIdText,
  within,
  type FirefoxSession,
} from './firefoxHarness';
import { startFixtureServer, type FixtureServer } from './harness';

const available = firefoxAvailable();
if (!available)
  console.warn(`\n[firefox pages e2e] SKIPPED: no Firefox at ${FIREFOX}. Install it with: ${FIREFOX_APT}\n`);

const DEMO = 'demo/spy-2025-09-25.html';

declare const browser: { storage: { local: { get(k: string | null): Promise<Record<string, unknown>> } } };

let server: FixtureServer;
let session: FirefoxSession;
let work = '';

/** The button whose accessible name (aria-label, else its text) is `name` (or matches it), waiting for it. */
async function button(target: Page | Frame, name: string | RegExp, timeout = 10_000): Promise<ElementHandle> {
  const deadline = Date.now() + timeout;
  const pattern = typeof name === 'string' ? { exact: name } : { source: name.source };
  for (;;) {
    const handle = await target
      .evaluateHandle((p: { exact?: string; source?: string }) => {
        const re = p.source === undefined ? null : new RegExp(p.source);
        return (
          [...document.querySelectorAll('button')].find((b) => {
            const n = (b.getAttribute('aria-label') ?? b.textContent ?? '').trim();
            return re ? re.test(n) : n === p.exact;
          }) ?? null
        );
      }, pattern)
      .catch(() => null);
    const el = handle?.asElement();
    if (el) return el as ElementHandle;
    if (Date.now() > deadline) throw new Error(`no button “${String(name)}” within ${timeout} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** An extension page in a new tab, once its <main> is there (a moz-extension goto reports no load over BiDi). */
async function extensionPage(path: string, timeout = 15_000): Promise<Page> {
  const url = session.url(path);
  const page = await session.browser.newPage();
  void page.goto(url).catch(() => {});
  await expect
    .poll(
      () =>
        page
          .evaluate(() => `${location.href} ${document.readyState} ${document.querySelector('main') ? 'main' : ''}`)
          .catch(() => ''),
      { timeout },
    )
    .toBe(`${url} complete main`);
  return page;
}

describe.skipIf(!available)('the extension’s pages in real Firefox', () => {
  beforeAll(async () => {
    server = await startFixtureServer();
    session = await launchFirefoxExtension();
    work = mkdtempSync(join(tmpdir(), 'hedgelens-ff-pages-'));
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('click-to-build on the broker’s chain, then two snapshots saved from the overlay', async () => {
    const log = stepLog('firefox click-to-build');
    onTestFailed(() => console.log(log.said()));
    log.step('open a tab');
    const page = await within(15_000, 'opening a tab', session.browser.newPage());
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The Chromium harness's window size: at Firefox's default 800 × 600 the docked overlay covers the strikes.
    await within(15_000, 'setting the viewport', page.setViewport({ width: 1280, height: 800 }));
    log.step('load the demo page');
    await page.goto(server.url(DEMO));
    log.step('find the overlay frame');
    const frame = await firefoxOverlayFrame(page, 30_000);
    log.step('wait for the condor');
    await expect.poll(() => testIdText(frame, 'condor-legs'), { timeout: 30_000 }).toMatch(/2025-10-24/);
    log.step('press Pick 4 strikes');
    await within(10_000, 'the click on Pick 4 strikes', (await button(frame, 'Pick 4 strikes on the chain')).click());
    // The content script is picking once the page's root carries its class (picker.ts).
    await expect
      .poll(() => page.evaluate(() => document.documentElement.classList.contains('hedgelens-picking')), {
        timeout: 10_000,
      })
      .toBe(true);
    for (const [i, k] of ['700', '610', '620', '690'].entries()) {
      log.step(`click the ${k} row`);
      const cell = await within(
        10_000,
        `finding the ${k} strike cell`,
        page.evaluateHandle(
          (strike) =>
            [...document.querySelectorAll('table.chain td.strike')].find((td) => td.textContent?.trim() === strike) ??
            null,
          k,
        ),
      );
      await within(10_000, `the click on the ${k} row`, (cell.asElement() as ElementHandle).click());
      // Each pick marks its row before the next click (the fourth ends picking and clears the marks).
      if (i < 3)
        await expect
          .poll(() => page.evaluate(() => document.querySelectorAll('[data-hedgelens-mark~="pick"]').length))
          .toBe(i + 1);
    }
    log.step('wait for the picked condor');
    await expect
      .poll(() => testIdText(frame, 'condor-legs'), { timeout: 15_000 })
      .toBe('610 / 620 / 690 / 700 · 2025-10-24 · 29d');
    // The clicks built the condor in the overlay; the page's DOM holds only the empty dock.
    expect(await page.evaluate(() => document.querySelector('hedgelens-dock')?.textContent ?? null)).toBe('');

    const snapshotsStored = () =>
      frame.evaluate(async () => {
        const all = await browser.storage.local.get(null);
        return Object.keys(all).filter((k) => k.startsWith('snap:')).length;
      });
    for (let i = 1; i <= 2; i++) {
      log.step(`save snapshot ${i}`);
      await within(10_000, `the click on Save (${i})`, (await button(frame, 'Save snapshot')).click());
      await expect.poll(snapshotsStored, { timeout: 15_000 }).toBe(i);
      await expect.poll(() => testIdText(frame, 'save-result')).toMatch(/^Saved snapshot: SPY 2025-10-24/);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  test('snapshots page: browse, open read-only, compare, export JSON, delete, import the export back', async () => {
    const page = await extensionPage('snapshots.html');
    await expect.poll(() => testIdText(page, 'list-count'), { timeout: 15_000 }).toBe('2 snapshots, newest first');
    const ids = await page.evaluate(() =>
      [...document.querySelectorAll('[data-testid="snapshot-row"]')].map((r) => r.getAttribute('data-id') ?? ''),
    );
    expect(ids).toHaveLength(2);

    // Open one read-only.
    await (await button(page, /^Open SPY 2025-10-24/)).click();
    await expect
      .poll(() => testIdText(page, 'snapshot-title'))
      .toMatch(/^Snapshot of [A-Z][a-z]{2} \d{1,2}, \d{4}, .* — read-only$/);
    expect(
      await page.evaluate(() => document.querySelector('[data-testid="snapshot-view"] svg.hl-chart') !== null),
    ).toBe(true);
    expect(await page.evaluate(() => document.querySelector('main')?.textContent ?? '')).not.toMatch(
      /NaN|undefined|Infinity/,
    );
    await (await button(page, 'Close snapshot')).click();

    // Compare the two (same page, same chain: the price did not move).
    for (const id of ids) {
      const box = await page.$(`[data-id="${id}"] input[type="checkbox"]`);
      await box!.click();
    }
    await (await button(page, 'Compare selected (2/2)')).click();
    await expect
      .poll(() =>
        page.evaluate(() =>
          [...document.querySelectorAll('[data-testid="compare-view"] tr[data-metric="Price"] td')].map((td) => ({
            text: td.textContent,
            direction: td.getAttribute('data-direction'),
          })),
        ),
      )
      .toMatchObject([{ text: expect.stringMatching(/^\d{3}\.\d\d$/) }, {}, { direction: 'flat' }]);
    await (await button(page, 'Close comparison')).click();

    // Export JSON: the file's text, caught where the page makes its Blob (no download dialog in headless Firefox).
    await page.evaluate(() => {
      const w = window as unknown as { __blobs: Blob[] };
      w.__blobs = [];
      const make = URL.createObjectURL.bind(URL);
      URL.createObjectURL = (b: Blob | MediaSource) => {
        if (b instanceof Blob) w.__blobs.push(b);
        return make(b);
      };
      HTMLAnchorElement.prototype.click = function () {
        this.setAttribute('data-downloaded', this.download);
      };
    });
    await (await button(page, 'Export JSON')).click();
    await expect.poll(() => page.evaluate(() => (window as unknown as { __blobs: Blob[] }).__blobs.length)).toBe(1);
    const text = await page.evaluate(() => (window as unknown as { __blobs: Blob[] }).__blobs[0]!.text());
    const exported = JSON.parse(text) as { format: string; snapshots: { id: string }[] };
    expect(exported.format).toBe('hedgelens-snapshots');
    expect(exported.snapshots.map((s) => s.id).sort()).toEqual([...ids].sort());
    const file = join(work, 'hedgelens-snapshots-firefox.json');
    writeFileSync(file, text);

    // Delete one; importing the export brings it back and refuses the other as already stored.
    const victim = ids[1]!;
    const del = await page.$(`[data-testid="snapshot-row"][data-id="${victim}"] button[aria-label^="Delete "]`);
    await del!.click();
    await expect
      .poll(() => page.evaluate(() => document.querySelectorAll('[data-testid="snapshot-row"]').length).catch(() => -1))
      .toBe(1);
    const input = (await page.$('[data-testid="import-file"]')) as ElementHandle<HTMLInputElement>;
    await input.uploadFile(file);
    await expect
      .poll(() => testIdText(page, 'import-summary'), { timeout: 15_000 })
      .toMatch(/^Imported 1 of 2 snapshots .*; 1 refused\.$/);
    await expect.poll(() => testIdText(page, 'list-count')).toBe('2 snapshots, newest first');
    await page.close();
  });

  test('options page: VIX import with its progress bar, and a rulebook edit with a note in the history', async () => {
    const page = await extensionPage('options.html');
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await expect.poll(() => testIdText(page, 'vix-stored')).toMatch(/Stored now: nothing/);
    const vix = (await page.$('#vix-file')) as ElementHandle<HTMLInputElement>;
    await vix.uploadFile(resolve(FIXTURES_DIR, 'vix/authored_spike.csv'));
    await expect
      .poll(
        () => page.evaluate(() => document.querySelector('[data-testid="vix-progress"]')?.getAttribute('data-done')),
        {
          timeout: 30_000,
        },
      )
      .toBe('true');
    expect(
      await page.evaluate(() => {
        const p = document.querySelector('[data-testid="vix-progress"]') as HTMLProgressElement;
        return [p.value, p.max];
      }),
    ).toEqual([100, 100]);
    await expect.poll(() => testIdText(page, 'vix-status')).toMatch(/^Imported 110 daily closes/);
    await expect
      .poll(() => testIdText(page, 'vix-stored'))
      .toContain('Stored now: 110 daily closes, 2024-01-02 to 2024-06-03 (last close 14.35)');

    // The rulebook: a value without a note is refused; with one it is saved and the history shows both.
    const spike = (await page.$('#rb-spikePctOnPriorClose')) as ElementHandle<HTMLInputElement>;
    await spike.click({ count: 3 });
    await spike.type('18');
    await (await button(page, 'Save rulebook changes')).click();
    await expect
      .poll(() => page.evaluate(() => document.querySelector('#rb-note-err')?.textContent ?? ''))
      .toMatch(/Write why you are changing/);
    const note = (await page.$('#rb-note')) as ElementHandle<HTMLTextAreaElement>;
    await note.type('Fewer false alarms after the Aug 2024 spike');
    await (await button(page, 'Save rulebook changes')).click();
    await expect.poll(() => testIdText(page, 'rulebook-status')).toBe('Saved: 1 value changed, version 2.');
    await expect.poll(() => testIdText(page, 'audit-trail')).toContain('spikePctOnPriorClose: 15 → 18');
    expect(await testIdText(page, 'audit-trail')).toContain('Fewer false alarms after the Aug 2024 spike');
    expect(errors).toEqual([]);
    await page.close();
  });

  test('nothing left the machine', () => {
    expect(session.trap.outbound).toEqual([]);
  });
});
