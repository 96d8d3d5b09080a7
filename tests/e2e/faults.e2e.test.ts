/**
 * Faults in real Chromium (issue 8, item 2): the page replacing its whole chain container, the engine's worker
 * crashing or hanging (found through Playwright's own list of the page's workers, no hook in the product), and the
 * extension reloaded mid-session. Storage errors are covered by snapshots.e2e.test.ts.
 */
import type { Frame, Page, Worker } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { clickArrived, openPopup, openWithOverlay, overlayFrame, pressSave } from './harness';
import { useExtensionSession } from './suite';
import { livePage, truthOf, type Tick } from '../fixtures/live/measure';

const e2e = useExtensionSession();

const money = (v: number | null) =>
  v === null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const shown = async (frame: Frame, id: string) => {
  const el = frame.getByTestId(id);
  return (await el.count()) ? ((await el.textContent()) ?? '').trim() : null;
};
const step = (page: Page) =>
  page.evaluate(() => (window as unknown as { __hlTruth: { step(): Tick } }).__hlTruth.step());
const RESTARTED = 'HedgeLens restarted its engine';

/** A 200-row live page that ticks only when told, its overlay showing the page's straddle. */
async function openLive(): Promise<{ page: Page; frame: Frame; engineWorker: () => Worker }> {
  const { page, frame } = await openWithOverlay(e2e.session, livePage(e2e.server.origin, '&rows=200&auto=0'));
  const truth = await truthOf(page);
  await expect.poll(() => shown(frame, 'straddle-mid'), { timeout: 20_000 }).toBe(money(truth.straddleMid));
  const engineWorker = () => {
    const ws = page.workers().filter((w) => /engine\.worker/.test(w.url()));
    expect(ws.length).toBeGreaterThan(0);
    return ws[ws.length - 1]!;
  };
  return { page, frame, engineWorker };
}

/** After a restart the overlay follows the page again: the new worker got a new port from the content script. */
async function followsAgain(page: Page, frame: Frame) {
  for (let i = 0; i < 3; i++) {
    const t = await step(page);
    await expect.poll(() => shown(frame, 'straddle-mid'), { timeout: 10_000 }).toBe(money(t.straddleMid));
  }
}

describe('the worker', () => {
  test('crashes (an uncaught error): the frame restarts it, says so, restores the condor, follows the page again', async () => {
    const { page, frame, engineWorker } = await openLive();
    try {
      await frame.getByLabel('Condor as strikes, quantity and credit').fill('6400/6450/6550/6600 x1 @ 5.00');
      await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
      await expect
        .poll(() => shown(frame, 'condor-legs'), { timeout: 10_000 })
        .toMatch(/^6,400 \/ 6,450 \/ 6,550 \/ 6,600/);
      const before = engineWorker();
      await before.evaluate(() =>
        setTimeout(() => {
          throw new Error('engine crash (test)');
        }, 0),
      );
      await expect.poll(() => frame.getByText(RESTARTED).count(), { timeout: 5000 }).toBe(1);
      await expect.poll(() => page.workers().includes(before), { timeout: 5000 }).toBe(false);
      await followsAgain(page, frame);
      // The trader's condor survived the restart.
      await expect.poll(() => shown(frame, 'condor-legs')).toMatch(/^6,400 \/ 6,450 \/ 6,550 \/ 6,600/);
      expect(await page.locator('hedgelens-dock').count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  test('hangs: a liveness ping unanswered for 4 s restarts it; the old numbers are never shown as live; a save pressed meanwhile ends with a message', async () => {
    const { page, frame, engineWorker } = await openLive();
    try {
      const before = engineWorker();
      const hungAt = Date.now();
      await before.evaluate(() =>
        setTimeout(() => {
          for (;;) {
            /* hang */
          }
        }, 0),
      );
      // Save, pressed while the engine hangs: it waits on the engine, which never answers; the restart ends the wait.
      await pressSave(frame);
      // The page moves on while the engine hangs: what the overlay showed is now out of date.
      const moved = await step(page);
      await expect
        .poll(() => frame.getByText(`${RESTARTED} (it stopped answering)`).count(), { timeout: 12_000 })
        .toBe(1);
      const detectedMs = Date.now() - hungAt;
      await expect
        .poll(() => shown(frame, 'save-result'), { timeout: 10_000 })
        .toBe(
          'The snapshot was not saved: HedgeLens restarted its engine while saving. Nothing was written; press Save again once the numbers are back.',
        );
      // The moment the restart is announced the old straddle is gone (a new panel) or already the page's current one.
      const now = await shown(frame, 'straddle-mid');
      expect(now === null || now === money(moved.straddleMid)).toBe(true);
      await expect.poll(() => shown(frame, 'straddle-mid'), { timeout: 10_000 }).toBe(money(moved.straddleMid));
      await followsAgain(page, frame);
      console.log(`[faults e2e] hung worker detected and restarted after ${detectedMs} ms`);
      // Not a speed target: a bound that only an engine never restarted would miss (ping every 1 s, limit 4 s).
      expect(detectedMs).toBeLessThan(10_000);
    } finally {
      await page.close();
    }
  });
});

test('the page replaces its whole chain container: the overlay follows the new one', async () => {
  const { page, frame } = await openLive();
  try {
    const rebuilt = await page.evaluate(() => {
      const t = (window as unknown as { __hlTruth: { rebuild(): Tick } }).__hlTruth;
      const old = document.getElementById('chain');
      const tick = t.rebuild();
      return { tick, replaced: old !== document.getElementById('chain') && !old!.isConnected };
    });
    expect(rebuilt.replaced).toBe(true);
    await expect.poll(() => shown(frame, 'straddle-mid'), { timeout: 10_000 }).toBe(money(rebuilt.tick.straddleMid));
    await followsAgain(page, frame);
  } finally {
    await page.close();
  }
});

test('an SPA leaves the chain for another view: the overlay goes and the popup says so; a chain again brings it back', async () => {
  const { page, frame } = await openWithOverlay(e2e.session, e2e.server.url('e2e/spa.html', { csp: 'strict' }));
  try {
    const dockHidden = () => page.locator('hedgelens-dock').evaluate((el) => (el as HTMLElement).hidden);
    await expect.poll(() => shown(frame, 'strikes-read'), { timeout: 20_000 }).toContain('11 strikes read');
    expect(await dockHidden()).toBe(false);
    await page.click('#to-positions');
    // Not the last chain shown as if it were live: the overlay goes (after a grace of 2 s for redraws).
    await expect.poll(dockHidden, { timeout: 10_000 }).toBe(true);
    const popup = await openPopup(e2e.session, page);
    await expect.poll(() => popup.getByTestId('no-chain').count(), { timeout: 15_000 }).toBe(1);
    await popup.close();
    await page.click('#to-chain');
    await expect.poll(dockHidden, { timeout: 10_000 }).toBe(false);
    await expect.poll(() => shown(frame, 'strikes-read'), { timeout: 20_000 }).toContain('21 strikes read');
  } finally {
    await page.close();
  }
});

// Last: it reloads the extension under the shared session.
test('the extension reloaded mid-session: the orphaned dock goes, the page keeps working, one dock after', async () => {
  const page = await e2e.session.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await page.goto(livePage(e2e.server.origin, '&rows=200&interval=100'));
    await overlayFrame(page, e2e.session.extensionId);
    expect(await page.locator('hedgelens-dock').count()).toBe(1);
    // The reload button of chrome://extensions, in developer mode (without it this Chromium disables a reloaded
    // command-line extension as an "unsupported developer extension"; chrome.runtime.reload() does the same).
    const manage = await e2e.session.context.newPage();
    await manage.goto('chrome://extensions');
    await manage.evaluate(async (id) => {
      const dev = (globalThis as unknown as { chrome: { developerPrivate: DeveloperPrivate } }).chrome.developerPrivate;
      await dev.updateProfileConfiguration({ inDeveloperMode: true });
      await dev.reload(id, { failQuietly: true });
    }, e2e.session.extensionId);
    await manage.close();
    // The old content script notices it is orphaned and removes its dock (a dead frame is not left on the page).
    await expect.poll(() => page.locator('hedgelens-dock').count(), { timeout: 5000 }).toBe(0);
    // The page itself still works: it ticks and answers a click.
    const t0 = (await truthOf(page)).tick;
    await expect.poll(async () => (await truthOf(page)).tick, { timeout: 5000 }).toBeGreaterThan(t0 + 5);
    const clickMs = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const b = document.createElement('button');
          b.textContent = 'ping';
          document.body.append(b);
          const t = performance.now();
          b.addEventListener('click', () => resolve(performance.now() - t), { once: true });
          setTimeout(() => b.click(), 0);
        }),
    );
    expect(clickMs).toBeLessThan(3000); // a freeze bound (seconds), as in the pressure test: not a speed target
    // A fresh content script (the page loaded again under the reloaded extension): exactly one dock, working.
    // Wait until the reloaded extension is up (its new service worker), or the page may load before its content
    // script is registered again — a race of the test's reload, not something a trader meets.
    await expect
      .poll(
        () =>
          e2e.session.context
            .serviceWorkers()
            .some(
              (w) =>
                w !== e2e.session.serviceWorker && w.url().startsWith(`chrome-extension://${e2e.session.extensionId}/`),
            ),
        { timeout: 15_000 },
      )
      .toBe(true);
    await page.reload();
    const frame = await overlayFrame(page, e2e.session.extensionId);
    await expect.poll(() => shown(frame, 'strikes-read'), { timeout: 20_000 }).toContain('200 strikes read');
    await page.waitForTimeout(1000);
    expect(await page.locator('hedgelens-dock').count()).toBe(1);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
});

interface DeveloperPrivate {
  updateProfileConfiguration(o: { inDeveloperMode: boolean }): Promise<void>;
  reload(id: string, o: { failQuietly: boolean }): Promise<void>;
}
