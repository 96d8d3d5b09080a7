/**
 * The content script's work on a broker page: find the chain, dock the overlay frame, connect the engine
 * through a MessagePort, keep the chain current, answer the popup. Everything heavy runs in the worker.
 */
import { browser } from 'wxt/browser';
import { wrap, type Remote } from 'comlink';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import type { ReadResult, TeachProfile } from '../brokers';
import { watchChain, type ChainWatch } from '../brokers/watch';
import { createDock, pageTheme, type Dock } from './dock';
import { createPicker } from './picker';
import { createCostMeter } from './cost';
import { clearMarks, createMarker } from './marks';
import { watchMarkPositionRows } from '../storage/pagePrefs';
import { readSiteProfile } from '../storage/profileCheck';
import { startTeachMode, type TeachSession } from './teachMode';
import { transfer } from 'comlink';
import type { EngineApi, ChainMeta, FeedIn, FeedOut, PageView } from '../worker/engine';
import type { ChainSummary } from '../engine/summary';
import type { Chain } from '../chain/types';
import { chainShape, diffByIdentity, diffChain, packChain, patchOf, type RowChange } from '../chain/patch';
import {
  isMessage,
  type TabStatus,
  type TeachReply,
  type ToContent,
  type ToBackground,
  type PageToFrame,
  type FrameToPage,
} from '../messages';

/** Stop looking for a chain on a page that never shows one after this long (ms). */
const DETECT_GIVE_UP_MS = 120_000;
/**
 * A chain was read and the page shows none now (an SPA moved to another view): after this long the overlay goes
 * and the popup says so, instead of showing the last chain as if it were live. (A redraw that drops the table for
 * a frame is not a page without a chain.)
 */
const CHAIN_GONE_MS = 2000;

export interface ContentState {
  status: TabStatus;
  dock: Dock | null;
  engine: Remote<EngineApi> | null;
  /** The chain line of the latest engine update. */
  lastSummary?: ChainSummary;
}

export function startContent(ctx: ContentScriptContext, doc: Document = document): ContentState {
  const state: ContentState = { status: { state: 'reading' }, dock: null, engine: null };
  let lastResult: ReadResult | null = null;
  /**
   * The chain the worker holds (to send it only what changed): the reader's layout number for it, the number it
   * was pushed to the worker with, and its shape string once one was needed.
   */
  let lastSent: { chain: Chain; readerLayout: number | undefined; sentLayout: number; shape: string | null } | null =
    null;
  let layoutSeq = 0;
  /** The feed port to the worker (see EngineApi.attachFeed); nothing sent on it is answered unless refused. */
  let feed: MessagePort | null = null;
  let feedSeq = 0;
  /** The id of the last whole chain sent: a refusal of a patch sent before it is already mended. */
  let lastPushId = 0;
  const send = (msg: FeedIn, transfers: Transferable[] = []): void => {
    feed?.postMessage(msg, transfers);
  };
  let connecting: Promise<Remote<EngineApi> | null> | null = null;
  let userHidden = false;

  browser.runtime.onMessage.addListener((message: unknown) => {
    if (isMessage<ToContent>(message, 'hedgelens:status')) return statusNow();
    if (isMessage<ToContent>(message, 'hedgelens:teach')) return Promise.resolve(teach());
    if (isMessage<ToContent>(message, 'hedgelens:toggle-overlay')) {
      if (state.dock) {
        userHidden = state.dock.isVisible();
        state.dock.setVisible(!userHidden);
      }
      return Promise.resolve({ visible: state.dock?.isVisible() ?? false });
    }
    return undefined;
  });

  /** Strikes of the expiry the overlay shows (what a click on the chain can pick). */
  let shownStrikes = new Set<number>();
  const tellFrame = (msg: PageToFrame) => {
    const frameOrigin = new URL(browser.runtime.getURL('/overlay.html')).origin;
    state.dock?.iframe.contentWindow?.postMessage(msg, frameOrigin);
  };
  const picker = createPicker({
    doc,
    strikes: () => shownStrikes,
    signal: ctx.signal,
    onProgress: (strikes) => tellFrame({ type: 'hedgelens:picked', strikes, picking: picker.active }),
    onDone: (strikes) => {
      tellFrame({ type: 'hedgelens:picked', strikes: [], picking: false });
      void state.engine?.setPosition({ kind: 'strikes', strikes, quantity: 1 });
    },
  });

  const marker = createMarker(doc, doc);
  /** HedgeLens's own main-thread time per update on this page (shown in the overlay's reading report). */
  const cost = createCostMeter();
  // Legs and breakevens on the page are position data: only when the trader turned them on (Options).
  let markPositionRows = false;
  const stopWatchingPref = watchMarkPositionRows((on) => {
    markPositionRows = on;
    // The worker tells the page of a moved leg or breakeven row only when the page marks them.
    send({ kind: 'uses', id: ++feedSeq, positionRows: on });
    if (pendingMarks !== undefined) scheduleMarks(pendingMarks);
  });
  ctx.onInvalidated(stopWatchingPref);
  let pendingMarks: PageView['marks'] | undefined;
  let marksScheduled = false;
  /** Row marks are cosmetic: applied when the page's main thread is idle, newest spec only. */
  /**
   * The expiry the overlay shows and its strikes. They change only when the chain's shape does (a tick changes
   * quotes, not strikes), so they are rebuilt only then, not on every update.
   */
  let shownCache: { key: string; index: number; date: string; strikes: number[]; set: Set<number> } | null = null;
  const shownExpiry = () => {
    if (!lastResult?.ok) return null;
    const expiries = lastResult.chain.expiries;
    const index = Math.max(
      0,
      expiries.findIndex((x) => x.date === state.lastSummary?.expiry),
    );
    const e = expiries[index];
    if (!e) return null;
    const key = `${lastSent?.sentLayout ?? ''}|${index}|${e.date}|${e.root ?? ''}|${e.rows.length}`;
    if (shownCache?.key !== key) {
      const strikes = e.rows.map((r) => r.strike);
      shownCache = { key, index, date: e.date, strikes, set: new Set(strikes) };
    }
    return shownCache;
  };
  const scheduleMarks = (marks: PageView['marks']) => {
    pendingMarks = marks;
    if (marksScheduled) return;
    marksScheduled = true;
    // The page's own requestIdleCallback: the context's wrapper adds an abort listener per call that is never
    // removed (ten per second on a ticking chain, for as long as the page is open).
    requestIdleCallback(
      () => {
        marksScheduled = false;
        const m = pendingMarks;
        if (ctx.signal.aborted || m === undefined) return;
        const t0 = performance.now();
        const shown = shownExpiry();
        if (!m || !shown || m.expiry !== shown.date) marker.clear();
        else {
          // The rows as the reader read them: no scan of the page for strike cells (~14 ms on 1,000 rows).
          const layout = lastResult?.ok ? lastResult.layout : undefined;
          const reader = chainWatch;
          marker.apply(
            shown.strikes,
            markPositionRows
              ? { legs: m.legs, breakevens: m.breakevens, expectedMove: m.expectedMove, hedges: [] }
              : { legs: [], breakevens: null, expectedMove: m.expectedMove, hedges: [] },
            layout,
            reader ? (i) => reader.rowOf(layout, shown.index, i) : undefined,
          );
        }
        cost.add(performance.now() - t0, 'marks');
      },
      { timeout: 500 },
    );
  };
  /** Each engine update as the page needs it: status for the popup, strikes for picking, the row marks. */
  const onPageView = (v: PageView) => {
    // The signal, not ctx.isInvalid (a runtime lookup per call): the context's interval notices an invalidation.
    if (ctx.signal.aborted) return;
    // The page shows no chain now (see chainGone): the engine's view is of the last one, not of this page.
    if (lastResult?.ok === false) return;
    if (v.status === 'error') state.status = { state: 'error', message: v.message ?? 'the engine failed' };
    if (v.status !== 'ready' || !v.summary) return;
    state.lastSummary = v.summary;
    state.status = {
      state: 'ready',
      summary: v.summary,
      rowsDropped: lastResult?.report.rowsDropped ?? 0,
      adapter: lastResult?.report.adapter ?? 'unknown',
      position: v.position,
    };
    shownStrikes = shownExpiry()?.set ?? new Set();
    scheduleMarks(v.marks);
  };

  /**
   * The tab's status for the popup. The page views that come on every update leave out the figures that move on
   * every tick (see pageViewKey), so the current view is asked for here (at most half a second: a stalled engine
   * gets the last status, not a popup that waits).
   */
  const statusNow = async (): Promise<TabStatus> => {
    if (teaching?.active) return { state: 'teaching' };
    const engine = state.engine;
    if (engine && state.status.state === 'ready') {
      const view = await Promise.race([
        engine.pageView().catch(() => null),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), 500)),
      ]);
      if (view) onPageView(view);
    }
    return state.status;
  };

  /**
   * A handshake with the frame: a fresh one-time nonce registered with the background first, then a MessagePort
   * posted to the frame with it. Runs once when the frame first says it is ready, and again whenever the frame
   * restarted its worker and says so (the old port then leads nowhere).
   */
  const handshake = async (dock: Dock, frameOrigin: string, nonce: string | null) => {
    if (nonce === null) {
      nonce = crypto.randomUUID();
      const register: ToBackground = { type: 'hedgelens:register-frame', nonce };
      await browser.runtime.sendMessage(register);
    }
    if (ctx.isInvalid) return null;
    const channel = new MessageChannel();
    const hello: PageToFrame = { type: 'hedgelens:connect', nonce };
    dock.iframe.contentWindow?.postMessage(hello, frameOrigin, [channel.port2]);
    channel.port1.start();
    const engine = wrap<EngineApi>(channel.port1);
    state.engine = engine;
    // Chains and patches go, page views come, on a feed port of its own: one message each way per update.
    const feedChannel = new MessageChannel();
    feedChannel.port1.onmessage = (ev: MessageEvent<FeedOut>) => {
      const t0 = performance.now();
      const m = ev.data;
      if (m.kind === 'view') onPageView(m.view);
      else if (m.id > lastPushId && lastResult?.ok && !ctx.signal.aborted) {
        // A patch did not fit the worker's chain (it restarted, or missed one): the whole chain goes again.
        lastSent = null;
        publish(lastResult);
      }
      cost.add(performance.now() - t0, 'answer');
    };
    feed = feedChannel.port1;
    void engine.attachFeed(transfer(feedChannel.port2, [feedChannel.port2]));
    send({ kind: 'uses', id: ++feedSeq, positionRows: markPositionRows });
    return engine;
  };

  const connect = (): Promise<Remote<EngineApi> | null> => {
    if (connecting) return connecting;
    connecting = (async () => {
      const nonce = crypto.randomUUID();
      const register: ToBackground = { type: 'hedgelens:register-frame', nonce };
      await browser.runtime.sendMessage(register);
      const frameUrl = browser.runtime.getURL('/overlay.html');
      const frameOrigin = new URL(frameUrl).origin;
      // A dock left by an earlier instance of this content script (the extension was reloaded or updated) goes first:
      // one dock per page, ever.
      for (const stale of doc.querySelectorAll('hedgelens-dock')) stale.remove();
      // The theme is the only thing the frame's URL carries: no data, just how to look.
      const dock = createDock(doc, `${frameUrl}#theme=${pageTheme(doc)}`);
      state.dock = dock;
      ctx.onInvalidated(() => {
        dock.remove();
        clearMarks(doc);
      });
      return await new Promise<Remote<EngineApi> | null>((resolve) => {
        let firstNonce: string | null = nonce;
        ctx.addEventListener(window, 'message', (event: MessageEvent) => {
          if (event.source !== dock.iframe.contentWindow) return;
          const data = event.data as FrameToPage;
          if (isMessage<FrameToPage>(data, 'hedgelens:frame-size') && data.type === 'hedgelens:frame-size') {
            // The frame's own requests to its dock (collapse/expand, pick strikes on the chain).
            dock.setCollapsed(Boolean(data.collapsed));
          } else if (isMessage<FrameToPage>(data, 'hedgelens:pick') && data.type === 'hedgelens:pick') {
            if (data.on) picker.start();
            else picker.stop();
          } else if (isMessage<FrameToPage>(data, 'hedgelens:teach')) {
            teach();
          } else if (isMessage<FrameToPage>(data, 'hedgelens:frame-ready')) {
            // First time: the nonce registered above. Again later: the frame restarted its engine; a new nonce,
            // a new port, and the whole chain again (the new worker holds nothing).
            const use = firstNonce;
            firstNonce = null;
            const again = use === null;
            void handshake(dock, frameOrigin, use)
              .then(async (engine) => {
                resolve(engine);
                if (again && engine) {
                  // The new worker holds nothing: the newest reading goes whole.
                  lastSent = null;
                  if (lastResult) publish(lastResult);
                }
              })
              .catch((err: unknown) => {
                state.status = { state: 'error', message: `Could not reconnect the overlay: ${String(err)}` };
              });
          }
        });
      });
    })().catch((err: unknown) => {
      state.status = { state: 'error', message: `Could not start the overlay: ${String(err)}` };
      return null;
    });
    return connecting;
  };

  /**
   * The send's time: inside the reader's task (onChange, below) it is part of the time that task reports and is
   * only told apart from the reading; later (after the worker's answer, or a connect) it is time of its own.
   */
  let inReadTask: 'update' | 'first' | null = null;
  let sendInReadTask = 0;
  const sendCost = (ms: number) => {
    if (inReadTask === 'update') sendInReadTask += ms;
    else if (inReadTask === null) cost.add(ms, 'send');
    // The first reading is not an update (its time is the load's, measured by the bench as such).
  };
  /**
   * Each reading goes to the worker at once, and nothing waits for an answer: a patch is a few rows, and the worker
   * takes together what comes faster than it computes. Before the frame is connected, only the newest reading waits.
   */
  let connectingToSend = false;
  let goneTimer: ReturnType<typeof setTimeout> | null = null;
  const publish = (result: ReadResult): void => {
    lastResult = result;
    if (!result.ok) {
      // Nothing intrusive on a page without a chain: only the popup says so.
      if (state.status.state !== 'ready') state.status = { state: 'no-chain', reason: result.reason };
      else goneTimer ??= setTimeout(chainGone, CHAIN_GONE_MS);
      return;
    }
    if (goneTimer !== null) {
      clearTimeout(goneTimer);
      goneTimer = null;
    }
    if (feed) {
      sendReading(result);
      return;
    }
    if (connectingToSend) return;
    connectingToSend = true;
    void connect().then(() => {
      connectingToSend = false;
      if (feed && lastResult?.ok) sendReading(lastResult);
    });
  };

  /** The chain has been gone for CHAIN_GONE_MS: no overlay, no marks; the next chain read goes to the worker whole. */
  const chainGone = () => {
    goneTimer = null;
    if (ctx.signal.aborted || !lastResult || lastResult.ok) return;
    state.status = { state: 'no-chain', reason: lastResult.reason };
    state.dock?.setVisible(false);
    marker.clear();
    shownStrikes = new Set();
    lastSent = null;
  };

  const sendReading = (result: ReadResult & { ok: true }) => {
    if (ctx.signal.aborted || !state.engine) return;
    const t0 = performance.now();
    const meta: ChainMeta = {
      adapter: result.report.adapter,
      rowsRead: result.report.rowsRead,
      rowsDropped: result.report.rowsDropped,
      confidence: result.report.confidence,
      site: location.hostname,
      pageUrl: location.origin + location.pathname,
      pageTitle: doc.title,
      vixSightings: result.vixSightings,
      readAtEpochMs: Date.now(),
      pageCost: cost.summary(),
    };
    // Only the rows that changed cross to the worker when the chain keeps its layout, packed in a transferred
    // buffer; the state comes back through the page-view port (compact, and only when the page has a use for it).
    const prev = lastSent;
    let changes: RowChange[] | null = null;
    if (prev) {
      // The reader's own layout number: compare rows by identity (no string of every strike, no quote compare).
      if (result.layout !== undefined && result.layout === prev.readerLayout)
        changes = diffByIdentity(prev.chain, result.chain);
      if (!changes) changes = diffChain(prev.chain, result.chain, (prev.shape ??= chainShape(prev.chain)));
    }
    if (prev && changes) {
      const patch = patchOf(prev.sentLayout, result.chain, changes);
      send({ kind: 'patch', id: ++feedSeq, patch, meta }, [patch.rows.buffer]);
      lastSent = { chain: result.chain, readerLayout: result.layout, sentLayout: prev.sentLayout, shape: prev.shape };
    } else {
      const sentLayout = ++layoutSeq;
      lastPushId = ++feedSeq;
      const whole = packChain(result.chain);
      send({ kind: 'push', id: lastPushId, ...whole, meta, layout: sentLayout }, [whole.rows.buffer]);
      lastSent = { chain: result.chain, readerLayout: result.layout, sentLayout, shape: null };
    }
    sendCost(performance.now() - t0);
    // Only when it changes: showing the dock measures it (a forced layout, 150-250 ms on a 20,000-row page).
    if (state.dock && !userHidden && !state.dock.isVisible()) state.dock.setVisible(true);
  };

  // Live reading: the reader's watcher batches mutations to animation frames and re-reads only changed rows.
  // A page that shows no chain for DETECT_GIVE_UP_MS is left alone until the SPA navigates.
  let watch: AbortController | null = null;
  /** The running watcher (its rows serve the row marks). */
  let chainWatch: ChainWatch | null = null;
  /** The layout the trader taught for this site (teach mode), if any: it reads the page instead of the detector. */
  let profile: TeachProfile | null = null;
  const startWatching = () => {
    watch?.abort();
    const controller = new AbortController();
    watch = controller;
    ctx.signal.addEventListener('abort', () => controller.abort());
    const startedAt = performance.now();
    let everFound = false;
    chainWatch = watchChain(doc.body ?? doc.documentElement, {
      signal: controller.signal,
      read: { url: location.href, title: doc.title, profile: profile ?? undefined },
      now: () => new Date(),
      onFlush: (ms) => {
        cost.begin(ms, { send: sendInReadTask });
        sendInReadTask = 0;
      },
      onChange: (result, update) => {
        everFound ||= result.ok;
        if (!everFound && performance.now() - startedAt > DETECT_GIVE_UP_MS) controller.abort();
        inReadTask = update ? 'update' : 'first';
        try {
          publish(result);
        } finally {
          inReadTask = null;
        }
      },
    });
  };
  // The taught profile is read before the first reading (one storage read; none stored: the detector reads).
  void readSiteProfile(location.host).then((p) => {
    profile = p;
    if (!ctx.isInvalid) startWatching();
  });
  ctx.addEventListener(window, 'wxt:locationchange', () => void startWatching());
  // Teach mode (the popup's or the overlay's "Teach this page"): the trader clicks one row's strike and bid cells;
  // the saved profile reads this site from then on, starting now.
  let teaching: TeachSession | null = null;
  const teach = (): TeachReply => {
    if (teaching?.active) return { ok: true };
    // The overlay may cover rows the trader needs to click: out of the way while teaching.
    const dockShown = state.dock?.isVisible() === true;
    if (dockShown) state.dock?.setVisible(false);
    const done = () => {
      teaching = null;
      if (dockShown && !userHidden) state.dock?.setVisible(true);
    };
    teaching = startTeachMode({
      doc,
      signal: ctx.signal,
      host: location.host,
      url: location.href,
      title: doc.title,
      onSaved: (saved) => {
        profile = saved;
        done();
        startWatching();
      },
      onCancel: done,
    });
    return { ok: true };
  };
  // A page that replaces its whole chain container (an SPA re-rendering the table) is read again by the watcher
  // itself: it notices its grid left the page.
  // An extension reloaded or updated mid-session leaves this script orphaned (browser.runtime.id gone): the
  // context's interval notices within a second and the dock and marks go with it (ctx.onInvalidated above).
  ctx.setInterval(() => undefined, 1000);
  return state;
}
