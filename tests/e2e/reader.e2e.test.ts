/**
 * Issue 4's proof in real Chromium: the page reader inside the built extension, on every authored layout, the
 * site fixtures (served at their real URLs through a route, so the site adapters apply), the real Yahoo pages,
 * and a 1,000-row chain that ticks every 100 ms. Expected values come from the hand-written .expected.json
 * files and the site adapters' expected counts; where the overlay shows a figure no file states (rows read,
 * strikes of one expiry on a multi-expiry site page), the Node reader the unit tests check is the oracle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Frame } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { Chain, Quote } from '../../src/chain/types';
import { readChainFromHtml } from '../../src/brokers/node';
import { SITES } from '../../src/brokers/sites';
import { summarizeChain } from '../../src/engine/summary';
import { CHROMIUM, FIXTURES, REPO, openWithOverlay, outboundRequests, overlayFrame } from './harness';
import { useExtensionSession } from './suite';
import {
  launchBaseline,
  livePage,
  longTasksOf,
  oursWithin,
  pageInstruments,
  pageNow,
  percentile,
  startProfiler,
  startTicking,
  stopProfiler,
  stopTicking,
  syncMarker,
  truthOf,
  waitForTicks,
  type LongTask,
} from '../fixtures/live/measure';

type Q =
  [number | null, number | null, number | null, number | null, number | null, number | null, number | null] | null;
interface LayoutExpected {
  ok: boolean;
  reason?: string;
  symbol?: string;
  price?: number | null;
  dropped?: number;
  expiries?: { date: string; root: string | null; settlement: 'AM' | 'PM'; rows: [number, Q, Q][] }[];
}

const quote = (q: Q): Quote | null =>
  q === null ? null : { bid: q[0], ask: q[1], last: q[2], volume: q[3], openInterest: q[4], iv: q[5], delta: q[6] };

/** The chain a hand-written expected file describes, to compute what the overlay must show from it. */
function expectedChain(e: LayoutExpected): Chain {
  return {
    version: 1,
    underlying: { symbol: e.symbol!, price: e.price ?? null },
    asOf: null,
    source: { kind: 'html', adapter: 'generic-table' },
    expiries: e.expiries!.map((x) => ({
      date: x.date,
      root: x.root,
      settlement: x.settlement,
      rows: x.rows.map(([strike, c, p]) => ({ strike, call: quote(c), put: quote(p) })),
    })),
    warnings: [],
  } as Chain;
}

const money = (v: number | null) =>
  v === null ? '—' : v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** What the overlay must say for a chain: the line, the straddle, the underlying (ChainStatus's format). */
function overlayLine(chain: Chain) {
  const s = summarizeChain(chain);
  const root = s.root && s.root !== s.symbol ? ` (${s.root})` : '';
  return {
    strikes: `${s.strikes} strikes read for ${s.symbol} ${s.expiry}${root}`,
    straddle: money(s.straddleMid),
    price: money(s.underlyingPrice),
  };
}

async function overlayText(frame: Frame, testId: string): Promise<string> {
  return ((await frame.getByTestId(testId).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

const e2e = useExtensionSession();

const LAYOUTS = join(FIXTURES, 'layouts');
const layoutFiles = readdirSync(LAYOUTS)
  .filter((f) => f.endsWith('.html'))
  .sort();

describe('authored layouts in real Chromium', () => {
  test('there are at least ten readable layouts and one without a chain', () => {
    const exp = layoutFiles.map(
      (f) => JSON.parse(readFileSync(join(LAYOUTS, f.replace('.html', '.expected.json')), 'utf8')) as LayoutExpected,
    );
    expect(exp.filter((e) => e.ok).length).toBeGreaterThanOrEqual(10);
    expect(exp.filter((e) => !e.ok).length).toBeGreaterThanOrEqual(1);
  });

  layoutFiles.forEach((f, i) => {
    // Every other layout under the strict CSP (script-src 'self', frame-src 'none').
    const csp = i % 2 === 0 ? ('strict' as const) : undefined;
    test(`${f}${csp ? ' (strict CSP)' : ''}`, async () => {
      const exp = JSON.parse(
        readFileSync(join(LAYOUTS, f.replace('.html', '.expected.json')), 'utf8'),
      ) as LayoutExpected;
      const page = await e2e.session.context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(e2e.server.url(`layouts/${f}`, { csp }));
        if (!exp.ok) {
          await page.waitForTimeout(1500);
          expect(page.frames().filter((fr) => fr.url().includes(e2e.session.extensionId))).toHaveLength(0);
          expect(await page.locator('hedgelens-dock').count()).toBe(0);
          return;
        }
        const want = overlayLine(expectedChain(exp));
        const node = readChainFromHtml(readFileSync(join(LAYOUTS, f), 'utf8'), { now: new Date() });
        if (!node.ok) throw new Error(`Node reader: ${node.reason}`);
        const frame = await overlayFrame(page, e2e.session.extensionId);
        await expect.poll(() => overlayText(frame, 'strikes-read'), { timeout: 20_000 }).toBe(want.strikes);
        expect(await overlayText(frame, 'straddle-mid')).toBe(want.straddle);
        expect(await overlayText(frame, 'underlying-price')).toBe(want.price);
        const report = await overlayText(frame, 'reading-report');
        expect(report).toContain(`: ${node.report.rowsRead} rows`);
        if (exp.dropped) expect(report).toContain(`, ${exp.dropped} dropped`);
        else expect(report).not.toContain('dropped');
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    });
  });
});

describe('site fixtures at their real URLs (route-fulfilled, nothing fetched)', () => {
  const cases = SITES.filter((s) => s.verified === 'authored').flatMap((s) =>
    s.fixtures.filter((fx) => fx.url).map((fx) => ({ site: s, fx })),
  );
  test('every authored site has a fixture with a URL', () => {
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });
  for (const { site, fx } of cases) {
    test(`${site.id}: ${fx.file.split('/').pop()}`, async () => {
      const html = readFileSync(join(REPO, fx.file), 'utf8');
      const node = readChainFromHtml(html, { url: fx.url, now: new Date() });
      if (!node.ok) throw new Error(`Node reader: ${node.reason}`);
      // The hand-written counts of the site data, then the first expiry (the one the overlay shows) from Node.
      const rows = node.chain.expiries.flatMap((e) => e.rows);
      expect({
        calls: rows.filter((x) => x.call).length,
        puts: rows.filter((x) => x.put).length,
        expiries: node.chain.expiries.length,
        symbol: node.chain.underlying.symbol,
        price: node.chain.underlying.price,
      }).toEqual(fx.expect);
      const want = overlayLine(node.chain);

      const page = await e2e.session.context.newPage();
      try {
        // Page routes win over the harness's guard: the real URL is answered locally with the fixture.
        const bare = fx.url!.split('#')[0]!;
        await page.route(
          (u) => u.href === bare,
          (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
        );
        await page.goto(fx.url!);
        const frame = await overlayFrame(page, e2e.session.extensionId);
        await expect.poll(() => overlayText(frame, 'strikes-read'), { timeout: 20_000 }).toBe(want.strikes);
        expect(await overlayText(frame, 'straddle-mid')).toBe(want.straddle);
        expect(await overlayText(frame, 'underlying-price')).toBe(money(fx.expect.price));
        const report = await overlayText(frame, 'reading-report');
        expect(report).toContain(`Read by ${site.id}: ${node.report.rowsRead} rows`);
        expect(report).not.toContain('dropped');
      } finally {
        await page.close();
      }
    });
  }
});

describe('real Yahoo Finance pages (2014–2015) in the browser', () => {
  const pages = readdirSync(join(FIXTURES, 'yahoo'))
    .filter((f) => f.endsWith('.html'))
    .sort();
  test('three real pages', () => expect(pages).toHaveLength(3));
  for (const f of pages) {
    test(`${f} (strict CSP: the page's own scripts and trackers are blocked)`, async () => {
      const expected = JSON.parse(
        readFileSync(join(FIXTURES, 'yahoo', f.replace('.html', '.expected.json')), 'utf8'),
      ) as Chain;
      const want = overlayLine(expected);
      const { page, frame } = await openWithOverlay(e2e.session, e2e.server.url(`yahoo/${f}`, { csp: 'strict' }));
      try {
        await expect.poll(() => overlayText(frame, 'strikes-read'), { timeout: 20_000 }).toBe(want.strikes);
        expect(await overlayText(frame, 'straddle-mid')).toBe(want.straddle);
        expect(await overlayText(frame, 'underlying-price')).toBe(want.price);
        const rows = expected.expiries[0]!.rows.length;
        expect(await overlayText(frame, 'reading-report')).toContain(`Read by yahoo: `);
        expect(rows).toBeGreaterThan(0);
        expect(await overlayText(frame, 'reading-report')).not.toContain('dropped');
      } finally {
        await page.close();
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// The live chain: tests/fixtures/live/ticking-1000.html + ticker.js; measuring kit in tests/fixtures/live/measure.ts.

const LIVE_LINE = '1000 strikes read for SPX 2027-06-18 (SPXW)';

/** In the overlay frame: every change of the straddle shown, with the epoch time it was rendered. */
async function watchOverlayStraddle(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __hlSeen: { text: string; at: number }[] };
    w.__hlSeen = [];
    let last = '';
    const read = () => {
      const t = document.querySelector('[data-testid="straddle-mid"]')?.textContent?.trim() ?? '';
      if (t !== last) {
        last = t;
        w.__hlSeen.push({ text: t, at: performance.timeOrigin + performance.now() });
      }
    };
    read();
    new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}
const seenOf = (frame: Frame) =>
  frame.evaluate(() => (window as unknown as { __hlSeen: { text: string; at: number }[] }).__hlSeen);

describe('a 1,000-row chain ticking every 100 ms (strict CSP)', () => {
  test('the overlay follows the chain: every straddle it shows was on the page, and it settles on the last one', async () => {
    const { page, frame } = await openWithOverlay(e2e.session, livePage(e2e.server.origin, '&auto=0'));
    try {
      await expect.poll(() => overlayText(frame, 'strikes-read'), { timeout: 30_000 }).toBe(LIVE_LINE);
      await expect.poll(() => overlayText(frame, 'straddle-mid')).toBe(money((await truthOf(page)).straddleMid));
      await watchOverlayStraddle(frame);
      await startTicking(page);
      // Run until the overlay has shown ~30 new straddles (a poll every 0.5 s), or 60 s: a loaded machine shows fewer
      // of the ticks (the worker hands the frame the newest state, not a queue of stale ones), not none.
      const deadline = Date.now() + 60_000;
      let seen: { text: string; at: number }[] = [];
      while (Date.now() < deadline) {
        await page.waitForTimeout(500);
        seen = await seenOf(frame);
        if (seen.length > 32) break;
      }
      await stopTicking(page);
      const truth = await truthOf(page);
      expect(truth.tick).toBeGreaterThan(20);

      // Lag: a straddle the overlay shows at time t comes from the latest tick before t with that value; only
      // values not seen in the 20 ticks before count (a repeated value cannot make the lag look shorter).
      const lags: number[] = [];
      const foreign: string[] = [];
      for (const s of seen.slice(1)) {
        const before = truth.history.filter((h) => h.at <= s.at + 2); // clocks of two processes: ±2 ms
        const k = before.map((h) => money(h.straddleMid)).lastIndexOf(s.text);
        if (k < 0) {
          foreign.push(s.text);
          continue;
        }
        const repeated = before.slice(Math.max(0, k - 20), k).some((x) => money(x.straddleMid) === s.text);
        if (!repeated) lags.push(Math.max(0, s.at - before[k]!.at));
      }
      const distinct = new Set(truth.history.map((h) => money(h.straddleMid))).size;
      console.log(
        `[reader e2e] 1,000 rows, 100 ms ticks: ${truth.tick} ticks (${distinct} distinct straddles), overlay showed ` +
          `${seen.length - 1} new straddles; lag tick → overlay over ${lags.length} ticks: ` +
          `p50 ${percentile(lags, 50).toFixed(0)} ms, p95 ${percentile(lags, 95).toFixed(0)} ms, ` +
          `max ${Math.max(...lags).toFixed(0)} ms (${((100 * lags.length) / truth.tick).toFixed(0)}% of the ticks shown); ` +
          `the page's own tick: p50 ${percentile(truth.tickMs, 50).toFixed(2)} ms`,
      );
      expect(foreign).toEqual([]);
      // It follows: new straddles keep reaching the screen while the page ticks, and none is stuck. Freeze bounds,
      // not speed targets (how many ticks reach the screen and how fast is printed above and measured by
      // \`npm run bench -- ui\`; a busy machine took 1.09 s for one tick): a stuck overlay shows none after the first.
      expect(lags.length).toBeGreaterThanOrEqual(10);
      expect(Math.max(...lags)).toBeLessThan(10_000);
      const gaps = seen.slice(2).map((x, i) => x.at - seen[i + 1]!.at);
      expect(Math.max(...gaps)).toBeLessThan(10_000);
      await expect.poll(() => overlayText(frame, 'straddle-mid'), { timeout: 10_000 }).toBe(money(truth.straddleMid));
      expect(await frame.getByText(`ATM straddle @ ${truth.atmStrike!.toLocaleString('en-US')}`).count()).toBe(1);
    } finally {
      await page.close();
    }
  });

  test('control: the page’s long-task observer sees a long task run from an isolated world (as a content script runs)', async () => {
    const page = await e2e.session.context.newPage();
    try {
      await page.addInitScript(pageInstruments);
      await page.goto(livePage(e2e.server.origin, '&auto=0'));
      await page.waitForTimeout(1000);
      const before = (await longTasksOf(page)).length;
      const cdp = await e2e.session.context.newCDPSession(page);
      const { frameTree } = (await cdp.send('Page.getFrameTree')) as { frameTree: { frame: { id: string } } };
      const { executionContextId } = await cdp.send('Page.createIsolatedWorld', {
        frameId: frameTree.frame.id,
        worldName: 'hedgelens-control',
      });
      await cdp.send('Runtime.evaluate', {
        contextId: executionContextId,
        // A timer task, as the content script's work is (a DevTools evaluation itself is not an event-loop task).
        expression: 'setTimeout(() => { const t0 = performance.now(); while (performance.now() - t0 < 80) {} }, 0)',
      });
      await cdp.detach();
      await expect
        .poll(async () => (await longTasksOf(page)).slice(before).some((t) => t.duration >= 80), { timeout: 5000 })
        .toBe(true);
    } finally {
      await page.close();
    }
  });

  test('HedgeLens never freezes the ticking page; its long tasks, with vs without the extension (CPU-profiled), are printed', async () => {
    const TICKS = 60;
    const run = async (context: BrowserContext, extensionId: string | null) => {
      const page = await context.newPage();
      await page.addInitScript(pageInstruments);
      const cdp = await context.newCDPSession(page);
      await startProfiler(cdp);
      await page.goto(livePage(e2e.server.origin, '&auto=0'));
      if (extensionId) {
        const frame = await overlayFrame(page, extensionId);
        await expect.poll(() => overlayText(frame, 'strikes-read'), { timeout: 30_000 }).toBe(LIVE_LINE);
      } else {
        await page.waitForTimeout(1500);
      }
      await page.waitForTimeout(500);
      const markerAt = await syncMarker(page);
      const loaded = (await longTasksOf(page)).length;
      const t0 = await pageNow(page);
      await startTicking(page);
      await waitForTicks(page, TICKS);
      await stopTicking(page);
      await page.waitForTimeout(500);
      const t1 = await pageNow(page);
      const all = await longTasksOf(page);
      const { samples, syncErrorMs } = await stopProfiler(cdp, extensionId, markerAt);
      await cdp.detach();
      await page.close();
      const withOurs = (ts: LongTask[]) =>
        ts.map((t) => ({ ...t, oursMs: oursWithin(samples, t.start, t.start + t.duration) }));
      return {
        load: withOurs(all.slice(0, loaded)),
        ticking: withOurs(all.slice(loaded)),
        oursTickingMs: oursWithin(samples, t0, t1),
        oursLoadMs: oursWithin(samples, 0, markerAt.first),
        syncErrorMs,
      };
    };

    const baseline = await launchBaseline(CHROMIUM);
    let without: Awaited<ReturnType<typeof run>>;
    try {
      without = await run(baseline.context, null);
    } finally {
      await baseline.close();
    }
    let withExt = await run(e2e.session.context, e2e.session.extensionId);
    // The long tasks are matched to the profile by a marker; on a starved machine the sampler can miss the marker by
    // more than the 5 ms the attribution needs (5.4 ms once, beside other work). Such a profile cannot say whose a
    // task is: it is measured again, at most twice, and the check below still holds for the one used.
    for (let again = 0; again < 2 && withExt.syncErrorMs >= 5; again++) {
      console.log(
        `[reader e2e] the profile's sync is ±${withExt.syncErrorMs.toFixed(2)} ms, too coarse to tell whose a long task is: measuring again`,
      );
      withExt = await run(e2e.session.context, e2e.session.extensionId);
    }

    const fmt = (ts: { duration: number; oursMs: number }[]) =>
      `${ts.length}${ts.length ? ` [${ts.map((t) => `${t.duration.toFixed(0)} ms, ours ${t.oursMs.toFixed(1)}`).join('; ')}]` : ''}`;
    // A long task is ours when HedgeLens's share is what makes it long: without it, it would be ≤ 50 ms. Printed
    // here; the per-update budget is measured by `npm run bench -- page` (speed targets are benches on this shared
    // machine, not timed tests). The test fails on a freeze: a task of ours past 1 s.
    const caused = [...withExt.load, ...withExt.ticking].filter((t) => t.duration - t.oursMs <= 50);
    const frozen = caused.filter((t) => t.duration > 1000);
    console.log(
      `[reader e2e] long tasks on load: without HedgeLens ${fmt(without.load)}; with ${fmt(withExt.load)}. ` +
        `Over ${TICKS} ticks: without ${fmt(without.ticking)}; with ${fmt(withExt.ticking)}. ` +
        `HedgeLens main-thread time (CPU profile, 200 µs samples, sync ±${withExt.syncErrorMs.toFixed(2)} ms): ` +
        `load ${withExt.oursLoadMs.toFixed(1)} ms, ticking ${withExt.oursTickingMs.toFixed(1)} ms = ` +
        `${(withExt.oursTickingMs / TICKS).toFixed(2)} ms per tick. Long tasks caused by HedgeLens: ${caused.length}`,
    );
    expect(withExt.syncErrorMs).toBeLessThan(5);
    expect(frozen).toEqual([]);
    // The profile does see us (a profile that sees nothing would pass the line above vacuously).
    expect(withExt.oursTickingMs).toBeGreaterThan(0);
  }, 180_000);
});

test('nothing left the machine (the site pages were answered by routes, never fetched)', () => {
  expect(e2e.session.requests.length).toBeGreaterThan(0);
  const routed = new Set(SITES.flatMap((s) => s.fixtures.map((f) => f.url?.split('#')[0])).filter(Boolean));
  // The real Yahoo pages name their own stylesheets, scripts and images on yimg.com (refused by the CSP or the
  // guard). Anything else trying to leave would be ours.
  const pagesOwn = readdirSync(join(FIXTURES, 'yahoo'))
    .filter((f) => f.endsWith('.html'))
    .map((f) => readFileSync(join(FIXTURES, 'yahoo', f), 'utf8').replace(/&amp;/g, '&'))
    .join('\n');
  const out = outboundRequests(e2e.session).filter((u) => !routed.has(u));
  expect(out.filter((u) => !pagesOwn.includes(u))).toEqual([]);
});
