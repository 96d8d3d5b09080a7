/**
 * Hostile and broken pages, and load, in real Chromium (issue 8, items 1 and 3): a page script hunting for the
 * trader's position, a heavy page (20,000 rows, tables nested 50 deep, a mutation flood), malformed and absurd
 * numbers, and a 30 s run of a 2,000-row chain ticking 10 times a second (the 5-minute run, and the speed figures:
 * npm run bench -- load).
 */
import type { Frame, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { clickArrived, openWithOverlay, outboundRequests, overlayFrame } from './harness';
import { useExtensionSession } from './suite';
import {
  longTasksOf,
  oursWithin,
  pageInstruments,
  startProfiler,
  stopProfiler,
  syncMarker,
} from '../fixtures/live/measure';
import { describeLoad, runLoad } from '../fixtures/live/load';

const e2e = useExtensionSession();

const shown = async (frame: Frame, id: string) => ((await frame.getByTestId(id).textContent()) ?? '').trim();

/**
 * The hostile page (200 rows, ticking only when told, strict CSP), once its overlay shows the straddle, with a
 * condor whose credit (7.77) and quantity cannot appear in the page's own quotes (all end in 0).
 */
async function openHostileWithCondor(): Promise<{ page: Page; frame: Frame }> {
  const url = e2e.server.url('hostile/spy.html?rows=200&auto=0', { csp: 'strict' }).replace('?csp', '&csp');
  const { page, frame } = await openWithOverlay(e2e.session, url, { ready: 'straddle-mid' });
  try {
    await frame.getByLabel('Condor as strikes, quantity and credit').fill('6400/6450/6550/6600 x7 @ 7.77');
    await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
    await expect.poll(() => shown(frame, 'condor-legs'), { timeout: 10_000 }).toMatch(/^7 × 6,400 \/ 6,450/);
    return { page, frame };
  } catch (err) {
    await page.close();
    throw err;
  }
}
/** The page of malformed and absurd numbers (strict CSP) and its overlay frame. */
const openMalformed = () => openWithOverlay(e2e.session, e2e.server.url('hostile/malformed.html', { csp: 'strict' }));

interface Haul {
  dom: string[];
  shadowRoots: number;
  dockShadowRoot: string | null;
  captured: string[];
  frameReads: { ok: boolean; text?: string; error?: string }[];
  messages: { origin: string; data: string }[];
  portsReceived: number;
  portReplies: string[];
  connectsPosted: number;
  storage: string[];
}

describe('a hostile page script', () => {
  test('finds nothing of the trader’s position: not in the DOM, the frame, the messages, nor through a port', async () => {
    const { page, frame } = await openHostileWithCondor();
    try {
      const secrets = [
        '7.77',
        '7 ×',
        '6,400 / 6,450',
        await shown(frame, 'max-profit'),
        await shown(frame, 'max-loss'),
        await shown(frame, 'credit'),
      ];
      // Let the spy run its attacks a few more rounds with the position in place.
      await page.waitForTimeout(1500);
      const haul = await page.evaluate(() => (window as unknown as { __spy: { scan(): Haul } }).__spy.scan());
      const everything = [
        ...haul.dom,
        ...haul.frameReads.map((r) => r.text ?? ''),
        ...haul.messages.map((m) => m.data),
        ...haul.portReplies,
        ...haul.storage,
      ].join('\n');
      for (const s of secrets) expect(everything.includes(s), `the page found “${s}”`).toBe(false);
      // Not one frame document was readable: every attempt threw (cross-origin).
      expect(haul.frameReads.length).toBeGreaterThan(0);
      expect(haul.frameReads.filter((r) => r.ok)).toEqual([]);
      expect(haul.frameReads.every((r) => r.error === 'SecurityError')).toBe(true);
      // The dock's shadow root is closed, and the page's patched attachShadow never saw ours (isolated world).
      expect(haul.dockShadowRoot).toBe('null');
      expect(haul.captured).toEqual([]);
      // Guessed nonces got no engine: no reply on any of the spy's ports, no port handed to the page.
      expect(haul.connectsPosted).toBeGreaterThan(20);
      expect(haul.portReplies).toEqual([]);
      expect(haul.portsReceived).toBe(0);
      // The only messages the page saw carry no data: the frame's layout messages, and WXT's own announcement that a
      // content script started (the extension's id and a random message id).
      for (const m of haul.messages) {
        expect(m.data).toMatch(
          /^\{"type":"hedgelens:(frame-ready|frame-size|pick)"|^\{"type":"[a-p]{32}:content:wxt:content-script-started","contentScriptName":"content","messageId":"[a-z0-9]+"\}$/,
        );
      }
      // The spy's fake frame-ready and connects did not disturb the real connection: the overlay still follows.
      const tick = await page.evaluate(() =>
        (window as unknown as { __hlTruth: { step(): { straddleMid: number } } }).__hlTruth.step(),
      );
      await expect
        .poll(() => shown(frame, 'straddle-mid'), { timeout: 10_000 })
        .toBe(tick.straddleMid.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    } finally {
      await page.close();
    }
  });

  // Leg and breakeven marks on the broker's rows would tell the page which strikes the condor uses: they are off
  // unless the trader turns them on in Options (src/storage/pagePrefs.ts), knowing that.
  test('with the default settings, no mark on the page tells it which strikes are the condor’s legs', async () => {
    const { page } = await openHostileWithCondor();
    try {
      await page.waitForTimeout(1500);
      const legsSeen = await page.evaluate(() =>
        [...document.querySelectorAll('[data-hedgelens-mark~="leg"], [data-hedgelens-mark~="be"]')].map(
          (r) => r.children[4]?.textContent,
        ),
      );
      expect(legsSeen).toEqual([]);
      // The market's own expected-move band may be marked: it is not position data, and it shows the marks work.
      await expect
        .poll(() => page.evaluate(() => document.querySelectorAll('[data-hedgelens-mark~="em"]').length))
        .toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});

describe('a heavy page: 20,000 rows, tables nested 50 deep, thousands of mutations a frame', () => {
  interface HeavyRun {
    line: string;
    /** The frame's whole text at the end (a false "restarted its engine" would show here). */
    frameText: string;
    frames: number;
    mutations: number;
    clicks: number[];
    /** Page time when the overlay first showed the chain. */
    readyAt: number;
    tasks: { start: number; duration: number; oursMs: number }[];
  }
  let run: Promise<HeavyRun> | null = null;
  // One page load for both tests below (the first read, then the steady state under the flood).
  const heavyRun = () =>
    (run ??= (async () => {
      const page = await e2e.session.context.newPage();
      try {
        await page.addInitScript(pageInstruments);
        const cdp = await e2e.session.context.newCDPSession(page);
        await startProfiler(cdp, 500);
        await page.goto(e2e.server.url('hostile/heavy.html'));
        const markerAt = await syncMarker(page);
        // Deadlines, not targets: a 20,000-row first read on a loaded 2-core machine took over 30 s once.
        const frame = await overlayFrame(page, e2e.session.extensionId, 90_000);
        await expect.poll(() => shown(frame, 'strikes-read'), { timeout: 90_000 }).toMatch(/strikes read for SPX/);
        const readyAt = await page.evaluate(() => performance.now());
        // Clicks while the flood and the ticks run.
        for (let i = 0; i < 5; i++) {
          await page.waitForTimeout(400);
          await page.click('#probe');
        }
        await page.waitForTimeout(1000);
        const heavy = await page.evaluate(
          () => (window as unknown as { __heavy: { frames: number; mutations: number; clicks: number[] } }).__heavy,
        );
        const tasks = await longTasksOf(page);
        const { samples } = await stopProfiler(cdp, e2e.session.extensionId, markerAt);
        await cdp.detach();
        const r: HeavyRun = {
          line: await shown(frame, 'strikes-read'),
          frameText: await frame.locator('body').innerText(),
          frames: heavy.frames,
          mutations: heavy.mutations,
          clicks: heavy.clicks,
          readyAt,
          tasks: tasks.map((t) => ({ ...t, oursMs: oursWithin(samples, t.start, t.start + t.duration) })),
        };
        console.log(
          `[pressure e2e] heavy page: ${r.frames} flood frames (${r.mutations} mutations); overlay “${r.line}” ` +
            `at ${r.readyAt.toFixed(0)} ms; long tasks ${r.tasks.length} [${r.tasks
              .map((t) => `@${t.start.toFixed(0)} ${t.duration.toFixed(0)} ms, ours ${t.oursMs.toFixed(0)}`)
              .join('; ')}]; click delays ${r.clicks.map((c) => c.toFixed(0)).join(', ')} ms`,
        );
        return r;
      } finally {
        await page.close();
      }
    })());
  // A frozen tab, not a speed target (those are measured by `npm run bench -- load|page`, as the project's rules
  // ask on this shared machine): a task HedgeLens's share takes past 1 s. The long tasks are printed above.
  const FREEZE_MS = 1000;
  /**
   * A click's delay counts everything on the tab's thread, the page's own 20,000-row work and the machine's load
   * included (one busy-machine proof run, with three other builds and a CPU burner beside it, saw 1.27 s once), so
   * its bound is the issue's "generous (seconds)": a frozen tab misses it; a loaded laptop does not. What HedgeLens
   * itself costs is the task check above (its share of a task, past FREEZE_MS).
   */
  const CLICK_FREEZE_MS = 3000;
  const caused = (ts: HeavyRun['tasks']) =>
    ts.filter((t) => t.duration > FREEZE_MS && t.oursMs >= 50 && t.duration - t.oursMs <= FREEZE_MS);

  test(
    'the tab never freezes: no HedgeLens task past 1 s, every click answered within 3 s',
    { timeout: 240_000 },
    async () => {
      const r = await heavyRun();
      expect(r.line).toMatch(/^20000 strikes read for SPX/);
      // A busy page is not a hung engine: the liveness ping did not restart it.
      expect(r.frameText).not.toContain('restarted its engine');
      expect(r.frames).toBeGreaterThan(20);
      expect(r.clicks).toHaveLength(5);
      expect(Math.max(...r.clicks)).toBeLessThan(CLICK_FREEZE_MS);
      expect(caused(r.tasks)).toEqual([]);
    },
  );
  // Known (printed above, measured by the benches): the first read of a 20,000-row chain is two reader tasks
  // (src/brokers: planGrids ≈ 180 ms, then readPlanned + the page context ≈ 135 ms), each past 200 ms.
});

test('malformed numbers and absurd values never reach the overlay as NaN or Infinity', async () => {
  const { page, frame } = await openMalformed();
  try {
    await expect.poll(() => shown(frame, 'strikes-read'), { timeout: 20_000 }).toMatch(/strikes read for SPX/);
    // With a condor too (its numbers come from the sane rows around the broken ones).
    await frame.getByLabel('Condor as strikes, quantity and credit').fill('6450/6475/6525/6550');
    await clickArrived(frame, frame.getByRole('button', { name: 'Set' }), 'Set');
    await page.waitForTimeout(1500);
    const text = await frame.locator('body').innerText();
    const attrs = await frame.evaluate(() =>
      [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].map((a) => a.value)).join(' '),
    );
    console.log(`[pressure e2e] malformed page, overlay says: ${text.replace(/\s+/g, ' ').slice(0, 400)}`);
    expect(text.length).toBeGreaterThan(50);
    expect(text).not.toMatch(/NaN|Infinity|∞|e\+\d{2,}/);
    expect(attrs).not.toMatch(/NaN|Infinity/);
  } finally {
    await page.close();
  }
});

// Known: a row quoted 1e-320 / 1e-320 (a denormal, i.e. zero) passes as a market, its mids tie at 0 and it becomes the
// ATM row ("ATM straddle @ 6,700 0.00"); DESIGN.md §5 wants a zero market flagged and left out. The sane ATM row is
// 6,500 (call mid 66.80, put mid 66.50). Expected to fail until src/engine/summary.ts (or the reader) leaves it out.
test('a zero market in disguise (1e-320) is not taken for the at-the-money row', async () => {
  const { page, frame } = await openMalformed();
  try {
    await expect.poll(() => shown(frame, 'strikes-read'), { timeout: 20_000 }).toMatch(/strikes read for SPX/);
    expect(await frame.getByText('ATM straddle @ 6,500').count()).toBe(1);
  } finally {
    await page.close();
  }
});

test('load (CI variant): 2,000 rows ticking 10 times a second for 30 s', { timeout: 240_000 }, async () => {
  const f = await runLoad({
    context: e2e.session.context,
    extensionId: e2e.session.extensionId,
    origin: e2e.server.origin,
    rows: 2000,
    intervalMs: 100,
    warmupS: 5,
    runS: 25,
    overlayFrame,
  });
  console.log(`[pressure e2e] load 30 s: ${describeLoad(f)}`);
  // What must hold however busy the machine is. The speed figures (lag, long tasks over 50 ms caused by HedgeLens,
  // main-thread time per tick) are printed above and measured by `npm run bench -- load`, not asserted here: on a
  // shared 2-core machine they measure the neighbours as much as HedgeLens.
  // It never shows a number the page did not.
  expect(f.foreign).toBe(0);
  // The load happened (the page's own ticking slows on a busy machine: 250 ticks idle, 129 seen at a load average of
  // 12, 40 at 23 on 2 cores), the overlay kept following it, and it came to show the page's last straddle once the
  // page stopped.
  expect(f.ticks).toBeGreaterThanOrEqual(20);
  expect(f.updatesShown).toBeGreaterThanOrEqual(10);
  expect(f.caughtUpMs).not.toBeNull();
  // No frozen tab: no task of HedgeLens's making past 1 s (as in the heavy-page test above).
  expect(f.longTasks.causedByHedgeLens.filter((t) => t.duration > 1000)).toEqual([]);
  // No runaway memory: after garbage collection, each heap at the end is under twice its size after the warm-up
  // plus 16 MB (a retained copy of every tick's 2,000 rows would be far more). Within 10 % is the bench's target.
  for (const h of [f.heapMB.page, f.heapMB.frame, f.heapMB.worker]) if (h) expect(h.end).toBeLessThan(2 * h.warm + 16);
});

test('nothing left the machine', () => {
  expect(e2e.session.requests.length).toBeGreaterThan(0);
  expect(outboundRequests(e2e.session)).toEqual([]);
});
