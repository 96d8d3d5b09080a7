// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { readChain } from '../../src/brokers';
import { clickToBuild } from '../../src/content/features/clickToBuild';
import { overlayDock } from '../../src/content/features/overlayDock';
import { popupBridge } from '../../src/content/features/popupBridge';
import { CHAIN_GONE_MS, readerFeed } from '../../src/content/features/readerFeed';
import { rowMarks } from '../../src/content/features/rowMarks';
import { teach } from '../../src/content/features/teach';
import { unreadLine } from '../../src/content/features/unreadLine';
import { toolbarBadge } from '../../src/content/features/toolbarBadge';
import { createBus } from '../../src/content/page';
import { TEACH_TAG, TEACHING_ATTR } from '../../src/content/teachMode';
import { acceptView } from '../../src/content/view';
import type { Dock } from '../../src/content/dock';
import {
  getUnreadLineOnPage,
  setMarkPositionRows,
  setNotifyShortDelta,
  setUnreadLineOnPage,
} from '../../src/storage/pagePrefs';
import {
  buildChainPage,
  fakeDock,
  featureContext,
  frames,
  idleQueue,
  marksOn,
  readyView,
  rowOfStrike,
  trackListeners,
  trackObservers,
} from './pageHelpers';

const EXPIRY = '2026-03-20';
const click = (el: Element) => {
  const ev = new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 });
  el.dispatchEvent(ev);
  return ev;
};
/** Lets pending promise callbacks and storage events run (no time passes for anything else). */
const settle = () => new Promise((r) => setTimeout(r, 0));

let listeners: ReturnType<typeof trackListeners>;
beforeEach(() => {
  fakeBrowser.reset();
  buildChainPage(document);
  listeners = trackListeners();
});
afterEach(() => {
  listeners.restore();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('the page bus', () => {
  test('delivers to each listener; a listener that stops during an emit does not cost the next one its call', () => {
    const bus = createBus();
    const seen: string[] = [];
    const offA = bus.on('pick', (on) => {
      seen.push(`a${on}`);
      offA();
    });
    bus.on('pick', (on) => seen.push(`b${on}`));
    bus.emit('pick', true);
    bus.emit('pick', false);
    expect(seen).toEqual(['atrue', 'btrue', 'bfalse']);
  });
});

describe('popup bridge', () => {
  test('answers status, teach and toggle; after its teardown the popup gets no answer from this page', async () => {
    const { ctx } = featureContext();
    const dock = fakeDock(true);
    ctx.state.dock = dock as unknown as Dock;
    const teachAsked = vi.fn();
    ctx.bus.on('teach', teachAsked);
    ctx.bus.on('toggle', () => dock.setVisible(!dock.isVisible())); // the dock feature's part, here by hand
    const stop = popupBridge(ctx);

    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:status' }, {})).toEqual([
      { state: 'reading' },
    ]);
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:teach' }, {})).toEqual([{ ok: true }]);
    expect(teachAsked).toHaveBeenCalledTimes(1);
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:toggle-overlay' }, {})).toEqual([
      { visible: false },
    ]);
    // Teaching: the popup says so instead of asking the engine.
    ctx.state.teaching = true;
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:status' }, {})).toEqual([
      { state: 'teaching' },
    ]);

    stop();
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'none' }, {})).toHaveLength(0); // no listener left
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:status' }, {})).toEqual([]);
  });

  test('a ready tab asks the engine for the view of this moment', async () => {
    const { ctx, engine, connect } = featureContext();
    await connect();
    buildChainPage(document);
    ctx.state.reading = readChain(document, { title: document.title });
    acceptView(ctx, readyView(EXPIRY, null));
    engine.pageView.mockResolvedValueOnce({ ...readyView(EXPIRY, null), position: null, seq: 2 });
    const stop = popupBridge(ctx);
    const [status] = (await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:status' }, {})) as unknown[];
    expect(engine.pageView).toHaveBeenCalledTimes(1);
    expect(status).toMatchObject({ state: 'ready', summary: { expiry: EXPIRY } });
    stop();
  });
});

describe('overlay dock', () => {
  test('shows on a sent reading unless the trader hid it or is teaching, hides when the chain is gone, collapses; inert after teardown', () => {
    const { ctx } = featureContext();
    const dock = fakeDock(false);
    ctx.state.dock = dock as unknown as Dock;
    const stop = overlayDock(ctx);
    ctx.bus.emit('sent');
    expect(dock.isVisible()).toBe(true);
    ctx.bus.emit('toggle');
    expect([dock.isVisible(), ctx.state.userHidden]).toEqual([false, true]);
    ctx.bus.emit('sent');
    expect(dock.isVisible()).toBe(false); // the trader's choice stands
    ctx.bus.emit('toggle');
    expect([dock.isVisible(), ctx.state.userHidden]).toEqual([true, false]);
    // Teaching: a reading sent meanwhile leaves the dock out of the way.
    dock.setVisible(false);
    ctx.state.teaching = true;
    ctx.bus.emit('sent');
    expect(dock.isVisible()).toBe(false);
    ctx.state.teaching = false;
    ctx.bus.emit('sent');
    expect(dock.isVisible()).toBe(true);
    ctx.bus.emit('collapse', true);
    expect(dock.isCollapsed()).toBe(true);
    ctx.bus.emit('gone');
    expect(dock.isVisible()).toBe(false);

    stop();
    ctx.bus.emit('sent');
    ctx.bus.emit('collapse', false);
    expect([dock.isVisible(), dock.isCollapsed()]).toEqual([false, true]);
  });
});

describe('row marks', () => {
  test('marks the band from each view when idle, the position only when allowed; teardown leaves no mark, no timer, no watcher', async () => {
    const idle = idleQueue();
    const { ctx, sent, connect } = featureContext();
    await connect();
    ctx.state.reading = readChain(document, { title: document.title });
    expect(ctx.state.reading.ok).toBe(true);
    const stop = rowMarks(ctx);
    await settle(); // the stored preference arrives (off)
    expect(sent).toEqual([{ kind: 'uses', id: 1, positionRows: false, shortDelta: false }]);

    const marks = { expiry: EXPIRY, legs: [5950, 5960, 6040, 6050], breakevens: [5955, 6045] as [number, number] };
    acceptView(ctx, readyView(EXPIRY, { ...marks, expectedMove: [5980, 6020] }));
    expect(marksOn(document, 'em')).toEqual([]); // not before the page is idle
    idle.run();
    expect(marksOn(document, 'em')).toEqual([5980, 5990, 6000, 6010, 6020]);
    expect(marksOn(document, 'leg')).toEqual([]); // position data: off unless the trader turned it on

    await setMarkPositionRows(true);
    await settle();
    expect(sent.at(-1)).toMatchObject({ kind: 'uses', positionRows: true });
    idle.run();
    expect(marksOn(document, 'leg')).toEqual([5950, 5960, 6040, 6050]);

    ctx.bus.emit('gone');
    expect(document.querySelectorAll('[data-hedgelens-mark]')).toHaveLength(0);

    acceptView(ctx, readyView(EXPIRY, { ...marks, expectedMove: [5990, 6010] }));
    idle.run();
    acceptView(ctx, readyView(EXPIRY, { ...marks, expectedMove: [5970, 6030] }));
    expect(idle.pending()).toBe(1);
    stop();
    expect(idle.pending()).toBe(0);
    expect(document.querySelectorAll('[data-hedgelens-mark]')).toHaveLength(0);
    const before = sent.length;
    await setMarkPositionRows(false);
    await settle();
    expect(sent).toHaveLength(before);
    expect(await fakeBrowser.storage.onChanged.trigger({}, 'local')).toHaveLength(0); // no listener left
  });
});

describe('click-to-build', () => {
  test('the frame starts picking; four picks become the position; teardown stops picking and leaves the page as it was', async () => {
    const { ctx, told, engine, connect } = featureContext();
    await connect();
    ctx.state.shownStrikes = new Set([5950, 5960, 6040, 6050, 6000]);
    const stop = clickToBuild(ctx);
    ctx.bus.emit('pick', true);
    expect(told.at(-1)).toEqual({ type: 'hedgelens:picked', strikes: [], picking: true });
    for (const k of [6050, 5950, 6040])
      expect(click(rowOfStrike(document, k).children[0]!).defaultPrevented).toBe(true);
    expect(told.at(-1)).toEqual({ type: 'hedgelens:picked', strikes: [5950, 6040, 6050], picking: true });
    click(rowOfStrike(document, 5960).children[1]!);
    expect(engine.setPosition).toHaveBeenCalledWith({
      kind: 'strikes',
      strikes: [5950, 5960, 6040, 6050],
      quantity: 1,
    });
    expect(told.at(-1)).toEqual({ type: 'hedgelens:picked', strikes: [], picking: false });
    expect(listeners.left()).toEqual([]);

    ctx.bus.emit('pick', true);
    click(rowOfStrike(document, 6000).children[0]!);
    expect(document.querySelectorAll('[data-hedgelens-mark~="pick"]')).toHaveLength(1);
    expect(listeners.left().length).toBeGreaterThan(0);
    stop();
    expect(listeners.left()).toEqual([]);
    expect(document.querySelectorAll('[data-hedgelens-mark]')).toHaveLength(0);
    expect(document.documentElement.classList.contains('hedgelens-picking')).toBe(false);
    expect(click(rowOfStrike(document, 5950).children[0]!).defaultPrevented).toBe(false);
    ctx.bus.emit('pick', true);
    expect(document.documentElement.classList.contains('hedgelens-picking')).toBe(false);
  });
});

describe('teach mode', () => {
  test('the popup or the frame starts it with the dock out of the way; teardown removes the bar and its listeners', () => {
    const { ctx } = featureContext();
    const dock = fakeDock(true);
    ctx.state.dock = dock as unknown as Dock;
    const stop = teach(ctx);
    ctx.bus.emit('teach');
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(1);
    expect(ctx.state.teaching).toBe(true);
    expect(dock.isVisible()).toBe(false);
    ctx.bus.emit('teach'); // one session at a time
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(1);
    expect(listeners.left().length).toBeGreaterThan(0);

    stop();
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(0);
    expect(document.documentElement.hasAttribute(TEACHING_ATTR)).toBe(false);
    expect(ctx.state.teaching).toBe(false);
    expect(dock.isVisible()).toBe(true);
    expect(listeners.left()).toEqual([]);
    ctx.bus.emit('teach');
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(0);
  });
});

describe('the unread-chain line', () => {
  test('shows on a chain-like page the reader could not read; goes when a chain is read, on teach, on teardown', async () => {
    const chain = readChain(document);
    if (!chain.ok) throw new Error(chain.reason);
    const report = chain.report;
    const unread = { ok: false as const, reason: 'no column headed Strike', report, chainLike: true as const };
    const { ctx } = featureContext();
    const stop = unreadLine(ctx);
    const shown = () => document.querySelectorAll('hedgelens-notice').length;
    ctx.bus.emit('reading', { ok: false, reason: 'no table or grid on the page', report });
    expect(shown()).toBe(0); // nothing chain-like: only the popup says so
    ctx.bus.emit('reading', unread);
    ctx.bus.emit('reading', unread);
    await expect.poll(shown).toBe(1); // once the trader's preference is read (on by default)
    ctx.bus.emit('reading', unread);
    expect(shown()).toBe(1); // one line, not one per reading
    ctx.bus.emit('reading', chain);
    expect(shown()).toBe(0);
    ctx.bus.emit('reading', unread);
    expect(shown()).toBe(1);
    ctx.bus.emit('teach');
    expect(shown()).toBe(0);
    ctx.bus.emit('reading', unread);
    expect(shown()).toBe(1);
    stop();
    expect(shown()).toBe(0);
    expect(listeners.left()).toEqual([]);
    ctx.bus.emit('reading', unread);
    expect(shown()).toBe(0);
  });
  test('the trader prefers the popup alone: no line on the page; the popup’s Report opens the report here; turned on again, the line is back', async () => {
    const chain = readChain(document);
    if (!chain.ok) throw new Error(chain.reason);
    const unread = {
      ok: false as const,
      reason: 'no column headed Strike',
      report: chain.report,
      chainLike: true as const,
    };
    await setUnreadLineOnPage(false);
    const roots: ShadowRoot[] = [];
    const attach = HTMLElement.prototype.attachShadow;
    const spy = vi.spyOn(HTMLElement.prototype, 'attachShadow').mockImplementation(function (
      this: HTMLElement,
      init: ShadowRootInit,
    ) {
      const root = attach.call(this, init);
      roots.push(root);
      return root;
    });
    try {
      const { ctx } = featureContext();
      const stop = unreadLine(ctx);
      const shown = () => document.querySelectorAll('hedgelens-notice').length;
      const preview = () => roots.at(-1)?.querySelector('[role="dialog"]')?.getAttribute('aria-label') ?? null;
      ctx.bus.emit('reading', unread);
      // The preference is read, and still nothing on the page.
      await expect.poll(() => getUnreadLineOnPage()).toBe(false);
      ctx.bus.emit('reading', unread);
      expect(shown()).toBe(0);
      // The popup's Report this page: the report opens on the page, for the trader to read before saving.
      ctx.bus.emit('report');
      expect(shown()).toBe(1);
      expect(preview()).toBe('Report this page');
      ctx.bus.emit('teach');
      expect(shown()).toBe(0);
      // Turned on again in Options: the line comes back on the next look, without a reload.
      await setUnreadLineOnPage(true);
      await expect.poll(shown).toBe(1);
      expect(preview()).toBeNull();
      stop();
      expect(shown()).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('reader feed', () => {
  test('a first reading that waits for the overlay to start says when it was made, beside when it was sent', async () => {
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const { ctx, sent } = featureContext({ connectGate: gate });
    const stop = readerFeed(ctx);
    try {
      await expect.poll(() => ctx.state.reading?.ok).toBe(true);
      const readingSeenAt = Date.now();
      // The overlay is still starting: nothing is sent. Once the clock has moved on, it is up.
      await expect.poll(() => Date.now() > readingSeenAt).toBe(true);
      expect(sent).toEqual([]);
      const openedAt = Date.now();
      open();
      await expect.poll(() => sent.map((m) => m.kind)).toEqual(['push']);
      const meta = sent[0]!.kind === 'push' ? sent[0]!.meta : null;
      expect(meta!.readSinceEpochMs).toBeLessThanOrEqual(readingSeenAt);
      expect(meta!.readAtEpochMs).toBeGreaterThanOrEqual(openedAt);
      // An update once connected: made and sent in one go.
      rowOfStrike(document, 6000).children[0]!.textContent = '25.65';
      await expect.poll(() => sent.map((m) => m.kind)).toEqual(['push', 'patch']);
      const patchMeta = sent[1]!.kind === 'patch' ? sent[1]!.meta : null;
      expect(patchMeta!.readSinceEpochMs).toBeGreaterThanOrEqual(openedAt);
      expect(patchMeta!.readSinceEpochMs).toBeLessThanOrEqual(patchMeta!.readAtEpochMs!);
    } finally {
      stop();
    }
  });

  test('sends the first reading whole and an update as a patch; the chain gone → the overlay goes; teardown stops the reader and its timer', async () => {
    const observers = trackObservers();
    try {
      const { ctx, sent, locationListeners } = featureContext();
      const gone = vi.fn();
      ctx.bus.on('gone', gone);
      const sentEvents = vi.fn();
      ctx.bus.on('sent', sentEvents);
      const stop = readerFeed(ctx);
      await expect.poll(() => sent.map((m) => m.kind)).toEqual(['push']);
      expect(sentEvents).toHaveBeenCalledTimes(1);
      const push = sent[0]!;
      expect(push.kind === 'push' && push.meta).toMatchObject({
        adapter: 'generic-table',
        rowsRead: 21,
        pageTitle: document.title,
      });
      expect(observers.observing()).toBeGreaterThan(0);
      expect(locationListeners.size).toBe(1);

      // One quote changes: only that row goes, as a patch of the chain the worker holds.
      rowOfStrike(document, 6000).children[0]!.textContent = '25.55';
      await expect.poll(() => sent.map((m) => m.kind)).toEqual(['push', 'patch']);
      const patch = sent[1]!;
      expect(patch.kind === 'patch' && patch.patch.rows.length).toBeGreaterThan(0);

      // The worker refused a patch: the whole chain again.
      ctx.bus.emit('refused');
      expect(sent.map((m) => m.kind)).toEqual(['push', 'patch', 'push']);

      // The engine's view made the tab ready; then the page drops its chain: after CHAIN_GONE_MS the overlay goes.
      acceptView(ctx, readyView(EXPIRY, null));
      expect(ctx.state.status.state).toBe('ready');
      const timeouts = vi.spyOn(globalThis, 'setTimeout');
      const clears = vi.spyOn(globalThis, 'clearTimeout');
      document.querySelector('table')!.remove();
      await expect.poll(() => ctx.state.reading?.ok).toBe(false);
      const goneAt = timeouts.mock.calls.findIndex(([, ms]) => ms === CHAIN_GONE_MS);
      expect(goneAt).toBeGreaterThanOrEqual(0);
      const goneTimer = timeouts.mock.results[goneAt]!.value as unknown;
      expect(gone).not.toHaveBeenCalled();

      stop();
      expect(clears).toHaveBeenCalledWith(goneTimer);
      expect(observers.observing()).toBe(0);
      expect(locationListeners.size).toBe(0);
      expect(ctx.state.chainWatch).toBeNull();
      // The page changes again: nothing reads it, nothing is sent.
      const n = sent.length;
      buildChainPage(document);
      await frames();
      await settle();
      expect(sent).toHaveLength(n);
      expect(gone).not.toHaveBeenCalled();
      expect(listeners.left()).toEqual([]);
    } finally {
      observers.restore();
    }
  });

  test('a page without a chain: the popup says so, and nothing is docked or sent', async () => {
    document.body.replaceChildren();
    const { ctx, sent } = featureContext();
    const stop = readerFeed(ctx);
    await expect.poll(() => ctx.state.status.state).toBe('no-chain');
    expect(sent).toEqual([]);
    expect(ctx.state.engine).toBeNull();
    stop();
  });
});

describe('the toolbar badge', () => {
  const glance = {
    legs: '2 × 640/645/685/690 2025-10-24',
    suggested: false,
    maxProfitDollars: 300,
    maxLossDollars: 700,
    probabilityOfProfit: 0.7,
    stage: 'calm' as const,
    threat: 'low' as const,
  };
  test('sends the stage and threat when they change, never the strikes; clears when the chain goes and at the end', () => {
    const sent: unknown[] = [];
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation(async (m: unknown) => {
      sent.push(m);
      return { ok: true };
    });
    const { ctx } = featureContext();
    const stop = toolbarBadge(ctx);
    ctx.bus.emit('position', glance);
    ctx.bus.emit('position', { ...glance, maxProfitDollars: 310 }); // figures move: nothing new for the badge
    ctx.bus.emit('position', { ...glance, stage: 'layer-one', threat: 'threatened' });
    ctx.bus.emit('gone');
    stop();
    expect(sent).toEqual([
      { type: 'hedgelens:badge', stage: 'calm', threat: 'low', symbol: null },
      { type: 'hedgelens:badge', stage: 'layer-one', threat: 'threatened', symbol: null },
      { type: 'hedgelens:badge', stage: null, threat: null, symbol: null },
    ]);
    expect(JSON.stringify(sent)).not.toMatch(/640|645|685|690/);
  });

  test('with the delta notification on: the largest short delta goes too, again on each new hundredth; the worker is told; nothing in the page', async () => {
    const sent: unknown[] = [];
    vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation(async (m: unknown) => {
      sent.push(m);
      return { ok: true };
    });
    const { ctx, sent: toWorker, connect } = featureContext();
    await connect();
    const pageBefore = document.documentElement.outerHTML;
    const stop = toolbarBadge(ctx);
    await settle(); // the stored preference arrives (off)
    expect(toWorker).toEqual([]);
    const short = { kind: 'put' as const, strike: 645, deltaAbs: 0.2849 };
    const withShort = { ...glance, shortDelta: short };
    ctx.bus.emit('position', withShort);
    expect(sent).toEqual([{ type: 'hedgelens:badge', stage: 'calm', threat: 'low', symbol: null }]);

    await setNotifyShortDelta({ on: true, threshold: 0.3 });
    await settle();
    expect(ctx.state.watchShortDelta).toBe(true);
    expect(toWorker).toEqual([{ kind: 'uses', id: 1, positionRows: false, shortDelta: true }]);
    // The position held in memory goes again at once, with its short delta.
    expect(sent.at(-1)).toEqual({
      type: 'hedgelens:badge',
      stage: 'calm',
      threat: 'low',
      symbol: null,
      shortDelta: { kind: 'put', strike: 645, deltaAbs: 0.2849 },
    });
    const count = sent.length;
    ctx.bus.emit('position', { ...withShort, shortDelta: { ...short, deltaAbs: 0.2801 } }); // same hundredth
    expect(sent.length).toBe(count);
    ctx.bus.emit('position', { ...withShort, shortDelta: { ...short, deltaAbs: 0.3 } }); // 0.30: a new one
    expect(sent.length).toBe(count + 1);
    expect(sent.at(-1)).toMatchObject({ shortDelta: { deltaAbs: 0.3 } });
    expect(document.documentElement.outerHTML).toBe(pageBefore);

    await setNotifyShortDelta({ on: false, threshold: 0.3 });
    await settle();
    expect(toWorker.at(-1)).toEqual({ kind: 'uses', id: 2, positionRows: false, shortDelta: false });
    expect(sent.at(-1)).toEqual({ type: 'hedgelens:badge', stage: 'calm', threat: 'low', symbol: null });
    stop();
  });
});
