/**
 * The snapshots page in real Chromium with the real build and real storage.local: two tabs saving at the same
 * moment, browse / open read-only / compare / delete and undo, export then import on a fresh profile, and a
 * nearly full storage that warns and refuses a save without losing anything.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import {
  launchExtension,
  openPopup,
  openWithOverlay,
  outboundRequests,
  overlayReady,
  readStorage,
  type ExtensionSession,
  pressSave,
  saveResult,
  SAVE_DEADLINE_MS,
} from './harness';
import { useFixtureServer, useTempDir } from './suite';

const e2e = useFixtureServer();
const work = useTempDir('hedgelens-snappage-');

const DEMO = 'demo/spy-2025-09-25.html';
const snapKeys = (all: Record<string, unknown>) =>
  Object.keys(all)
    .filter((k) => k.startsWith('snap:'))
    .sort();

async function demoTab(session: ExtensionSession): Promise<{ page: Page; frame: Frame }> {
  return openWithOverlay(session, e2e.server.url(DEMO), { ready: 'condor-legs', timeout: 30_000 });
}

/**
 * The demo page in a browser window of its own: two of them are both in front, as two windows side by side on a
 * trader's screen, so both can be clicked at the same moment (a click into a tab behind another can go astray).
 */
async function demoWindow(session: ExtensionSession): Promise<{ page: Page; frame: Frame }> {
  const url = e2e.server.url(DEMO);
  const opened = session.context.waitForEvent('page', { predicate: (p) => p.url() === url, timeout: 15_000 });
  await session.serviceWorker.evaluate(async (u) => {
    await chrome.windows.create({ url: u, type: 'normal', width: 1280, height: 800 });
  }, url);
  const page = await opened;
  return { page, frame: await overlayReady(page, session, 'condor-legs', 30_000) };
}

async function snapshotsPage(session: ExtensionSession): Promise<Page> {
  const page = await session.context.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/snapshots.html`);
  await expect.poll(() => page.getByTestId('list-count').textContent(), { timeout: 10_000 }).not.toMatch(/Reading/);
  return page;
}

const rowIds = (page: Page) =>
  page.getByTestId('snapshot-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));

test('two tabs saving at once keep both; the page lists, opens, compares, deletes and undoes; export → import on a fresh profile takes them all', async () => {
  const session = await launchExtension();
  const [a, b] = await Promise.all([demoTab(session), demoWindow(session)]);
  await Promise.all([pressSave(a.frame), pressSave(b.frame)]);
  for (const { frame } of [a, b]) {
    await expect
      .poll(() => saveResult(frame), { timeout: SAVE_DEADLINE_MS })
      .toMatch(/^Saved snapshot: SPY 2025-10-24/);
  }
  const stored = await readStorage(session);
  const keys = snapKeys(stored);
  expect(keys).toHaveLength(2);
  const ids = keys.map((k) => k.slice('snap:'.length));

  // The list: both, newest first.
  const page = await snapshotsPage(session);
  await expect.poll(() => page.getByTestId('list-count').textContent()).toBe('2 snapshots, newest first');
  const listed = await rowIds(page);
  expect([...listed].sort()).toEqual(ids);
  const savedAt = (id: string) => (stored[`snap:${id}`] as { savedAt: string }).savedAt;
  expect(savedAt(listed[0]!) >= savedAt(listed[1]!)).toBe(true);
  expect(await page.getByTestId('storage-usage').textContent()).toMatch(/^Storage: [\d.]+ KB of 10\.00 MB/);
  expect(await page.getByTestId('storage-warning').count()).toBe(0);

  // Open one read-only: the overlay's panels, drawn from the saved analysis.
  const row0 = page.locator(`[data-testid="snapshot-row"][data-id="${listed[0]}"]`);
  await row0.getByRole('button', { name: /^Open SPY 2025-10-24/ }).click();
  const view = page.getByTestId('snapshot-view');
  await expect
    .poll(() => view.getByTestId('snapshot-title').textContent())
    .toMatch(/^Snapshot of [A-Z][a-z]{2} \d{1,2}, \d{4}, .* — read-only$/);
  expect(await view.getByTestId('condor-legs').textContent()).toMatch(/\d+ \/ \d+ \/ \d+ \/ \d+ · 2025-10-24/);
  expect(await view.locator('svg.hl-chart path').count()).toBe(2);
  expect(await view.locator('table.hl-heat tbody tr').count()).toBe(7);
  expect(await view.getByRole('button', { name: 'Save snapshot' }).count()).toBe(0);
  expect(await page.locator('main').textContent()).not.toMatch(/NaN|undefined|Infinity/);
  await view.getByRole('button', { name: 'Close snapshot' }).click();

  // Compare the two: same page, same moment, so nothing moved — and it says which is older.
  for (const id of listed) await page.locator(`[data-id="${id}"] input[type="checkbox"]`).check();
  await page.getByRole('button', { name: 'Compare selected (2/2)' }).click();
  const cmp = page.getByTestId('compare-view');
  await cmp.waitFor();
  const priceCells = await cmp.locator('tr[data-metric="Price"] td').allTextContents();
  expect(priceCells[0]).toMatch(/^\d{3}\.\d\d$/);
  expect(priceCells[1]).toBe(priceCells[0]);
  expect(await cmp.locator('tr[data-metric="Price"] td').last().getAttribute('data-direction')).toBe('flat');
  expect(await cmp.locator('tr[data-metric="Prob. of profit"] td').first().textContent()).toMatch(/^\d+\.\d%$/);
  await cmp.getByRole('button', { name: 'Close comparison' }).click();

  // Delete one, then undo: the very same record comes back.
  const victim = listed[1]!;
  const before = stored[`snap:${victim}`];
  await page
    .locator(`[data-testid="snapshot-row"][data-id="${victim}"]`)
    .getByRole('button', { name: /^Delete / })
    .click();
  await expect.poll(() => rowIds(page)).toEqual([listed[0]]);
  expect(snapKeys(await readStorage(session))).toEqual([`snap:${listed[0]}`]);
  await page.getByTestId('undo-bar').getByRole('button', { name: 'Undo' }).click();
  await expect.poll(() => rowIds(page)).toEqual(listed);
  expect((await readStorage(session))[`snap:${victim}`]).toEqual(before);

  // Export JSON and CSV: real downloads from a Blob URL.
  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export JSON' }).click();
  const dl = await jsonDownload;
  expect(dl.suggestedFilename()).toMatch(/^hedgelens-snapshots-\d{4}-\d{2}-\d{2}\.json$/);
  expect(dl.url()).toMatch(/^blob:chrome-extension:\/\//);
  const jsonPath = join(work, dl.suggestedFilename());
  await dl.saveAs(jsonPath);
  const exported = JSON.parse(readFileSync(jsonPath, 'utf8')) as {
    format: string;
    count: number;
    snapshots: { id: string }[];
  };
  expect(exported.format).toBe('hedgelens-snapshots');
  expect(exported.snapshots.map((s) => s.id).sort()).toEqual(ids);

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export CSV' }).click();
  const csv = await csvDownload;
  const csvPath = join(work, csv.suggestedFilename());
  await csv.saveAs(csvPath);
  const lines = readFileSync(csvPath, 'utf8').trim().split('\r\n');
  expect(lines[0]).toMatch(/^snapshot_id,saved_at,site,/);
  expect(lines).toHaveLength(1 + 2 * 4);
  expect(outboundRequests(session)).toEqual([]);
  await session.close();

  // A fresh profile imports the exported file: every snapshot taken, the same ids and records.
  const fresh = await launchExtension();
  const page2 = await snapshotsPage(fresh);
  expect(await page2.getByTestId('list-count').textContent()).toBe('0 snapshots, newest first');
  await page2.getByTestId('import-file').setInputFiles(jsonPath);
  await expect
    .poll(() => page2.getByTestId('import-summary').textContent(), { timeout: 10_000 })
    .toMatch(/^Imported 2 of 2 snapshots from hedgelens-snapshots-.*\.json\.$/);
  await expect.poll(() => rowIds(page2)).toEqual(listed);
  const imported = await readStorage(fresh);
  expect(snapKeys(imported)).toEqual(keys);
  for (const k of keys) expect(imported[k]).toEqual(k === `snap:${victim}` ? before : stored[k]);
  // Importing the same file again refuses both as duplicates, with the reason.
  await page2.getByTestId('import-file').setInputFiles(jsonPath);
  await expect
    .poll(() => page2.getByTestId('import-summary').textContent(), { timeout: 10_000 })
    .toMatch(/^Imported 0 of 2 snapshots .*; 2 refused\.$/);
  expect(await page2.getByTestId('import-refused').textContent()).toContain('already stored (same id, same content)');
  expect(outboundRequests(fresh)).toEqual([]);
  await fresh.close();
});

test('storage near its quota: the page warns, a save is refused with a clear message, nothing is lost', async () => {
  const session = await launchExtension();
  const { page: tab, frame } = await demoTab(session);
  await pressSave(frame);
  await expect.poll(() => saveResult(frame), { timeout: SAVE_DEADLINE_MS }).toMatch(/^Saved snapshot: SPY/);
  const before = await readStorage(session);
  const [firstKey] = snapKeys(before);
  expect(firstKey).toBeDefined();
  const snapBytes = JSON.stringify(before[firstKey!]).length;

  // Fill storage.local to within half a snapshot of its quota with one big key, written from the service worker.
  const filled = await session.serviceWorker.evaluate(
    async (leave) => {
      const local = chrome.storage.local;
      const quota = local.QUOTA_BYTES;
      const used = await local.getBytesInUse(null);
      const key = 'e2e-filler';
      const size = quota - used - leave - key.length - 2; // Chromium counts key + JSON value ("…" adds 2)
      await local.set({ [key]: 'x'.repeat(size) });
      return { quota, used: await local.getBytesInUse(null) };
    },
    Math.floor(snapBytes / 2),
  );
  expect(filled.quota).toBe(10_485_760);
  expect(filled.used).toBeGreaterThan(filled.quota * 0.98);

  // The snapshots page warns.
  const page = await snapshotsPage(session);
  await expect
    .poll(() => page.getByTestId('storage-warning').textContent(), { timeout: 10_000 })
    .toMatch(
      /^Snapshot storage is (99|100)% full \((9\.9\d|10\.00) MB of 10\.00 MB\)\. Export and delete old snapshots/,
    );
  expect(await page.getByTestId('storage-warning').getAttribute('role')).toBe('alert');

  // A save from the overlay is refused, saying why and that nothing was deleted.
  await tab.bringToFront();
  await pressSave(frame);
  await expect
    .poll(() => saveResult(frame), { timeout: SAVE_DEADLINE_MS })
    .toMatch(
      /^Not saved: this snapshot needs [\d.]+ KB but only [\d.]+ KB of the 10\.00 MB snapshot storage is left\. Nothing was deleted/,
    );
  expect(await frame.getByTestId('save-result').getAttribute('role')).toBe('alert');
  // And from the popup.
  const popup = await openPopup(session, tab);
  await popup.getByRole('button', { name: 'Save snapshot' }).click();
  await expect
    .poll(() => popup.getByTestId('popup-save-result').textContent(), { timeout: 10_000 })
    .toMatch(/^Not saved: this snapshot needs .* Nothing was deleted/);

  // Nothing lost: the first snapshot is byte for byte what it was, the page still lists and opens it.
  const after = await readStorage(session);
  expect(snapKeys(after)).toEqual([firstKey]);
  expect(after[firstKey!]).toEqual(before[firstKey!]);
  expect((after['e2e-filler'] as string).length).toBeGreaterThan(9_000_000);
  await page.bringToFront();
  await page.reload();
  await expect.poll(() => rowIds(page)).toEqual([firstKey!.slice('snap:'.length)]);
  await page.getByRole('button', { name: /^Open SPY/ }).click();
  await expect.poll(() => page.getByTestId('snapshot-title').textContent()).toMatch(/— read-only$/);
  expect(await page.getByTestId('condor-legs').count()).toBe(1);
  expect(outboundRequests(session)).toEqual([]);
  await session.close();
});

declare const chrome: {
  windows: { create(o: Record<string, unknown>): Promise<unknown> };
  storage: {
    local: {
      QUOTA_BYTES: number;
      getBytesInUse(keys: null): Promise<number>;
      set(items: Record<string, unknown>): Promise<void>;
    };
  };
};
