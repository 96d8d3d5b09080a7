import { describe, expect, test } from 'vitest';
import { createEngine, type FeedIn, type FeedOut } from '../../src/worker/engine';
import { pageViewKey } from '../../src/engine/session';
import { ROW_WIDTH, diffChain, packChain, patchOf } from '../../src/chain/patch';
import { curvesAt, meta, ready, syntheticChain } from '../helpers/workerChain';

describe('the engine with a position', () => {
  test('values the chain at its quote time, not the wall clock', async () => {
    const engine = createEngine(undefined, () => new Date('2030-01-01T00:00:00Z'));
    const s = ready(await engine.setChain(syntheticChain(), meta));
    expect(s.valuedAt).toBe('2026-03-18T20:00:00.000Z');
    expect(s.analysis?.expiries[0]?.daysToExpiry).toBeCloseTo(30, 6);
  });

  test('without a position it shows the suggested condor', async () => {
    const engine = createEngine();
    const s = ready(await engine.setChain(syntheticChain(), meta));
    expect(s.analysisError).toBeNull();
    expect(s.analysis?.condorSuggested).toBe(true);
    expect(s.analysis?.condor?.strikes).toHaveLength(4);
  });

  test('typed text: strikes, quantity and the given credit are used', async () => {
    const engine = createEngine();
    await engine.setChain(syntheticChain(), meta);
    const s = ready(await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 x2 @ 4.10' }));
    expect(s.positionError).toBeNull();
    const c = s.analysis!.condor!;
    expect(c.strikes).toEqual([6400, 6450, 6800, 6850]);
    expect(c.quantity).toBe(2);
    expect(c.creditUsed).toBe(4.1);
    expect(c.maxProfitDollars).toBeCloseTo(4.1 * 100 * 2, 9);
    expect(c.maxLossDollars).toBeCloseTo((50 - 4.1) * 100 * 2, 9);
    expect(c.breakevenLower).toBeCloseTo(6450 - 4.1, 9);
    expect(s.analysis!.condorSuggested).toBe(false);
  });

  test('delta targets pick shorts near 16 delta with 50-point wings', async () => {
    const engine = createEngine();
    await engine.setChain(syntheticChain(), meta);
    const s = ready(await engine.setPosition({ kind: 'targets', text: '16-delta shorts, 50 wide' }));
    expect(s.positionError).toBeNull();
    const c = s.analysis!.condor!;
    expect(c.strikes[1] - c.strikes[0]).toBe(50);
    expect(c.strikes[3] - c.strikes[2]).toBe(50);
    const shortPut = c.legs.find((l) => l.kind === 'put' && l.side === -1)!;
    const shortCall = c.legs.find((l) => l.kind === 'call' && l.side === -1)!;
    expect(Math.abs(shortPut.delta)).toBeGreaterThan(0.12);
    expect(Math.abs(shortPut.delta)).toBeLessThan(0.2);
    expect(Math.abs(shortCall.delta)).toBeGreaterThan(0.12);
    expect(Math.abs(shortCall.delta)).toBeLessThan(0.2);
  });

  test('clicked strikes off the chain are refused with a reason, and the suggestion stays', async () => {
    const engine = createEngine();
    await engine.setChain(syntheticChain(), meta);
    const s = ready(await engine.setPosition({ kind: 'strikes', strikes: [6401, 6450, 6800, 6850], quantity: 1 }));
    expect(s.positionError).toMatch(/6401/);
    expect(s.analysis?.condorSuggested).toBe(true);
    const bad = ready(await engine.setPosition({ kind: 'text', text: 'buy the dip' }));
    expect(bad.positionError).toMatch(/expected K1\/K2\/K3\/K4/);
  });

  test('slider curves: the expiry payoff is flat at max profit between the shorts, and T+0 lies below it there', async () => {
    const engine = createEngine();
    await engine.setChain(syntheticChain(), meta);
    await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 @ 4.10' });
    const res = await curvesAt(engine, { daysForward: 0, volShiftPoints: 0 });
    expect(res).not.toBeNull();
    const { at, expiry } = res!;
    expect(expiry.atExpiry).toBe(true);
    expect(at.atExpiry).toBe(false);
    const i = expiry.prices.findIndex((p) => p > 6600);
    expect(expiry.pnlDollars[i]).toBeCloseTo(410, 6);
    expect(at.pnlDollars[i]!).toBeLessThan(410);
    const shocked = await curvesAt(engine, { daysForward: 0, volShiftPoints: 10 });
    expect(shocked!.at.pnlDollars[i]!).toBeLessThan(at.pnlDollars[i]!); // a short-vega position loses on a vol spike
  });
});

describe('snapshot input', () => {
  test('keeps only the condor’s expiry, the condor with its given credit, and the page without query', async () => {
    const engine = createEngine();
    const chain = syntheticChain();
    chain.expiries.push({ ...chain.expiries[0]!, date: '2026-05-15', root: 'SPX', settlement: 'AM' });
    await engine.setChain(chain, meta);
    await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 x2 @ 4.10' });
    const input = await engine.snapshotInput();
    expect(input).not.toBeNull();
    expect(input!.chain.expiries.map((e) => `${e.date} ${e.root}`)).toEqual(['2026-04-17 SPXW']);
    expect(input!.condor).toEqual({
      expiry: '2026-04-17',
      strikes: [6400, 6450, 6800, 6850],
      quantity: 2,
      credit: 4.1,
    });
    const a = input!.analysis as { expiries: { date: string }[]; chosenExpiry: number | null };
    expect(a.expiries.map((e) => e.date)).toEqual(['2026-04-17']);
    expect(a.chosenExpiry).toBe(0);
    expect(input!.url).toBe('https://broker.example/chain');
    // The trimmed chain and analysis stay small; the plan beside them (now with tickets: the chain's own 30-day index
    // stands for the VIX, issue #14) has its own bound.
    const { plan, ...rest } = input!;
    expect(JSON.stringify(rest).length).toBeLessThan(60_000);
    expect((plan as { tickets: unknown[] }).tickets.length).toBeGreaterThan(0);
    expect(JSON.stringify(plan).length).toBeLessThan(60_000);
    // Each saved ticket keeps its stress summary, not its grid cells (no saved view draws them).
    for (const t of (plan as { tickets: { stress: { cells: unknown[]; worstBefore: number; side: string } }[] })
      .tickets) {
      expect(t.stress.cells).toEqual([]);
      expect(t.stress.worstBefore).toBeGreaterThan(0);
      expect(['downside', 'upside']).toContain(t.stress.side);
    }
    // Plain JSON all the way down (a NaN or Infinity would become null on the round trip), plan included.
    expect(JSON.parse(JSON.stringify(input))).toEqual(input);
    expect((input!.plan as { stage: string }).stage).toBeTypeOf('string');
    expect((input!.analysis as { pnlCurves: unknown[] }).pnlCurves).toEqual([]);
  });

  test('nothing to save before a chain is read', async () => {
    expect(await createEngine().snapshotInput()).toBeNull();
  });
});

describe('the hedge plan in the worker', () => {
  const calmThenSpike = () => {
    const bars = [];
    const start = Date.UTC(2025, 11, 1);
    for (let i = 0; i < 80; i++) {
      const d = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
      bars.push({ date: d, open: null, high: null, low: null, close: 14 + 0.3 * Math.sin(i / 3) });
    }
    // The last days climb: momentum builds before the live spike.
    for (const [i, v] of [16, 18.5, 21, 24].entries())
      bars.push({ ...bars[bars.length - 1]!, date: `2026-03-1${i + 3}`, close: v });
    return bars;
  };

  test('without VIX inputs the plan is computed and says what it assumed', async () => {
    const engine = createEngine();
    const s = ready(await engine.setChain(syntheticChain(), meta));
    expect(s.planError).toBeNull();
    expect(s.plan).not.toBeNull();
    // No VIX typed, seen or imported: the SPX chain's own index stands for it (one expiry: a single-expiry estimate).
    expect(s.vix.source).toMatch(/^this chain's single-expiry estimate at 30 days: \d+\.\d \(2026-04-17 only/);
    expect(s.vix.level).toBeGreaterThan(10);
    expect(s.plan!.vix.spot).toBe(s.vix.level);
    expect(s.plan!.notes[0]).toMatch(/^VIX from this chain's single-expiry estimate at 30 days/);
    expect(s.planAssumptions.join(' ')).toMatch(/no account entered/);
    expect(s.planAssumptions.join(' ')).toMatch(/no VIX history imported/);
  });

  test('a VIX spike typed by the trader on top of a calm history leaves Calm, with priced tickets', async () => {
    const engine = createEngine();
    // With a short-dated expiry for Layer One to hedge on (never the condor's own).
    await engine.setChain(syntheticChain({ weekly: true }), meta);
    await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 @ 4.10' });
    await engine.setAlvhInputs({
      vixHistory: calmThenSpike(),
      account: { sizeDollars: 250_000, buyingPowerDollars: 150_000 },
    });
    const calm = ready(await engine.getState());
    // The history ends before the chain's day and nothing is typed: the chain's own index is the day's VIX.
    expect(calm.vix.source).toMatch(/^this chain's single-expiry estimate at 30 days/);
    expect(calm.history.last).toBe('2026-03-16');
    const s = ready(await engine.setManualVix(31));
    expect(s.vix).toEqual({ level: 31, source: 'manual' });
    expect(s.planAssumptions).toEqual([]);
    expect(s.plan!.stage).not.toBe('calm');
    const active = s.plan!.tickets.filter((t) => t.active);
    expect(active.length).toBeGreaterThan(0);
    for (const t of active) {
      expect(t.legs.length).toBeGreaterThan(0);
      expect(Number.isFinite(t.midDollars)).toBe(true);
      expect(t.why.sentences.length).toBeGreaterThan(0);
    }
  });
});

/** Polls `done` until it holds, or fails after `ms` (a deadline, not a pace: a busy machine only makes it slower). */
async function until(done: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** The content script's side of the feed port, in a test: send, then wait for the worker to take it. */
async function feedOf(engine: ReturnType<typeof createEngine>) {
  const channel = new MessageChannel();
  // What the engine posts is recorded as it posts it, in the same task as the state it comes from: once the state
  // number moved, every view that state sends is here (the message itself reaches port1 a task later).
  const got: FeedOut[] = [];
  const post = channel.port2.postMessage.bind(channel.port2);
  channel.port2.postMessage = (m: FeedOut) => {
    got.push(m);
    post(m);
  };
  await engine.attachFeed(channel.port2);
  return {
    got,
    /**
     * Posts a message; true once the engine computed a new state from it, false once it was refused (nothing is
     * acknowledged, so the test watches the engine's state number).
     */
    send: async (m: FeedIn): Promise<boolean> => {
      const before = (await engine.getState()).seq;
      channel.port1.postMessage(m);
      let taken = false;
      await until(
        async () =>
          got.some((x) => x.kind === 'refused' && x.id === m.id) || (taken = (await engine.getState()).seq > before),
        `message ${m.id}: neither taken nor refused`,
      );
      return taken;
    },
    /** The page views received. */
    views: () => got.flatMap((x) => (x.kind === 'view' ? [x.view] : [])),
    /** Posts a message without waiting. */
    post: (m: FeedIn) => channel.port1.postMessage(m),
    close: () => channel.port1.close(),
  };
}

describe('the page view (what the content script receives per update)', () => {
  test('is small, and carries the chain line, the condor at a glance and the numbers the row marks need', async () => {
    const engine = createEngine();
    const feed = await feedOf(engine);
    await feed.send({ kind: 'push', id: 1, ...packChain(syntheticChain()), meta, layout: 1 });
    await engine.setPosition({ kind: 'text', text: '6400/6450/6800/6850 x2 @ 4.10' });
    feed.close();
    const v = feed.views()[feed.views().length - 1]!;
    expect(v.status).toBe('ready');
    expect(v.summary?.symbol).toBe('SPX');
    expect(v.position).toMatchObject({ legs: '2 × 6400/6450/6800/6850 2026-04-17', suggested: false });
    expect(v.position!.maxProfitDollars).toBeCloseTo(820, 9);
    expect(v.marks).toMatchObject({ expiry: '2026-04-17', legs: [6400, 6450, 6800, 6850] });
    expect(v.marks!.breakevens[0]).toBeCloseTo(6445.9, 9);
    expect(v.marks!.breakevens[1]).toBeCloseTo(6804.1, 9);
    const full = ready(await engine.getState());
    expect(JSON.stringify(v).length).toBeLessThan(JSON.stringify(full).length / 50);
  });
});

describe('the content script feed (one port; an answer only when the page has a use for it)', () => {
  test('a view goes when what the page uses changed, not on every tick; a misfit patch is refused', async () => {
    const engine = createEngine();
    const feed = await feedOf(engine);
    const views = () => feed.views().length;
    const a = syntheticChain();
    expect(views()).toBe(1); // the view at attach time (waiting)
    expect(await feed.send({ kind: 'push', id: 1, ...packChain(a), meta, layout: 9 })).toBe(true);
    // Ready: one view, of the whole state (the engine's first look goes to the frame only), with the plan's stage.
    expect(views()).toBe(2);
    const first = feed.views()[1]!;
    expect(first.status).toBe('ready');
    expect(first.position!.stage).not.toBeNull();
    // A tick: a far quote moves a cent. The state is computed again; nothing of the page view the page uses moved.
    const tick = syntheticChain();
    tick.expiries[0]!.rows[2]!.call!.bid! += 0.01;
    expect(await feed.send({ kind: 'patch', id: 2, patch: patchOf(9, tick, diffChain(a, tick)!), meta })).toBe(true);
    expect(views()).toBe(2);
    const now = await engine.pageView();
    expect(now.seq).toBeGreaterThan(first.seq); // the engine did take it
    expect(pageViewKey(now, tick)).toBe(pageViewKey(first, a));
    // The underlying jumps 100 points: the expected-move band covers other strikes, and the page is told.
    const jump = syntheticChain();
    jump.underlying.price = 6700;
    expect(await feed.send({ kind: 'patch', id: 3, patch: patchOf(9, jump, diffChain(tick, jump)!), meta })).toBe(true);
    expect(views()).toBe(3);
    expect(feed.views()[2]!.marks!.expectedMove![0]).toBeGreaterThan(first.marks!.expectedMove![0] + 50);
    // A patch made for another layout is refused and changes nothing; the layout's own patches still fit.
    expect(await feed.send({ kind: 'patch', id: 4, patch: patchOf(8, a, diffChain(jump, a)!), meta })).toBe(false);
    expect(await feed.send({ kind: 'patch', id: 5, patch: patchOf(9, a, diffChain(jump, a)!), meta })).toBe(true);
    // A patch of this layout whose row is not there: refused, and every later patch of the layout with it, until
    // the whole chain comes again (a patch on top of a missed one would be wrong).
    const rows = a.expiries[0]!.rows.length;
    const misfit = patchOf(9, a, [{ e: 0, r: rows, row: a.expiries[0]!.rows[0]! }]);
    expect(await feed.send({ kind: 'patch', id: 6, patch: misfit, meta })).toBe(false);
    expect(await feed.send({ kind: 'patch', id: 7, patch: patchOf(9, tick, diffChain(a, tick)!), meta })).toBe(false);
    const viewsBefore = views();
    expect(await feed.send({ kind: 'push', id: 8, ...packChain(tick), meta, layout: 10 })).toBe(true);
    // A whole chain is answered with its view even when nothing the page uses changed (the page may have dropped
    // its overlay meanwhile, see the content script's chainGone).
    expect(views()).toBe(viewsBefore + 1);
    expect(await feed.send({ kind: 'patch', id: 9, patch: patchOf(10, a, diffChain(tick, a)!), meta })).toBe(true);
    feed.close();
    const whole = createEngine();
    await whole.setChain(a, meta);
    expect(ready(await engine.getState()).summary).toEqual(ready(await whole.getState()).summary);
  });

  test("the position's legs and breakeven rows count only where the page marks them", async () => {
    const engine = createEngine();
    const feed = await feedOf(engine);
    const a = syntheticChain();
    await feed.send({ kind: 'push', id: 1, ...packChain(a), meta, layout: 1 });
    const v = await engine.pageView();
    expect(v.marks).not.toBeNull();
    const moved = { ...v, marks: { ...v.marks!, legs: v.marks!.legs.map((k) => k + 25) } };
    expect(pageViewKey(moved, a, true)).not.toBe(pageViewKey(v, a, true));
    expect(pageViewKey(moved, a, false)).toBe(pageViewKey(v, a, false));
    const beMoved = { ...v, marks: { ...v.marks!, breakevens: [v.marks!.breakevens[0] - 30, v.marks!.breakevens[1]] } };
    expect(pageViewKey(beMoved as typeof v, a, true)).not.toBe(pageViewKey(v, a, true));
    expect(pageViewKey(beMoved as typeof v, a, false)).toBe(pageViewKey(v, a, false));
    // Saying what it uses brings the current view at once.
    const before = feed.views().length;
    feed.post({ kind: 'uses', id: 2, positionRows: false });
    await until(() => feed.views().length > before, 'the view after “uses”');
    expect(feed.views().length).toBe(before + 1);
    feed.close();
  });

  test('messages that come faster than the engine computes are taken together', async () => {
    const engine = createEngine();
    const feed = await feedOf(engine);
    const a = syntheticChain();
    expect(await feed.send({ kind: 'push', id: 1, ...packChain(a), meta, layout: 1 })).toBe(true);
    const before = (await engine.getState()).seq;
    let prev = a;
    for (let i = 0; i < 20; i++) {
      const next = syntheticChain();
      next.expiries[0]!.rows[10 + i]!.put!.ask! += 0.05;
      // Posted back to back, without waiting: the engine computes once they are all in.
      feed.post({ kind: 'patch', id: 2 + i, patch: patchOf(1, next, diffChain(prev, next)!), meta });
      prev = next;
    }
    // Done when the engine's state is that of the last chain (all 20 patches in), however long that takes.
    const whole = createEngine();
    await whole.setChain(prev, meta);
    const strikesOf = async (e: typeof engine) =>
      JSON.stringify(ready(await e.getState()).analysis!.expiries[0]!.strikes);
    const target = await strikesOf(whole);
    await until(async () => (await strikesOf(engine)) === target, 'the state of all 20 patches');
    const after = (await engine.getState()).seq;
    expect(after - before).toBeGreaterThanOrEqual(1);
    expect(after - before).toBeLessThan(5);
    feed.close();
  });
});

describe('patching the chain in the worker', () => {
  test('a patch of changed rows gives the same state as the whole chain; a misfit patch is refused', async () => {
    const a = syntheticChain();
    const b = syntheticChain();
    b.expiries[0]!.rows[20]!.call!.bid! += 0.5;
    b.expiries[0]!.rows[30]!.put!.ask! += 0.5;
    const viaPatch = createEngine();
    const feed = await feedOf(viaPatch);
    const patch = patchOf(3, b, diffChain(a, b)!);
    expect(patch.rows.length / ROW_WIDTH).toBe(2);
    let id = 0;
    const sendPatch = (p: typeof patch) => feed.send({ kind: 'patch', id: ++id, patch: p, meta });
    expect(await sendPatch(patch)).toBe(false); // nothing to patch yet
    await feed.send({ kind: 'push', id: ++id, ...packChain(a), meta, layout: 3 });
    expect(await sendPatch(patch)).toBe(true);
    const whole = createEngine();
    await whole.setChain(b, meta);
    const p = ready(await viaPatch.getState());
    const w = ready(await whole.getState());
    expect(p.analysis!.expiries[0]!.strikes).toEqual(w.analysis!.expiries[0]!.strikes);
    expect(p.summary).toEqual(w.summary);
    expect(await sendPatch({ ...patch, layout: 4 })).toBe(false); // made for another layout
    const other = syntheticChain();
    other.expiries[0]!.rows.pop();
    await feed.send({ kind: 'push', id: ++id, ...packChain(other), meta, layout: 5 });
    expect(await sendPatch({ ...patch, layout: 5 })).toBe(true); // rows 20 and 30 are still there
    const last = other.expiries[0]!.rows.length;
    expect(await sendPatch(patchOf(5, b, [{ e: 0, r: last, row: b.expiries[0]!.rows[last]! }]))).toBe(false); // not there
    await viaPatch.setChain(a, meta);
    expect(await sendPatch({ ...patch, layout: 5 })).toBe(false); // set otherwise: no layout
    feed.close();
  });
});
