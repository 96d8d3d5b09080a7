/**
 * HedgeLens on a live page, in real Chromium: tests/fixtures/live/ticking-1000.html (1,000 strikes, ~10 % of
 * the bid/ask cells re-priced every 100 ms, seeded) with the built extension, against the same page in a
 * Chromium without it, over the same number of ticks.
 *
 * Prints, per tick (every tick changes the chain, so a tick is an update): the main-thread cost HedgeLens adds
 * (Performance.getMetrics ScriptDuration and TaskDuration, with minus without), HedgeLens's own sampled time in
 * a V8 CPU profile (stacks holding a chrome-extension:// frame), the first read on load, long tasks, and the
 * issue's budget (≤ 2 ms per update on 1,000 rows) with the ratio. Figures, never pass/fail.
 *
 * The extension: HEDGELENS_OUT_DIR if set (it must hold a loopback build:
 * `HEDGELENS_LOOPBACK=1 HEDGELENS_OUT_DIR=dir npx wxt build`);
 * otherwise this script builds into .output-bench (never .output, which other runs use).
 */
import type { BrowserContext, Page } from 'playwright-core';
import { CHROMIUM, REPO, launchExtension, overlayFrame, startFixtureServer } from '../tests/e2e/harness';
import {
  launchBaseline,
  livePage,
  longTasksOf,
  oursWithin,
  pageInstruments,
  pageNow,
  percentile,
  perUpdateFromTrace,
  startProfiler,
  startTrace,
  startTicking,
  stopProfiler,
  stopTicking,
  syncMarker,
  truthOf,
  waitForTicks,
  type FunctionCost,
  type LongTask,
} from '../tests/fixtures/live/measure';
import { benchBuild } from './build';
import { measureChromiumCalibration, record } from './figures';

const TICKS = 100;

/** The reader alone (src/brokers watchChain, bundled here), run in the page itself: each update timed directly. */
async function readerBundle(): Promise<string> {
  const { build } = await import('esbuild');
  const out = await build({
    stdin: {
      contents: `import { watchChain } from './src/brokers/watch';
        const w = globalThis;
        w.__hlReader = { flushMs: [], firstMs: 0, firstResultMs: 0, stats: null };
        const t0 = performance.now();
        const watch = watchChain(document.body, {
          signal: new AbortController().signal,
          read: { url: location.href, title: document.title },
          onChange: () => { w.__hlReader.firstResultMs ||= performance.now() - t0; },
          schedule: (cb) => requestAnimationFrame(() => { const t = performance.now(); cb(); w.__hlReader.flushMs.push(performance.now() - t); }),
        });
        w.__hlReader.firstMs = performance.now() - t0;
        w.__hlReader.stats = watch.stats;`,
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    write: false,
    target: 'es2022',
  });
  return out.outputFiles[0]!.text;
}

async function readerAlone(context: BrowserContext, origin: string, code: string) {
  const page = await context.newPage();
  await page.goto(livePage(origin, '&auto=0'));
  await page.waitForTimeout(1000);
  await page.evaluate(code); // DevTools evaluation: not subject to the page's CSP
  await page.waitForTimeout(300);
  await startTicking(page);
  await waitForTicks(page, TICKS);
  await stopTicking(page);
  await page.waitForTimeout(300);
  const r = await page.evaluate(
    () =>
      (
        window as unknown as {
          __hlReader: {
            flushMs: number[];
            firstMs: number;
            firstResultMs: number;
            stats: { fullReads: number; incrementalReads: number };
          };
        }
      ).__hlReader,
  );
  await page.close();
  return r;
}
const BUDGET_MS = 2;

type Metrics = Record<string, number>;
async function metrics(cdp: {
  send(m: 'Performance.getMetrics'): Promise<{ metrics: { name: string; value: number }[] }>;
}) {
  const { metrics: m } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(m.map((x) => [x.name, x.value])) as Metrics;
}

interface Run {
  scriptMsPerTick: number;
  taskMsPerTick: number;
  oursMsPerTick: number | null;
  /** HedgeLens's sampled time in each tick's interval (tick to next tick), for the median and p90. */
  oursPerTick: number[];
  /** The content script's own measure (p50, p95 over its last updates). */
  own: { p50: number; p95: number; updates: number; parts: string; slowParts: string } | null;
  oursLoadMs: number | null;
  firstReadMs: number | null;
  firstOverlayMs: number | null;
  load: (LongTask & { oursMs: number })[];
  ticking: (LongTask & { oursMs: number })[];
  pageTickMs: number;
  syncErrorMs: number;
  /** HedgeLens's functions while ticking (per-function sampled time). */
  costs: FunctionCost[];
  /** HedgeLens's functions in the load's long task where it had the largest share. */
  loadCosts: FunctionCost[];
  /** HedgeLens's callbacks per update from a trace of the ticking (`trace` runs only): thread and wall time, ms. */
  traced: { wall: number[]; thread: number[] } | null;
}

/**
 * One page load and TICKS ticks. `profile`: with a V8 CPU profile (every 200 µs) for the attribution of time and
 * long tasks to HedgeLens. The sampler interrupts every script of the page, so the clock figures (script time,
 * HedgeLens's own measure) are taken again in runs without it. `trace`: the ticking is traced (Chromium's
 * devtools.timeline), for HedgeLens's thread time per update beside its wall time.
 */
async function run(
  context: BrowserContext,
  origin: string,
  extensionId: string | null,
  profile = true,
  trace = false,
): Promise<Run> {
  const page: Page = await context.newPage();
  await page.addInitScript(pageInstruments);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
  if (profile) await startProfiler(cdp);
  await page.goto(livePage(origin, '&auto=0'));
  // In front: a fresh install opens the welcome tab, and a background tab's animation frames are throttled (the
  // reader batches mutations to them), which would measure a few large updates instead of one per tick.
  await page.bringToFront();
  let firstOverlayMs: number | null = null;
  let frame: Awaited<ReturnType<typeof overlayFrame>> | null = null;
  if (extensionId) {
    frame = await overlayFrame(page, extensionId, 30_000);
    await frame.getByTestId('straddle-mid').first().waitFor({ timeout: 30_000 });
    firstOverlayMs = await pageNow(page);
  }
  await page.waitForTimeout(2000);
  const markerAt = await syncMarker(page);
  const loaded = (await longTasksOf(page)).length;
  const m0 = await metrics(cdp);
  const t0 = await pageNow(page);
  const stopTrace = trace && extensionId ? await startTrace(cdp) : null;
  await startTicking(page);
  await waitForTicks(page, TICKS);
  await stopTicking(page);
  await page.waitForTimeout(500); // let the last update land
  const t1 = await pageNow(page);
  const traced =
    stopTrace && extensionId ? perUpdateFromTrace(await stopTrace(), extensionId, '/live/ticker.js') : null;
  // HedgeLens's own measure of its main-thread time per update (the overlay's reading report shows it).
  const own = frame
    ? await frame
        .getByTestId('reading-report')
        .first()
        .evaluate((el) => ({
          p50: Number((el as HTMLElement).dataset.pageCostP50Ms),
          p95: Number((el as HTMLElement).dataset.pageCostP95Ms),
          updates: Number((el as HTMLElement).dataset.pageCostUpdates),
          parts: (el as HTMLElement).dataset.pageCostPartsMs ?? '',
          slowParts: (el as HTMLElement).dataset.pageCostSlowPartsMs ?? '',
        }))
    : null;
  const m1 = await metrics(cdp);
  const all = await longTasksOf(page);
  const truth = await truthOf(page);
  const timeOrigin = await page.evaluate(() => performance.timeOrigin);
  const { samples, syncErrorMs, costs } = profile
    ? await stopProfiler(cdp, extensionId, markerAt)
    : { samples: [], syncErrorMs: 0, costs: () => [] };
  await cdp.detach();
  await page.close();

  const withOurs = (ts: LongTask[]) =>
    ts.map((t) => ({ ...t, oursMs: oursWithin(samples, t.start, t.start + t.duration) }));
  // The first read: the first burst of HedgeLens samples after navigation (gaps under 2 ms join a burst).
  let firstReadMs: number | null = null;
  if (extensionId) {
    const ours = samples.filter((s) => s.ours);
    if (ours.length > 0) {
      let end = ours[0]!.at + ours[0]!.ms;
      let sum = ours[0]!.ms;
      for (const s of ours.slice(1)) {
        if (s.at - end > 2) break;
        end = s.at + s.ms;
        sum += s.ms;
      }
      firstReadMs = sum;
    }
  }
  const ticks = truth.tick;
  const loadTasks = withOurs(all.slice(0, loaded));
  const worstLoad = loadTasks.reduce<(typeof loadTasks)[number] | null>(
    (w, t) => (t.oursMs > 0 && (!w || t.oursMs > w.oursMs) ? t : w),
    null,
  );
  return {
    scriptMsPerTick: ((m1.ScriptDuration! - m0.ScriptDuration!) * 1000) / ticks,
    taskMsPerTick: ((m1.TaskDuration! - m0.TaskDuration!) * 1000) / ticks,
    oursMsPerTick: extensionId ? oursWithin(samples, t0, t1) / ticks : null,
    oursPerTick: extensionId
      ? truth.history
          .map((h) => h.at - timeOrigin)
          .filter((at) => at >= t0 && at < t1)
          .map((at, i, all) => oursWithin(samples, at, all[i + 1] ?? t1))
          .slice(0, -1)
      : [],
    oursLoadMs: extensionId ? oursWithin(samples, 0, markerAt.first) : null,
    firstReadMs,
    firstOverlayMs,
    load: loadTasks,
    ticking: withOurs(all.slice(loaded)),
    pageTickMs: percentile(truth.tickMs, 50),
    syncErrorMs,
    costs: costs(t0, t1),
    loadCosts: worstLoad ? costs(worstLoad.start, worstLoad.start + worstLoad.duration) : [],
    own,
    traced,
  };
}

export default async function (): Promise<void> {
  const dir = benchBuild();
  if (!dir) return;
  const server = await startFixtureServer();
  try {
    const baseline = await launchBaseline(CHROMIUM);
    let without: Run;
    try {
      const cal = await baseline.context.newPage();
      await cal.goto(livePage(server.origin, '&auto=0'));
      await measureChromiumCalibration(cal);
      await cal.close();
      without = await run(baseline.context, server.origin, null);
    } catch (err) {
      await baseline.close();
      throw err;
    }
    const code = await readerBundle();
    let reader: Awaited<ReturnType<typeof readerAlone>>;
    let plainWithout: Run;
    try {
      reader = await readerAlone(baseline.context, server.origin, code);
      plainWithout = await run(baseline.context, server.origin, null, false);
    } finally {
      await baseline.close();
    }
    const session = await launchExtension({ extensionDir: dir });
    let withExt: Run;
    let plainWith: Run;
    let tracedWith: Run;
    try {
      withExt = await run(session.context, server.origin, session.extensionId);
      plainWith = await run(session.context, server.origin, session.extensionId, false);
      tracedWith = await run(session.context, server.origin, session.extensionId, false, true);
    } finally {
      await session.close();
    }

    const f = (x: number | null, d = 2) => (x === null ? '—' : x.toFixed(d));
    const lt = (ts: (LongTask & { oursMs: number })[]) =>
      ts.length === 0
        ? 'none'
        : ts.map((t) => `${t.duration.toFixed(0)} ms (HedgeLens ${t.oursMs.toFixed(0)})`).join(', ');
    const addedScript = withExt.scriptMsPerTick - without.scriptMsPerTick;
    const addedTask = withExt.taskMsPerTick - without.taskMsPerTick;
    console.log(
      `1,000-row chain, ${TICKS} ticks of 100 ms (100 rows × bid/ask of both sides per tick), strict CSP, headless Chromium`,
    );
    console.log(
      `page's own main thread per tick (no extension): script ${f(without.scriptMsPerTick)} ms, tasks ${f(without.taskMsPerTick)} ms; its tick handler ${f(without.pageTickMs)} ms (p50)`,
    );
    console.log(
      `with HedgeLens per tick: script ${f(withExt.scriptMsPerTick)} ms, tasks ${f(withExt.taskMsPerTick)} ms → added script ${f(addedScript)} ms, added tasks ${f(addedTask)} ms`,
    );
    console.log(
      `HedgeLens sampled in the CPU profile (200 µs, sync ±${f(withExt.syncErrorMs)} ms): ${f(withExt.oursMsPerTick)} ms per tick on average; ` +
        `per tick interval p50 ${f(percentile(withExt.oursPerTick, 50))} ms, p90 ${f(percentile(withExt.oursPerTick, 90))} ms, max ${f(Math.max(...withExt.oursPerTick))} ms over ${withExt.oursPerTick.length} ticks`,
    );
    const ownLine = (own: Run['own'], how: string) =>
      own &&
      console.log(
        `HedgeLens's own measure ${how} (performance.now around each of its callbacks, 0.1 ms clock): p50 ${f(own.p50)} ms, p95 ${f(own.p95)} ms per update over its last ${own.updates} updates → p50 ×${f(own.p50 / BUDGET_MS, 2)} the budget; mean per part: ${own.parts.replace(/=/g, ' ')} ms; in the slowest 5%: ${own.slowParts.replace(/=/g, ' ')} ms`,
      );
    ownLine(withExt.own, 'with the profiler on');
    console.log(
      `without the profiler: page's script ${f(plainWithout.scriptMsPerTick)} ms per tick, with HedgeLens ${f(plainWith.scriptMsPerTick)} ms → added script ${f(plainWith.scriptMsPerTick - plainWithout.scriptMsPerTick)} ms per update (×${f((plainWith.scriptMsPerTick - plainWithout.scriptMsPerTick) / BUDGET_MS, 2)} the budget)`,
    );
    ownLine(plainWith.own, 'without the profiler');
    const tr = tracedWith.traced;
    if (tr && tr.thread.length > 0)
      console.log(
        `HedgeLens in a trace of the ticking (Chromium's FunctionCall events of its callbacks, summed from one tick to the next, ${tr.thread.length} updates): ` +
          `thread time p50 ${f(percentile(tr.thread, 50))} ms, p95 ${f(percentile(tr.thread, 95))} ms, max ${f(Math.max(...tr.thread))} ms; ` +
          `wall time p50 ${f(percentile(tr.wall, 50))} ms, p95 ${f(percentile(tr.wall, 95))} ms, max ${f(Math.max(...tr.wall))} ms ` +
          `(wall minus thread: time the main thread waited for a core while in HedgeLens's callbacks)`,
      );
    else console.log(`HedgeLens in a trace of the ticking: no callbacks of its own found in the trace`);
    console.log(
      `budget ≤ ${BUDGET_MS} ms per update: profile mean ×${f((withExt.oursMsPerTick ?? NaN) / BUDGET_MS, 1)}, p50 ×${f(percentile(withExt.oursPerTick, 50) / BUDGET_MS, 1)} the budget, ` +
        `added task time ×${f(addedTask / BUDGET_MS, 1)}; HedgeLens per tick = ×${f((withExt.oursMsPerTick ?? NaN) / without.scriptMsPerTick, 1)} the page's own script time`,
    );
    console.log(
      `first read on load: ${f(withExt.firstReadMs, 1)} ms of HedgeLens in its first burst after navigation (tasks less than 2 ms apart joined); ${f(withExt.oursLoadMs, 1)} ms in all before ticking; overlay showing the straddle ${f(withExt.firstOverlayMs, 0)} ms after navigation start`,
    );
    const fl = reader.flushMs.slice(1); // the first flush also re-reads the page context once
    console.log(
      `the reader alone (watchChain in the page, timed directly): first read ${f(reader.firstMs, 1)} ms in its first task (a full read runs in slices of about 15 ms), first result ${f(reader.firstResultMs, 1)} ms after the start; per update p50 ${f(percentile(fl, 50))} ms, ` +
        `p95 ${f(percentile(fl, 95))} ms, max ${f(Math.max(...fl))} ms over ${fl.length} updates ` +
        `(${reader.stats.incrementalReads} incremental, ${reader.stats.fullReads} full) → p50 ×${f(percentile(fl, 50) / BUDGET_MS, 1)} the budget; ` +
        `the rest of HedgeLens's ${f(withExt.oursMsPerTick)} ms per tick is the content script around it`,
    );
    const top = Number(process.env.HEDGELENS_PROFILE_TOP ?? 0);
    if (top > 0) {
      // Names are readable on a build made with HEDGELENS_MINIFY=0.
      const ticks = TICKS;
      for (const key of ['selfMs', 'totalMs'] as const) {
        console.log(`HedgeLens functions by ${key === 'selfMs' ? 'self' : 'total'} time, ms per tick:`);
        for (const c of [...withExt.costs].sort((a, b) => b[key] - a[key]).slice(0, top))
          console.log(`  ${(c[key] / ticks).toFixed(3).padStart(7)}  ${c.name}`);
      }
      console.log(`HedgeLens functions in the load's long task where its share was largest, by total time, ms:`);
      for (const c of [...withExt.loadCosts].sort((a, b) => b.totalMs - a.totalMs).slice(0, top))
        console.log(`  ${c.totalMs.toFixed(1).padStart(7)} (self ${c.selfMs.toFixed(1)})  ${c.name}`);
    }
    if (plainWith.own) {
      record({
        name: "HedgeLens on the page's main thread per update (its own measure), p50",
        value: plainWith.own.p50,
        unit: 'ms',
        target: BUDGET_MS,
        lowerIsBetter: true,
        calibration: 'chromium',
      });
      record({
        name: "HedgeLens on the page's main thread per update (its own measure), p95",
        value: plainWith.own.p95,
        unit: 'ms',
        target: 4,
        lowerIsBetter: true,
        calibration: 'chromium',
      });
    }
    if (tr && tr.thread.length > 0) {
      record({
        name: "HedgeLens's main-thread CPU per update (thread time in a trace), p50",
        value: percentile(tr.thread, 50),
        unit: 'ms',
        target: BUDGET_MS,
        lowerIsBetter: true,
        calibration: 'chromium',
      });
      record({
        name: "HedgeLens's main-thread CPU per update (thread time in a trace), p95",
        value: percentile(tr.thread, 95),
        unit: 'ms',
        target: 4,
        lowerIsBetter: true,
        calibration: 'chromium',
      });
    }
    const addedPlain = plainWith.scriptMsPerTick - plainWithout.scriptMsPerTick;
    record({
      name: 'script time HedgeLens adds per update (Chromium, with minus without)',
      value: addedPlain,
      unit: 'ms',
      target: null,
      lowerIsBetter: true,
      calibration: 'chromium',
    });
    record({
      name: "added script time ÷ the page's own script time per tick",
      value: addedPlain / plainWithout.scriptMsPerTick,
      unit: '×',
      target: null,
      lowerIsBetter: true,
      calibration: null,
    });
    record({
      name: "HedgeLens's largest share of a long task on load",
      value: Math.max(0, ...withExt.load.map((t) => t.oursMs)),
      unit: 'ms',
      target: 50,
      lowerIsBetter: true,
      calibration: 'chromium',
    });
    console.log(`long tasks on load: without ${lt(without.load)}; with ${lt(withExt.load)}`);
    console.log(`long tasks while ticking: without ${lt(without.ticking)}; with ${lt(withExt.ticking)}`);
  } finally {
    await server.close();
  }
}
