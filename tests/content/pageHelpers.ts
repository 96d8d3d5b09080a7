/**
 * Helpers for the content script's feature tests (happy-dom environment): a readable chain page built without
 * parsing any HTML, a feature context with a fake link to the overlay frame, and trackers of the listeners and
 * observers the code under test leaves on the page.
 */
import { vi } from 'vitest';
import type { Remote } from 'comlink';
import { createPageCost } from '../../src/content/cost';
import type { FrameLink } from '../../src/content/page';
import { createBus, createPageState, type PageContext } from '../../src/content/page';
import type { EngineApi, FeedIn, PageView } from '../../src/content/workerApi';
import type { PageToFrame } from '../../src/messages';

export const STRIKES = Array.from({ length: 21 }, (_, i) => 5900 + i * 10); // 5900 … 6100

/** A chain the generic detector reads: one expiry in a heading, call bid/ask, strike, put bid/ask per row. */
export function buildChainPage(doc: Document, strikes: readonly number[] = STRIKES): HTMLTableElement {
  doc.head.replaceChildren();
  doc.body.replaceChildren();
  doc.title = 'SPX Option Chain';
  const h2 = doc.createElement('h2');
  h2.textContent = 'SPXW Mar 20, 2026';
  const table = doc.createElement('table');
  const head = doc.createElement('tr');
  for (const text of ['Bid', 'Ask', 'Strike', 'Bid', 'Ask']) {
    const th = doc.createElement('th');
    th.textContent = text;
    head.append(th);
  }
  const thead = doc.createElement('thead');
  thead.append(head);
  const tbody = doc.createElement('tbody');
  strikes.forEach((k, i) => {
    const tr = doc.createElement('tr');
    const far = Math.abs(i - strikes.length / 2);
    for (const v of [20 - far, 20.5 - far, k, 3 + i / 10, 3.4 + i / 10]) {
      const td = doc.createElement('td');
      td.textContent = v === k ? String(k) : Math.max(0.05, v).toFixed(2);
      tr.append(td);
    }
    tbody.append(tr);
  });
  table.append(thead, tbody);
  doc.body.append(h2, table);
  return table;
}

/** The row of the page that shows strike k. */
export function rowOfStrike(doc: Document, k: number): HTMLTableRowElement {
  const row = Array.from(doc.querySelectorAll('tbody tr')).find((tr) => tr.children[2]?.textContent === String(k));
  if (!row) throw new Error(`no row for ${k}`);
  return row as HTMLTableRowElement;
}

export function readyView(expiry: string, marks: PageView['marks']): PageView {
  return {
    seq: 1,
    status: 'ready',
    message: null,
    summary: {
      symbol: 'SPX',
      underlyingPrice: 6000,
      expiry,
      root: null,
      expiries: 1,
      strikes: STRIKES.length,
      atmStrike: 6000,
      straddleMid: 40,
    },
    position: null,
    marks,
  };
}

/**
 * A feature context on the global document with a fake link: what is sent and told is recorded. `connectGate`: the
 * link connects only once it settles (the overlay starting).
 */
export function featureContext({ connectGate }: { connectGate?: Promise<void> } = {}) {
  const ending = new AbortController();
  const state = createPageState();
  const sent: FeedIn[] = [];
  const told: PageToFrame[] = [];
  const locationListeners = new Set<() => void>();
  let open = false;
  let seq = 0;
  const engine = {
    setPosition: vi.fn(async () => undefined),
    pageView: vi.fn(async () => readyView('2026-03-20', null)),
  };
  const link: FrameLink = {
    get open() {
      return open;
    },
    nextId: () => ++seq,
    send: (m) => {
      if (open) sent.push(m);
    },
    tellFrame: (m) => told.push(m),
    connect: async () => {
      // The overlay's start (its frame and worker): a test can hold it.
      if (connectGate) await connectGate;
      open = true;
      state.engine = engine as unknown as Remote<EngineApi>;
      return state.engine;
    },
    close: () => {
      open = false;
    },
  };
  const ctx: PageContext = {
    doc: document,
    win: window,
    signal: ending.signal,
    isValid: () => !ending.signal.aborted,
    onLocationChange: (fn) => {
      locationListeners.add(fn);
      return () => locationListeners.delete(fn);
    },
    state,
    bus: createBus(),
    cost: createPageCost(),
    link,
  };
  return { ctx, ending, sent, told, engine, locationListeners, connect: () => link.connect() };
}

/** A stand-in dock (the real one is made by the link): only what the features use of it. */
export function fakeDock(visible = true) {
  let shown = visible;
  let collapsed = false;
  return {
    host: document.createElement('div'),
    iframe: document.createElement('iframe'),
    setVisible: (v: boolean) => {
      shown = v;
    },
    setCollapsed: (c: boolean) => {
      collapsed = c;
    },
    isVisible: () => shown,
    isCollapsed: () => collapsed,
    place: () => ({ right: 16, bottom: 16 }),
    remove: () => undefined,
  };
}

interface Listening {
  target: EventTarget;
  type: string;
  fn: unknown;
  capture: boolean;
}

/**
 * Records every listener added to the window, the document or a node from now on, and forgets it when it is
 * removed (by removeEventListener or its signal). `left()` lists those still on the window, the document or a
 * node still in the page (a listener on a node that left the page goes with it).
 */
export function trackListeners() {
  // happy-dom's EventTarget (the global one is Node's): the document's and every node's.
  let proto: EventTarget | null = Object.getPrototypeOf(document) as EventTarget | null;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, 'addEventListener'))
    proto = Object.getPrototypeOf(proto) as EventTarget | null;
  if (!proto) throw new Error('no EventTarget prototype under the document');
  const target = proto;
  const live: Listening[] = [];
  const captureOf = (o: unknown) => (typeof o === 'boolean' ? o : Boolean((o as { capture?: boolean })?.capture));
  const drop = (r: Listening) => {
    const i = live.findIndex(
      (l) => l.target === r.target && l.type === r.type && l.fn === r.fn && l.capture === r.capture,
    );
    if (i >= 0) live.splice(i, 1);
  };
  const record = (t: EventTarget, type: string, fn: unknown, opts: unknown) => {
    if (!fn) return;
    const rec = { target: t, type, fn, capture: captureOf(opts) };
    const signal = typeof opts === 'object' ? (opts as AddEventListenerOptions | null)?.signal : undefined;
    if (signal?.aborted) return;
    drop(rec);
    live.push(rec);
    signal?.addEventListener('abort', () => drop(rec), { once: true });
  };
  // The window of the happy-dom environment is the global object, its methods copied onto it: wrapped on their own.
  type Add = EventTarget['addEventListener'];
  type Remove = EventTarget['removeEventListener'];
  const patch = (on: EventTarget, asTarget: (self: EventTarget) => EventTarget) => {
    const add = on.addEventListener;
    const remove = on.removeEventListener;
    on.addEventListener = function (this: EventTarget, type: string, fn: unknown, opts?: unknown) {
      add.call(this, type, fn as EventListener, opts as AddEventListenerOptions);
      record(asTarget(this), type, fn, opts);
    } as Add;
    on.removeEventListener = function (this: EventTarget, type: string, fn: unknown, opts?: unknown) {
      remove.call(this, type, fn as EventListener, opts as EventListenerOptions);
      drop({ target: asTarget(this), type, fn, capture: captureOf(opts) });
    } as Remove;
    return () => {
      on.addEventListener = add;
      on.removeEventListener = remove;
    };
  };
  const ownWindow = Object.prototype.hasOwnProperty.call(window, 'addEventListener');
  const unpatch = [patch(target, (self) => self), ...(ownWindow ? [patch(window, () => window)] : [])];
  const name = (t: EventTarget) => (t === window ? 'window' : t === document ? 'document' : (t as Node).nodeName);
  return {
    left: () =>
      live
        .filter((l) => l.target === window || l.target === document || (l.target as Node).isConnected)
        .map((l) => `${name(l.target)}:${l.type}`),
    restore() {
      for (const u of unpatch.reverse()) u();
    },
  };
}

/** Counts the MutationObservers observing from now on (observe without a disconnect after it). */
export function trackObservers() {
  const proto = MutationObserver.prototype;
  const observe = proto.observe;
  const disconnect = proto.disconnect;
  const observing = new Set<MutationObserver>();
  proto.observe = function (this: MutationObserver, ...args: Parameters<MutationObserver['observe']>) {
    observing.add(this);
    return observe.apply(this, args);
  };
  proto.disconnect = function (this: MutationObserver) {
    observing.delete(this);
    return disconnect.call(this);
  };
  return {
    observing: () => observing.size,
    restore() {
      proto.observe = observe;
      proto.disconnect = disconnect;
    },
  };
}

/** requestIdleCallback for happy-dom (which has none): callbacks wait in a queue the test runs. */
export function idleQueue() {
  const queue = new Map<number, () => void>();
  let next = 0;
  vi.stubGlobal('requestIdleCallback', (cb: () => void) => {
    queue.set(++next, cb);
    return next;
  });
  vi.stubGlobal('cancelIdleCallback', (id: number) => queue.delete(id));
  return {
    pending: () => queue.size,
    run() {
      const cbs = [...queue.values()];
      queue.clear();
      for (const cb of cbs) cb();
    },
  };
}

export const marksOn = (doc: Document, token: string): number[] =>
  Array.from(doc.querySelectorAll(`[data-hedgelens-mark~="${token}"]`)).map((tr) =>
    Number(tr.children[2]?.textContent),
  );

/** Waits for the next animation frame of the page twice (the reader flushes its batch in one). */
export const frames = async (): Promise<void> => {
  for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(() => r(undefined)));
};
