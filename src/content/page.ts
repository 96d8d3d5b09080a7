/**
 * What the content script's features share on one broker page: the page, a signal for its end, a few fields of
 * state, an event bus, the cost meter and the link to the overlay frame's engine. Each feature (src/content/features)
 * gets this context, reads and writes only the fields documented here, and speaks to the others through the bus.
 */
import type { Remote } from 'comlink';
import type { ReadResult, TeachProfile } from '../brokers';
import type { ChainWatch } from '../brokers/watch';
import type { ChainSummary } from '../engine/summary';
import type { PageToFrame, PositionSummary, TabStatus } from '../messages';
import type { PageCost } from './cost';
import type { Dock } from './dock';
import type { EngineApi, FeedIn, PageView } from './workerApi';

/** Fields more than one feature reads. The comment of each says who writes it. */
export interface PageState {
  /** The tab's status for the popup (the feed, the engine's views, the link's errors). */
  status: TabStatus;
  /** The overlay's dock, once the first chain was read (the link). */
  dock: Dock | null;
  /** The engine in the overlay frame, once the handshake is done (the link). */
  engine: Remote<EngineApi> | null;
  /** The chain line of the latest engine update (acceptView). */
  lastSummary?: ChainSummary;
  /** The newest reading of the page (the feed). */
  reading: ReadResult | null;
  /** The layout number the worker's chain was pushed with; undefined while it holds none (the feed). */
  sentLayout: number | undefined;
  /** The running reader: its rows serve the row marks (the feed). */
  chainWatch: ChainWatch | null;
  /** Strikes of the expiry the overlay shows: what a click on the chain can pick (acceptView, the feed). */
  shownStrikes: Set<number>;
  /** The expiry the overlay shows, cached by shownExpiry. */
  shown: ShownExpiry | null;
  /** The trader hid the overlay from the popup (the dock). */
  userHidden: boolean;
  /** The trader allowed marks on the position's rows (Options; the row marks). */
  markPositionRows: boolean;
  /** The trader watches the short strikes' delta: notifications on in Options (the toolbar badge). */
  watchShortDelta: boolean;
  /** Teach mode is on (the teach feature). */
  teaching: boolean;
}

/** What the features tell each other. */
export interface PageEvents {
  /** An engine update the page shows: its row marks (acceptView → row marks). */
  view: PageView['marks'];
  /** The page has shown no chain for a while: no overlay, no marks (the feed → dock, row marks). */
  gone: undefined;
  /** A reading went to the worker (the feed → dock, which shows itself unless the trader hid it). */
  sent: undefined;
  /** The worker refused a patch sent after the last whole chain (the link → the feed sends the chain whole). */
  refused: undefined;
  /** The frame restarted its worker and is connected again (the link → the feed sends the newest reading whole). */
  reconnected: undefined;
  /** The frame asks to collapse or expand its dock (the link → dock). */
  collapse: boolean;
  /** The frame asks to start or stop picking strikes on the chain (the link → picker). */
  pick: boolean;
  /** The popup or the frame asks for teach mode (→ teach). */
  teach: undefined;
  /** The popup asks to report this page (popup bridge → the unread-chain line, which shows the report). */
  report: undefined;
  /** The trader saved a taught profile (teach → the feed, which reads with it from now on). */
  taught: TeachProfile;
  /** The popup's "show/hide overlay" (popup bridge → dock). */
  toggle: undefined;
  /** Each reading of the page, read or not (the feed → the unread-chain line). */
  reading: ReadResult;
  /** The position at a glance from each engine view accepted, null when there is none (view → toolbar badge). */
  position: PositionSummary | null;
}

export type PageEvent = keyof PageEvents;

export interface PageBus {
  /** Calls `fn` on each `event`; the returned function stops that. */
  on<K extends PageEvent>(event: K, fn: (value: PageEvents[K]) => void): () => void;
  emit<K extends PageEvent>(event: K, ...value: PageEvents[K] extends undefined ? [] : [PageEvents[K]]): void;
}

export interface PageContext {
  readonly doc: Document;
  readonly win: Window;
  /** Aborted when the content script ends (the extension was reloaded or updated, or stop was called). */
  readonly signal: AbortSignal;
  /** False once the extension's context is gone (checked after an await, before touching the page). */
  isValid(): boolean;
  /** An SPA moved to another URL; the returned function stops listening. */
  onLocationChange(fn: () => void): () => void;
  readonly state: PageState;
  readonly bus: PageBus;
  /** HedgeLens's own main-thread time per update on this page. */
  readonly cost: PageCost;
  /** The overlay frame: its dock, the handshake, the feed port to its worker. */
  readonly link: FrameLink;
}

/** A page feature: starts on the context, returns what ends it (listeners, observers, timers, page traces). */
export type PageFeature = (ctx: PageContext) => () => void;

export function createBus(): PageBus {
  type Listener = (value: never) => void;
  // Copied on change, never in place: an emit goes on over the list it started with, and allocates nothing (some
  // events come on every update of the chain).
  const listeners: Partial<Record<PageEvent, readonly Listener[]>> = {};
  return {
    on(event, fn) {
      const f = fn as Listener;
      listeners[event] = [...(listeners[event] ?? []), f];
      return () => {
        listeners[event] = (listeners[event] ?? []).filter((g) => g !== f);
      };
    },
    emit(event, ...value) {
      const list = listeners[event];
      if (list) for (const fn of list) fn(value[0] as never);
    },
  };
}

export function createPageState(): PageState {
  return {
    status: { state: 'reading' },
    dock: null,
    engine: null,
    reading: null,
    sentLayout: undefined,
    chainWatch: null,
    shownStrikes: new Set(),
    shown: null,
    userHidden: false,
    markPositionRows: false,
    watchShortDelta: false,
    teaching: false,
  };
}

/** The link to the overlay frame (link.ts makes it). */
export interface FrameLink {
  /** Docks the frame and connects to its engine: once; later calls get the same promise (null: it failed). */
  connect(): Promise<Remote<EngineApi> | null>;
  /** The feed port is open (the handshake is done). */
  readonly open: boolean;
  /** The id for the next message on the feed port. */
  nextId(): number;
  /** Sends on the feed port; nothing is sent before it is open, and nothing sent is answered unless refused. */
  send(msg: FeedIn, transfers?: Transferable[]): void;
  /** A message to the frame (nothing before the dock is there). */
  tellFrame(msg: PageToFrame): void;
  /** Removes the dock and its listener and closes the ports. */
  close(): void;
}

/** The expiry the overlay shows, with its strikes (view.ts keeps it). */
export interface ShownExpiry {
  key: string;
  index: number;
  date: string;
  strikes: number[];
  set: Set<number>;
}
