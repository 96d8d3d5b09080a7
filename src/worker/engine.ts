/**
 * The engine API the worker exposes (comlink): a thin shell around the trader's session (src/engine/session). It
 * turns calls and the content script's feed into session inputs, recomputes, and pushes the state to the frame and
 * the page view to the page. Pure: no DOM, no browser API — tested in Node over MessageChannel.
 */
import { proxy } from 'comlink';
import type { Chain } from '../chain/types';
import { unpackChain, type ChainPatch } from '../chain/patch';
import {
  createSession,
  pageViewKey,
  pageViewOf,
  type AlvhInputs,
  type CurveRequest,
  type HedgeOrder,
  type PageLegs,
  type PageView,
  type JournalEntry,
  type PositionHedge,
  type PositionInput,
} from '../engine/session';
import { frameStateOf, type FrameState } from './frameState';
import { buildSnapshotInput } from '../storage/snapshotPayload';
import { overlayPosition, type StoredPosition } from '../storage/positionRecord';
import type { SnapshotInput } from '../storage/snapshots';

export type { AlvhInputs, CurveRequest, PageLegs, PageView, PositionInput };
export type { FrameState, FrameReadyState, PlanView, TicketView } from './frameState';
export type { ChainMeta, EngineState, FeedTrace, ReadyState } from './state';
import type { ChainMeta, EngineState } from './state';

/**
 * A subscriber. One across a port (the frame, through comlink) returns a promise for each delivery: until it settles,
 * the subscriber gets nothing more, and then only the newest state published meanwhile (see createEngine). It gets
 * the frame's copy of each state (frameState.ts): what the frame shows, without the bulk only the worker reads.
 */
export type StateListener = (state: FrameState) => void | PromiseLike<unknown>;

/**
 * What the content script sends on the feed port: a whole chain, or a patch of it, each numbered; and what it uses
 * of a page view (`positionRows`: it marks the position's rows, so the legs and breakevens matter to it;
 * `shortDelta`: the trader watches the short strikes' delta, so its moves by a hundredth matter too).
 */
export type FeedIn =
  /** A whole chain: `chain` without its rows, which come packed in `rows` (see packChain). */
  | { kind: 'push'; id: number; chain: Chain; rows: Float64Array; meta: ChainMeta; layout: number }
  | { kind: 'patch'; id: number; patch: ChainPatch; meta: ChainMeta }
  | { kind: 'uses'; id: number; positionRows: boolean; shortDelta?: boolean }
  /** The option positions a table of the page lists (null: none now); the frame offers them as the position. */
  | { kind: 'legs'; id: number; legs: PageLegs | null };

/**
 * What the worker sends back, only when there is something to say (nothing is acknowledged: a message the page's
 * main thread receives costs it a task): a page view when it changed in what the page uses (see pageViewKey), or
 * the refusal of a patch that did not fit (send the whole chain; every later patch of that layout is refused too).
 */
export type FeedOut = { kind: 'view'; view: PageView } | { kind: 'refused'; id: number };

export interface EngineApi {
  setChain(chain: Chain, meta: ChainMeta): Promise<EngineState>;
  /**
   * The content script's feed: chains (with the sender's layout number) and patches of them in, page views out,
   * on one port of its own (see FeedIn and FeedOut): one message in per update and none back unless the page has a
   * use for it, where comlink would add a reply and a proxy per call — the content script's main thread is the
   * broker's page's, and pays for every message. Updates that come faster than the engine computes are taken
   * together.
   */
  attachFeed(port: MessagePort): Promise<void>;
  /** The page view of the current state (the popup's status, with the figures of this moment). */
  pageView(): Promise<PageView>;
  setPosition(position: PositionInput): Promise<EngineState>;
  setExpiry(date: string | null): Promise<EngineState>;
  setAlvhInputs(inputs: Partial<AlvhInputs>): Promise<EngineState>;
  /** The VIX level typed by the trader, and optionally the prior close (null clears them). */
  setManualVix(level: number | null, priorClose?: number | null): Promise<EngineState>;
  /** Adds a hedge ticket's legs to the position (now) at the net fill per unit entered, else the natural price. */
  addHedge(ticket: HedgeOrder, fillPerUnit?: number | null): Promise<EngineState>;
  /** Closes a hedge at the net per unit entered (positive: received), else the natural price on the chain. */
  closeHedge(id: string, fillPerUnit?: number | null): Promise<EngineState>;
  /** Takes out a hedge added by mistake, with its journal entry. */
  removeHedge(id: string): Promise<EngineState>;
  /**
   * Puts back a stored position: the condor (as strikes), its expiry, its hedges and journal. The frame calls it
   * once, when the page's chain is first read, if storage holds a position for that underlying. `over` is the
   * position the frame judged untouched: if the trader has entered a condor, or added a hedge, since (the storage
   * read takes a moment), nothing is restored, so what the trader just did is never overwritten.
   */
  restorePosition(restore: {
    position: PositionInput;
    expiry: string | null;
    hedges: PositionHedge[];
    journal: JournalEntry[];
    over?: PositionInput;
  }): Promise<EngineState>;
  /** Makes the positions the page lists the position (see Session.usePageLegs): the frame's "Use as my position". */
  usePageLegs(): Promise<EngineState>;
  /** Moves the P/L curves' sliders; the state that comes back (and is pushed) carries the curves. */
  setCurve(request: CurveRequest): Promise<EngineState>;
  /**
   * The overlay's position as storage keeps it (positionRecord.ts): the condor, hedges, journal, legs and their
   * marks now; null when there is nothing of the trader's to keep. `at` stamps it (epoch ms).
   */
  positionRecord(at: number): Promise<StoredPosition | null>;
  /** The current state as a snapshot to save (trimmed to the condor's expiry), or null before a chain is read. */
  snapshotInput(): Promise<SnapshotInput | null>;
  getState(): Promise<EngineState>;
  /** The current state's number: the frame's liveness ping (an answer, without cloning the whole state). */
  alive(): Promise<number>;
  /** Pushes every state to the listener from now on; the returned function stops it. */
  subscribe(listener: StateListener): Promise<() => void>;
}

const isFirstLook = (state: EngineState) => state.status === 'ready' && state.firstLook === true;

/** How long the feed waits after a message before computing (see attachFeed). */
const COMPUTE_PAUSE_MS = 8;

export function createEngine(
  clock: () => number = () => performance.now(),
  wallClock: () => Date = () => new Date(),
): EngineApi {
  const session = createSession<ChainMeta>({ clock, wallClock });
  const engineAt = Date.now();
  /** Each subscriber with its delivery in flight (answered or not) and the newest state waiting behind it. */
  const listeners = new Map<StateListener, { busy: boolean; next: EngineState | null }>();
  const pageListeners = new Set<(view: PageView) => void>();

  /**
   * One state to one subscriber. While its last delivery is unanswered, a newer state waits in its one slot (the
   * newest replaces the one waiting), and goes when the answer comes. A frame slower than the chain's ticks then takes
   * the newest state next instead of working through a queue of stale ones: under load that queue was the largest
   * step from a tick to the screen (`npm run bench -- ui` prints the steps). The last state always arrives.
   * A listener that throws is a closed frame or page: forgotten.
   */
  const deliver = (listener: StateListener, state: EngineState) => {
    const slot = listeners.get(listener);
    if (!slot) return;
    if (slot.busy) {
      slot.next = state;
      return;
    }
    let answer: void | PromiseLike<unknown>;
    try {
      answer = listener(frameStateOf(state));
    } catch {
      listeners.delete(listener);
      return;
    }
    if (!answer || typeof answer.then !== 'function') return;
    slot.busy = true;
    const answered = () => {
      slot.busy = false;
      const next = slot.next;
      slot.next = null;
      if (next) deliver(listener, next);
    };
    answer.then(answered, answered);
  };

  /** Tells every listener (see deliver) and every page. */
  const publish = (state: EngineState): EngineState => {
    for (const l of listeners.keys()) deliver(l, state);
    // A first look goes to the frame only: the page (its marks, the toolbar badge) gets the whole state, whose plan
    // gives the stage, a task later — never a view without a stage in between.
    if (pageListeners.size > 0 && !isFirstLook(state)) {
      const view = pageViewOf(state);
      for (const l of pageListeners) {
        try {
          l(view);
        } catch {
          pageListeners.delete(l);
        }
      }
    }
    return state;
  };
  const recompute = () => publish(session.recompute());
  /**
   * The whole state: a first look (see attachFeed) is completed first. What is read back whole — a snapshot, the
   * stored position, the popup's view, getState — never holds a first look's missing plan.
   */
  const whole = (): EngineState => (isFirstLook(session.state()) ? recompute() : session.state());
  /** A trader's change: record it and answer with the new state. */
  const change = async (set: () => void): Promise<EngineState> => {
    set();
    return recompute();
  };

  return {
    setChain: (chain, meta) => change(() => session.setChain(chain, meta)),
    async attachFeed(port) {
      let sentKey: string | null = null;
      let positionRows = true;
      let shortDelta = false;
      const post = (out: FeedOut) => port.postMessage(out);
      const listener = (view: PageView) => {
        const key = pageViewKey(view, session.chain(), positionRows, shortDelta);
        if (key === sentKey) return;
        sentKey = key;
        post({ kind: 'view', view });
      };
      // The state is computed once for all the messages that came meanwhile, a few milliseconds after the first:
      // the page's main thread sent it from within its frame, and a worker waking at once to compute for ~5 ms takes
      // the core from under that frame wherever the cores are busy (measured on 2 cores: sends of 0.2 ms took 2-7 ms
      // in such runs). After a short pause the frame is done. A chain that comes whole (the page's first read, a new
      // layout) is not a tick: it is computed at once (still after the messages already queued), since the trader is
      // waiting for the overlay's first numbers.
      //
      // The first chain of a page (or of a restarted worker) is computed in two steps: a first look with the
      // condor's own figures (ReadyState.firstLook), published at once, then the whole state (the plan, the P/L
      // curves, the scenario grid, P50) in the next task. The worker's first computation is also its coldest (on
      // the 146-row demo the plan and the management marks were some 45 ms of its 55, in code not yet compiled):
      // the trader reads the credit, the breakevens and the greeks while the rest is worked out. Updates that come
      // meanwhile are taken into the whole state.
      let pending = false;
      const computeSoon = (wholeChain = false) => {
        if (pending) return;
        pending = true;
        const receivedAt = Date.now();
        const computed = (firstLook: boolean) => {
          const computeStartAt = Date.now();
          const state = session.recompute({ firstLook });
          publish({ ...state, trace: { receivedAt, computeStartAt, computedAt: Date.now(), engineAt } });
        };
        setTimeout(
          () => {
            if (!(wholeChain && session.state().status !== 'ready')) {
              pending = false;
              computed(false);
              return;
            }
            computed(true);
            setTimeout(() => {
              pending = false;
              // A trader's change in between (a position, a hedge) computed the whole state already.
              if (isFirstLook(session.state())) computed(false);
            }, 0);
          },
          wholeChain ? 0 : COMPUTE_PAUSE_MS,
        );
      };
      port.onmessage = (ev: MessageEvent<FeedIn>) => {
        const m = ev.data;
        if (m.kind === 'legs') {
          session.setPageLegs(m.legs);
          computeSoon();
        } else if (m.kind === 'uses') {
          positionRows = m.positionRows;
          shortDelta = m.shortDelta === true;
          sentKey = null; // the next view goes whatever it holds
          listener(session.pageView());
        } else if (m.kind === 'push') {
          const whole = unpackChain(m.chain, m.rows);
          if (!whole) return post({ kind: 'refused', id: m.id });
          session.setChain(whole, m.meta, m.layout);
          sentKey = null; // a whole chain is answered with its view, whatever the page saw before
          computeSoon(true);
        } else if (session.applyPatch(m.patch, m.meta)) computeSoon();
        else post({ kind: 'refused', id: m.id });
      };
      pageListeners.add(listener);
      listener(session.pageView());
    },
    pageView: async () => pageViewOf(whole()),
    setPosition: (position) => change(() => session.setPosition(position)),
    setAlvhInputs: (inputs) => change(() => session.setAlvhInputs(inputs)),
    setManualVix: (level, priorClose = null) => change(() => session.setManualVix(level, priorClose)),
    setExpiry: (date) => change(() => session.setExpiry(date)),
    addHedge: (ticket, fillPerUnit = null) => change(() => session.addHedge(ticket, fillPerUnit)),
    closeHedge: (id, fillPerUnit = null) => change(() => session.closeHedge(id, fillPerUnit)),
    removeHedge: (id) => change(() => session.removeHedge(id)),
    restorePosition: (r) =>
      change(() => {
        const now = session.state();
        const changedSince =
          r.over !== undefined &&
          now.status === 'ready' &&
          (JSON.stringify(now.position) !== JSON.stringify(r.over) || now.hedges.length > 0 || now.journal.length > 0);
        if (changedSince) return;
        session.setPosition(r.position);
        session.setExpiry(r.expiry);
        session.restoreAdjustments(r.hedges, r.journal);
      }),
    usePageLegs: () => change(() => session.usePageLegs()),
    setCurve: async (request) => publish(session.setCurve(request)),
    async positionRecord(at) {
      const state = whole();
      const chain = session.chain();
      return state.status === 'ready' && chain ? overlayPosition(state, chain, new Date(at)) : null;
    },
    async snapshotInput() {
      const state = whole();
      const chain = session.chain();
      return state.status === 'ready' && chain ? buildSnapshotInput({ chain, state }) : null;
    },
    getState: async () => whole(),
    alive: async () => session.state().seq,
    async subscribe(listener) {
      listeners.set(listener, { busy: false, next: null });
      deliver(listener, session.state());
      // Proxied: the frame calls it across the port (comlink) on teardown.
      return proxy(() => {
        listeners.delete(listener);
      });
    },
  };
}
