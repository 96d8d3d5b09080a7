// @vitest-environment happy-dom
/**
 * The whole content script on a page, with a stand-in overlay frame: the frame's side of the handshake is played
 * here (its window's postMessage is where the content script hands it the port), and a fake engine answers on
 * the feed port through comlink as the worker does.
 */
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing';
import { expose } from 'comlink';
import { composeContent, FEATURES } from '../../src/content/main';
import { TEACH_TAG, TEACHING_ATTR } from '../../src/content/teachMode';
import type { FeedIn, FeedOut } from '../../src/content/workerApi';
import type { PageToFrame } from '../../src/messages';
import { setMarkPositionRows } from '../../src/storage/pagePrefs';
import {
  buildChainPage,
  frames,
  idleQueue,
  marksOn,
  readyView,
  rowOfStrike,
  trackListeners,
  trackObservers,
} from './pageHelpers';

const EXPIRY = '2026-03-20';
const settle = () => new Promise((r) => setTimeout(r, 0));

let listeners: ReturnType<typeof trackListeners>;
let observers: ReturnType<typeof trackObservers>;
beforeEach(() => {
  fakeBrowser.reset();
  buildChainPage(document);
  listeners = trackListeners();
  observers = trackObservers();
});
afterEach(() => {
  listeners.restore();
  observers.restore();
  vi.unstubAllGlobals();
});

/** The frame's side: takes the port of each handshake and serves a fake engine on it. */
function fakeFrame() {
  const fed: FeedIn[] = [];
  const told: PageToFrame[] = [];
  let feed: MessagePort | null = null;
  const engine = {
    attachFeed(port: MessagePort) {
      feed = port;
      port.onmessage = (ev: MessageEvent<FeedIn>) => {
        fed.push(ev.data);
        // As the worker: a view of the chain it now holds, with the row marks.
        if (ev.data.kind === 'push')
          answer({
            kind: 'view',
            view: readyView(EXPIRY, {
              expiry: EXPIRY,
              legs: [5950, 5960, 6040, 6050],
              breakevens: [5955, 6045],
              expectedMove: [5980, 6020],
            }),
          });
      };
    },
    pageView: async () => readyView(EXPIRY, null),
    setPosition: async () => undefined,
  };
  const answer = (out: FeedOut) => feed?.postMessage(out);
  return {
    fed,
    told,
    /** Stands in for the frame's window: what the content script posts to it. */
    postMessage(msg: PageToFrame, _origin: string, transfer?: Transferable[]) {
      told.push(msg);
      const port = transfer?.[0] as MessagePort | undefined;
      if (msg.type === 'hedgelens:connect' && port) expose(engine, port);
    },
  };
}

describe('the content script, composed', () => {
  test('lists every page feature once', () => {
    expect(new Set(FEATURES).size).toBe(FEATURES.length);
    expect(FEATURES.map((f) => f.name)).toEqual([
      'popupBridge',
      'overlayDock',
      'rowMarks',
      'clickToBuild',
      'teach',
      'unreadLine',
      'toolbarBadge',
      'pagePositions',
      'readerFeed',
    ]);
  });

  test('reads the chain, docks the frame, feeds its engine, marks the rows; stop() leaves nothing of ours', async () => {
    const idle = idleQueue();
    await setMarkPositionRows(true);
    const registered: string[] = [];
    // The background: takes the frame's one-time nonce.
    const background = (m: unknown) => {
      if ((m as { type?: string }).type === 'hedgelens:register-frame') registered.push((m as { nonce: string }).nonce);
      return undefined;
    };
    fakeBrowser.runtime.onMessage.addListener(background);
    const locations = new Set<() => void>();
    const content = composeContent({
      doc: document,
      isValid: () => true,
      onLocationChange: (fn) => {
        locations.add(fn);
        return () => locations.delete(fn);
      },
    });
    const { state } = content;

    // The first chain read docks the frame (its nonce registered first).
    await expect.poll(() => state.dock).not.toBeNull();
    expect(document.querySelectorAll('hedgelens-dock')).toHaveLength(1);
    expect(registered).toHaveLength(1);
    const frame = fakeFrame();
    // happy-dom loads no extension page: the frame's window is the stand-in.
    const frameWindow = { postMessage: frame.postMessage } as unknown as Window;
    Object.defineProperty(state.dock!.iframe, 'contentWindow', { value: frameWindow, configurable: true });

    // The frame says it is ready: the handshake gives it a port; the engine gets the feed port and the chain.
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'hedgelens:frame-ready' }, source: frameWindow }));
    await expect.poll(() => frame.fed.map((m) => m.kind)).toEqual(['uses', 'push']);
    expect(frame.told[0]).toEqual({ type: 'hedgelens:connect', nonce: registered[0] });
    expect(frame.fed[0]).toMatchObject({ kind: 'uses', positionRows: true });
    await expect.poll(() => state.status.state).toBe('ready');
    expect(state.dock!.isVisible()).toBe(true);

    // The view's marks go on the rows when the page is idle (and the page is looked at for a positions table then).
    await expect.poll(() => idle.pending()).toBe(2);
    idle.run();
    expect(marksOn(document, 'leg')).toEqual([5950, 5960, 6040, 6050]);
    expect(marksOn(document, 'em')).toEqual([5980, 5990, 6000, 6010, 6020]);

    // A tick: a patch, not the whole chain.
    rowOfStrike(document, 6000).children[0]!.textContent = '25.55';
    await expect.poll(() => frame.fed.map((m) => m.kind)).toEqual(['uses', 'push', 'patch']);

    // The popup: status and teach mode (the dock steps aside).
    const answers = (await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:status' }, {})) as unknown[];
    const status = answers.find(Boolean); // the background's listener answers nothing
    expect(status).toMatchObject({ state: 'ready', summary: { expiry: EXPIRY } });
    await fakeBrowser.runtime.onMessage.trigger({ type: 'hedgelens:teach' }, {});
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(1);
    expect(state.dock!.isVisible()).toBe(false);
    expect(listeners.left().length).toBeGreaterThan(0);
    expect(observers.observing()).toBeGreaterThan(0);

    content.stop();
    expect(document.querySelectorAll('hedgelens-dock')).toHaveLength(0);
    expect(document.querySelectorAll(TEACH_TAG)).toHaveLength(0);
    expect(document.documentElement.hasAttribute(TEACHING_ATTR)).toBe(false);
    expect(document.querySelectorAll('[data-hedgelens-mark]')).toHaveLength(0);
    expect(listeners.left()).toEqual([]);
    expect(observers.observing()).toBe(0);
    expect(idle.pending()).toBe(0);
    expect(locations.size).toBe(0);
    expect(await fakeBrowser.storage.onChanged.trigger({}, 'local')).toHaveLength(0); // no listener left
    // The popup's messages reach only the background now.
    fakeBrowser.runtime.onMessage.removeListener(background);
    expect(await fakeBrowser.runtime.onMessage.trigger({ type: 'none' }, {})).toHaveLength(0); // no listener left

    // Nothing more happens on the page: a changed chain is not read, nothing is sent.
    const n = frame.fed.length;
    rowOfStrike(document, 6000).children[0]!.textContent = '26.65';
    await frames();
    await settle();
    expect(frame.fed).toHaveLength(n);
    expect(document.querySelectorAll('hedgelens-dock, [data-hedgelens-mark]')).toHaveLength(0);
    content.stop(); // idempotent
  });

  test('stopped before the frame was ready: the dock goes and nothing waits on it', async () => {
    fakeBrowser.runtime.onMessage.addListener(() => undefined);
    const content = composeContent({ doc: document, isValid: () => true, onLocationChange: () => () => undefined });
    await expect.poll(() => content.state.dock).not.toBeNull();
    content.stop();
    expect(document.querySelectorAll('hedgelens-dock')).toHaveLength(0);
    expect(listeners.left()).toEqual([]);
    expect(observers.observing()).toBe(0);
  });
});
