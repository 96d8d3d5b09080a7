import { afterEach, describe, expect, test } from 'vitest';
import type { FeedIn } from '../../src/worker/engine';
import { expose, proxy, wrap } from 'comlink';
import { createEngine, type EngineApi, type FrameState } from '../../src/worker/engine';
import type { Chain } from '../../src/chain/types';
import { emptyQuote } from '../../src/chain/types';
import { packChain } from '../../src/chain/patch';
import { diffChain, patchOf } from '../../src/content/workerApi';
import { syntheticChain, meta as condorMeta } from '../helpers/workerChain';

const q = (bid: number, ask: number) => ({ ...emptyQuote(), bid, ask });
const chain: Chain = {
  version: 1,
  underlying: { symbol: 'SPX', price: 6630 },
  asOf: null,
  source: { kind: 'html', adapter: 'test' },
  expiries: [
    {
      date: '2026-03-20',
      root: 'SPXW',
      settlement: 'PM',
      rows: [
        { strike: 6600, call: q(50, 51), put: q(20, 21) },
        { strike: 6625, call: q(40, 41), put: q(36, 37) },
        { strike: 6650, call: q(28, 29), put: q(47, 48) },
      ],
    },
  ],
  warnings: [],
};
const meta = {
  adapter: 'test',
  rowsRead: 3,
  rowsDropped: 0,
  confidence: 1,
  site: '127.0.0.1',
  pageUrl: 'http://127.0.0.1/chain.html',
  pageTitle: 'SPX chain',
};

const ports: MessagePort[] = [];
afterEach(() => ports.splice(0).forEach((p) => p.close()));

/** Two clients on two ports of one engine, as the content script and the overlay frame are in the browser. */
function connect(engine: EngineApi) {
  const a = new MessageChannel();
  const b = new MessageChannel();
  ports.push(a.port1, a.port2, b.port1, b.port2);
  expose(engine, a.port2);
  expose(engine, b.port2);
  return { content: wrap<EngineApi>(a.port1), frame: wrap<EngineApi>(b.port1) };
}

/** An engine with the content script's feed port attached and a subscriber that keeps every state pushed. */
async function fedEngine() {
  const engine = createEngine();
  const feed = new MessageChannel();
  ports.push(feed.port1, feed.port2);
  await engine.attachFeed(feed.port2);
  const seen: FrameState[] = [];
  await engine.subscribe((s) => void seen.push(s));
  return { engine, feed: feed.port1, seen };
}

describe('engine over comlink MessagePorts', () => {
  test('a chain set by one client reaches the other client’s subscription', async () => {
    const { content, frame } = connect(createEngine());
    const seen: FrameState[] = [];
    await frame.subscribe(proxy((s: FrameState) => void seen.push(s)));
    const result = await content.setChain(chain, meta);
    expect(result.status).toBe('ready');
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[0]).toEqual({ status: 'waiting', seq: 0 });
    const last = seen[1]!;
    if (last.status !== 'ready') throw new Error(`expected ready, got ${last.status}`);
    expect(last.seq).toBe(1);
    expect(last.summary).toMatchObject({ strikes: 3, atmStrike: 6625, straddleMid: 40.5 + 36.5, expiry: '2026-03-20' });
    expect(last.meta).toEqual(meta);
  });

  test('a malformed chain becomes an error state, not a crash', async () => {
    const { content } = connect(createEngine());
    const broken = { ...chain, expiries: null } as unknown as Chain;
    const result = await content.setChain(broken, meta);
    expect(result.status).toBe('error');
    expect(await content.getState()).toMatchObject({ status: 'error', seq: 1 });
  });

  test('a subscriber across a port gets nothing more until it answers, then the newest state only; the last always arrives', async () => {
    const engine = createEngine();
    const seen: number[] = [];
    const answers: { ok: () => void; fail: (e: Error) => void }[] = [];
    // The frame's proxy answers each delivery with a promise; here the test decides when each one settles.
    await engine.subscribe((s) => {
      seen.push(s.seq);
      return new Promise<void>((ok, fail) => answers.push({ ok, fail }));
    });
    expect(seen).toEqual([0]);
    await engine.setChain(chain, meta); // seq 1: waits behind the unanswered 0
    await engine.setExpiry('2026-03-20'); // seq 2: replaces 1 in the waiting slot
    await engine.setExpiry(null); // seq 3: replaces 2
    expect(seen).toEqual([0]);
    answers.shift()!.ok();
    await expect.poll(() => seen).toEqual([0, 3]);
    // Answered with nothing waiting: the next state goes at once.
    answers.shift()!.ok();
    await Promise.resolve();
    await engine.setExpiry('2026-03-20');
    expect(seen).toEqual([0, 3, 4]);
    // A rejected answer (the frame's callback threw) does not stop the deliveries.
    await engine.setExpiry(null);
    answers.shift()!.fail(new Error('the frame threw'));
    await expect.poll(() => seen).toEqual([0, 3, 4, 5]);
  });

  test('over comlink, a slow frame ends on the newest state, and `alive` answers with its number', async () => {
    const { content, frame } = connect(createEngine());
    const seen: number[] = [];
    await frame.subscribe(proxy((s: FrameState) => void seen.push(s.seq)));
    await content.setChain(chain, meta);
    for (let i = 0; i < 5; i++) await content.setExpiry(i % 2 ? null : '2026-03-20');
    await expect.poll(() => seen[seen.length - 1]).toBe(6);
    // Never an older state after a newer one.
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(await frame.alive()).toBe(6);
  });

  test('a subscriber gets the frame’s copy: strike prices of the chosen expiry, no stress cells, no analysis curves; getState keeps them all', async () => {
    const { syntheticChain, meta: synthMeta } = await import('../helpers/workerChain');
    const engine = createEngine();
    const seen: FrameState[] = [];
    await engine.subscribe((s) => void seen.push(s));
    await engine.setChain(syntheticChain({ weekly: true }), synthMeta);
    const whole = await engine.getState();
    if (whole.status !== 'ready' || !whole.analysis || !whole.plan) throw new Error('expected an analysis and a plan');
    const a = whole.analysis;
    expect(a.chosenExpiry).not.toBeNull();
    expect(a.expiries.length).toBeGreaterThan(1);
    expect(a.expiries.every((e) => e.strikes.length > 0)).toBe(true);
    expect(a.pnlCurves.length).toBeGreaterThan(0);
    expect(whole.plan.tickets.length).toBeGreaterThan(0);
    expect(whole.plan.tickets.every((t) => t.stress.cells.length > 0)).toBe(true);
    expect(whole.plan.combined.cells.length).toBeGreaterThan(0);
    const got = seen[seen.length - 1]!;
    if (got.status !== 'ready' || !got.analysis || !got.plan) throw new Error('expected an analysis and a plan');
    const g = got.analysis;
    expect(g.chosenExpiry).toBe(a.chosenExpiry);
    expect(g.expiries.map((e) => e.date)).toEqual(a.expiries.map((e) => e.date));
    g.expiries.forEach((e, i) => {
      const { strikes, ...rest } = a.expiries[i]!;
      expect(e.strikes).toEqual(i === g.chosenExpiry ? strikes.map((k) => ({ strike: k.strike })) : []);
      expect({ ...e, strikes: [] }).toEqual({ ...rest, strikes: [] });
    });
    expect('pnlCurves' in g).toBe(false);
    expect({ ...g, expiries: [] }).toEqual({ ...a, pnlCurves: undefined, expiries: [] });
    // The tickets and the combined position without their cells, every other figure as it is.
    got.plan.tickets.forEach((t, i) => {
      const full = whole.plan!.tickets[i]!;
      expect('cells' in t.stress).toBe(false);
      expect({ ...t, stress: { ...t.stress, cells: full.stress.cells } }).toEqual(full);
    });
    expect('cells' in got.plan.combined).toBe(false);
    expect({ ...got.plan, tickets: [], combined: { ...got.plan.combined, cells: [] } }).toEqual({
      ...whole.plan,
      tickets: [],
      combined: { ...whole.plan.combined, cells: [] },
    });
    // Everything else is the state itself.
    expect({ ...got, analysis: null, plan: null }).toEqual({ ...whole, analysis: null, plan: null });
  });

  test('a state computed for the feed carries its trace: received, computed, in order', async () => {
    const { engine, feed, seen } = await fedEngine();
    const whole = packChain(chain);
    const msg: FeedIn = { kind: 'push', id: 1, ...whole, meta: { ...meta, readAtEpochMs: Date.now() }, layout: 1 };
    feed.postMessage(msg, [whole.rows.buffer]);
    await expect.poll(() => seen.some((s) => s.status === 'ready')).toBe(true);
    const t = seen.find((s) => s.status === 'ready')!.trace!;
    expect(t.receivedAt).toBeLessThanOrEqual(t.computeStartAt);
    expect(t.computeStartAt).toBeLessThanOrEqual(t.computedAt);
    expect(t.engineAt).toBeLessThanOrEqual(t.receivedAt);
    // The states of the trader's own changes carry none (nothing came through the feed).
    await engine.setExpiry(null);
    expect(seen[seen.length - 1]!.trace).toBeUndefined();
  });

  test("a page's first chain is shown in two steps: the condor's figures first, then the plan and the panels'", async () => {
    const { feed, seen } = await fedEngine();
    const a = syntheticChain();
    const whole = packChain(a);
    feed.postMessage({ kind: 'push', id: 1, ...whole, meta: condorMeta, layout: 1 } satisfies FeedIn, [
      whole.rows.buffer,
    ]);
    const readies = () => seen.filter((s) => s.status === 'ready');
    await expect.poll(() => readies().some((s) => !s.firstLook)).toBe(true);
    const [first, full] = readies();
    expect(readies()).toHaveLength(2);
    // The first look: the condor and its risk, none of what only the plan and the panels need.
    expect(first!.firstLook).toBe(true);
    expect(first!.analysis!.condor).not.toBeNull();
    expect(first!.plan).toBeNull();
    expect(first!.management).toBeNull();
    expect(first!.curves).toBeNull();
    expect(first!.analysis!.grid).toBeNull();
    // The whole state next, with the same condor figures.
    expect(full!.firstLook).toBeUndefined();
    expect(full!.seq).toBe(first!.seq + 1);
    expect(full!.plan).not.toBeNull();
    expect(full!.management).not.toBeNull();
    expect(full!.curves).not.toBeNull();
    expect(full!.analysis!.grid).not.toBeNull();
    const figures = (s: FrameState) => {
      const c = s.status === 'ready' ? s.analysis!.condor! : null;
      return c && [c.strikes, c.creditUsed, c.maxLossDollars, c.breakevenLower, c.breakevenUpper, c.greeks];
    };
    expect(figures(first!)).toEqual(figures(full!));
    expect(first!.trace!.receivedAt).toBe(full!.trace!.receivedAt);
    // A tick of the same chain and a new layout of it are not first looks: the trader already sees the numbers.
    const tick = syntheticChain();
    tick.expiries[0]!.rows[3]!.call!.bid! += 0.05;
    feed.postMessage({ kind: 'patch', id: 2, patch: patchOf(1, tick, diffChain(a, tick)!), meta: condorMeta });
    await expect.poll(() => readies().length).toBe(3);
    const again = packChain(tick);
    feed.postMessage({ kind: 'push', id: 3, ...again, meta: condorMeta, layout: 2 } satisfies FeedIn, [
      again.rows.buffer,
    ]);
    await expect.poll(() => readies().length).toBe(4);
    expect(
      readies()
        .slice(2)
        .map((s) => s.firstLook),
    ).toEqual([undefined, undefined]);
  });

  test('what is read back whole (getState, a snapshot, the page view) is never a first look', async () => {
    // Each asked in the moment a first look is published (from its subscriber, before the whole state's turn).
    const askedDuringFirstLook = async <T>(ask: (engine: EngineApi) => Promise<T>): Promise<T> => {
      const engine = createEngine();
      const feed = new MessageChannel();
      ports.push(feed.port1, feed.port2);
      await engine.attachFeed(feed.port2);
      let answer: Promise<T> | null = null;
      await engine.subscribe((s) => {
        if (s.status === 'ready' && s.firstLook && !answer) answer = ask(engine);
      });
      const whole = packChain(syntheticChain());
      feed.port1.postMessage({ kind: 'push', id: 1, ...whole, meta: condorMeta, layout: 1 } satisfies FeedIn, [
        whole.rows.buffer,
      ]);
      await expect.poll(() => answer !== null).toBe(true);
      return answer!;
    };
    const state = await askedDuringFirstLook((e) => e.getState());
    expect(state.status).toBe('ready');
    expect(state.status === 'ready' && state.firstLook).toBeUndefined();
    expect(state.status === 'ready' && state.plan).toBeTruthy();
    expect((await askedDuringFirstLook((e) => e.pageView())).position!.stage).not.toBeNull();
    expect((await askedDuringFirstLook((e) => e.snapshotInput()))!.plan).not.toBeNull();
  });
});
