/**
 * The overlay frame: an extension page docked in the broker page. It owns the Web Worker (the only placement
 * that works under strict page CSPs, DESIGN.md §1), accepts exactly one MessagePort from its own tab's
 * content script (checked by a nonce claimed from the background, never visible to the page), and hands it
 * to the worker so the content script talks to the engine directly.
 */
import { h, type render as preactRender } from 'preact';
import { wrap, type Remote } from 'comlink';
import { browser } from 'wxt/browser';
import { OverlayApp, type FrameProblem } from './OverlayApp';
import type { EngineApi, FrameState, PositionInput } from '../worker/engine';
import { saveCurrentSnapshot } from './saveSnapshot';
import { feedAlvhInputs } from './alvhInputsLoader';
import { newEngineWorker } from './engineWorker';
import { createPositionSync } from './positionSync';
import {
  type SaveReply,
  type ToFrames,
  isMessage,
  type ClaimFrameReply,
  type FrameToPage,
  type PageToFrame,
  type ToBackground,
  type ToWorker,
} from '../messages';

/**
 * How often the frame pings its worker, and how long an answer may take before the worker counts as hung (ms).
 * A busy worker cannot answer while it computes: on a loaded two-core laptop one full recompute of a large chain has
 * taken well over a second, so the limit leaves room for that; a worker in an endless loop never answers at all, so a
 * longer limit only delays the restart, it never hides one.
 */
const PING_EVERY_MS = 1000;
const PING_TIMEOUT_MS = 4000;
/** What a save waiting on an engine that was restarted under it says (nothing was written). */
const SAVE_INTERRUPTED =
  'HedgeLens restarted its engine while saving. Nothing was written; press Save again once the numbers are back.';

export async function startOverlayFrame(
  root: HTMLElement,
  render: typeof preactRender,
  /** The worker the frame's entry already started (see entrypoints/overlay/main.tsx); a new one when absent. */
  firstWorker?: Worker,
): Promise<void> {
  const theme = /(?:^|[#&])theme=(dark|light)\b/.exec(location.hash)?.[1];
  if (theme) document.documentElement.dataset.theme = theme;
  // The worker can crash (an 'error' event) or hang (an `alive` ping unanswered for PING_TIMEOUT_MS): the frame then
  // terminates it, starts a fresh one, re-attaches its own port, asks the content script for a new handshake and
  // puts the trader's position back. Until the new engine answers, nothing from the old one is shown as live.
  let worker!: Worker;
  let engine!: Remote<EngineApi>;
  let generation = 0;
  /** Settles (rejects) when the current engine is replaced: calls still waiting on it then end instead of hanging. */
  let replaced = gonePromise();
  /** An engine call that ends with `why` if the engine is restarted before it answers. */
  const unlessRestarted = <T>(call: Promise<T>, why: string): Promise<T> =>
    Promise.race([call, replaced.then(() => Promise.reject(new Error(why)))]);
  /** The trader's position as the engine last reported it (restored into a restarted engine). */
  let lastPosition: PositionInput | null = null;
  const attach = (port: MessagePort) => {
    const msg: ToWorker = { type: 'hedgelens:attach', port };
    worker.postMessage(msg, [port]);
  };
  let unused: Worker | undefined = firstWorker;
  const startWorker = () => {
    const w = unused ?? newEngineWorker();
    unused = undefined;
    worker = w;
    const own = new MessageChannel();
    attach(own.port2);
    engine = wrap<EngineApi>(own.port1);
    const gen = generation;
    w.addEventListener('error', () => {
      if (gen === generation) restart('crashed');
    });
  };
  startWorker();
  let problem: FrameProblem = null;
  const onCollapse = (collapsed: boolean) => {
    const msg: FrameToPage = { type: 'hedgelens:frame-size', collapsed };
    window.parent.postMessage(msg, '*'); // layout only, no data
  };
  let inputProblems: string[] = [];
  /** Why the position could not be kept in storage (quota, a refused write), or a quota warning. */
  let positionProblem: string | null = null;
  const positions = createPositionSync(engine, (p) => {
    if (p === positionProblem) return;
    positionProblem = p;
    draw();
  });
  let saved: SaveReply | null = null;
  /** A save in flight (from the button, the popup or the shortcut): shown, and joined rather than run twice. */
  let inFlight: Promise<SaveReply> | null = null;
  const save = (): Promise<SaveReply> => {
    if (inFlight) return inFlight;
    const run = saveCurrentSnapshot(engine, (call) => unlessRestarted(call, SAVE_INTERRUPTED)).then((r) => {
      inFlight = null;
      saved = r;
      draw();
      return r;
    });
    inFlight = run;
    draw();
    return run;
  };
  const onSave = () => void save();
  let picked: number[] = [];
  let picking = false;
  const onPick = (on: boolean) => {
    const msg: FrameToPage = { type: 'hedgelens:pick', on };
    window.parent.postMessage(msg, '*'); // a request to start picking: no data
  };
  const onTeach = () => {
    const msg: FrameToPage = { type: 'hedgelens:teach' };
    window.parent.postMessage(msg, '*'); // a request to start teach mode on the page: no data
  };
  const draw = () =>
    render(
      h(OverlayApp, {
        // A new engine is a new panel: nothing the old engine computed stays on screen.
        key: generation,
        engine,
        problem,
        onCollapse,
        picking: { picked, active: picking, onPick },
        saving: { onSave, saved, busy: inFlight !== null },
        inputProblems: positionProblem ? [...inputProblems, positionProblem] : inputProblems,
        onTeach,
        onState: (s: FrameState) => {
          if (s.status === 'ready') lastPosition = s.position;
          positions.onState(s);
        },
      }),
      root,
    );
  let stopFeeding = feedAlvhInputs(engine, (problems) => {
    inputProblems = problems;
    draw();
  });

  const claim: ToBackground = { type: 'hedgelens:claim-frame' };
  const reply = (await browser.runtime.sendMessage(claim).catch(() => null)) as ClaimFrameReply | null;
  const nonce = reply?.nonce ?? null;
  const tabId = reply?.tabId ?? null;
  // Save requests from the popup and the keyboard shortcut, for this tab only.
  browser.runtime.onMessage.addListener((message: unknown) => {
    const m = message as ToFrames;
    if (!isMessage<ToFrames>(m, 'hedgelens:save-snapshot') || m.tabId !== tabId || tabId === null) return undefined;
    return save();
  });
  if (!nonce) {
    problem = {
      kind: 'handshake',
      message: 'HedgeLens lost its connection to this page. Reload the page to reconnect.',
    };
    draw();
    return;
  }
  const ready: FrameToPage = { type: 'hedgelens:frame-ready' };
  let connected = false;
  /** After a restart: the nonce the content script registers for the new handshake (claimed with wait). */
  let pendingNonce: Promise<string | null> | null = null;
  window.addEventListener('message', (event: MessageEvent) => {
    if (event.source !== window.parent) return;
    const data = event.data as PageToFrame;
    if (isMessage<PageToFrame>(data, 'hedgelens:picked') && data.type === 'hedgelens:picked') {
      // Display only: which rows the trader has clicked so far.
      picked = Array.isArray(data.strikes) ? data.strikes.filter((k) => typeof k === 'number') : [];
      picking = Boolean(data.picking);
      draw();
      return;
    }
    if (connected || !isMessage<PageToFrame>(data, 'hedgelens:connect') || data.type !== 'hedgelens:connect') return;
    const port = event.ports[0];
    if (!port) return;
    const expected = pendingNonce ?? Promise.resolve(nonce);
    const gen = generation;
    void expected.then((want) => {
      if (connected || gen !== generation || !want || data.nonce !== want) return;
      connected = true;
      attach(port);
    });
  });

  function restart(why: 'crashed' | 'hung') {
    generation++;
    replaced.resolve();
    replaced = gonePromise();
    worker.terminate();
    connected = false;
    problem = {
      kind: 'handshake',
      message: `HedgeLens restarted its engine (it ${why === 'crashed' ? 'crashed' : 'stopped answering'}). The numbers below are recomputed from the page.`,
    };
    startWorker();
    positions.reset(engine); // the new engine gets the stored hedges and journal back on its first state
    stopFeeding(); // the old worker's feed: one storage listener at a time
    stopFeeding = feedAlvhInputs(engine, (problems) => {
      inputProblems = problems;
      draw();
    });
    if (lastPosition) void engine.setPosition(lastPosition);
    draw();
    // A new handshake: the content script registers a fresh nonce with the background, which hands it to this
    // frame's waiting claim; only a port posted with that nonce is attached.
    const waitClaim: ToBackground = { type: 'hedgelens:claim-frame', wait: true };
    pendingNonce = (browser.runtime.sendMessage(waitClaim) as Promise<ClaimFrameReply | null>)
      .then((r) => r?.nonce ?? null)
      .catch(() => null);
    window.parent.postMessage(ready, '*');
  }

  // Liveness: an `alive` ping (the state's number, not the state: a clone of a large chain's analysis every second
  // was work for both sides) that does not answer within the limit means the worker hangs. Each restart for a hang
  // doubles the limit (to 32 s at most): on a machine so loaded that one recompute outlasts it, restarting again
  // would only start the same recompute again.
  let hangLimitMs = PING_TIMEOUT_MS;
  let pinging = false;
  setInterval(() => {
    if (pinging || document.hidden) return;
    pinging = true;
    const gen = generation;
    let answered = false;
    void engine.alive().then(
      () => (answered = true),
      () => (answered = true),
    );
    setTimeout(() => {
      pinging = false;
      if (!answered && gen === generation) {
        hangLimitMs = Math.min(hangLimitMs * 2, 32_000);
        restart('hung');
      }
    }, hangLimitMs);
  }, PING_EVERY_MS);

  draw();
  window.parent.postMessage(ready, '*'); // carries nothing; the reply is checked by nonce
}

/** A promise with its resolve at hand: settles once, when an engine is replaced. */
function gonePromise(): Promise<void> & { resolve: () => void } {
  let resolve!: () => void;
  const p = new Promise<void>((r) => (resolve = r)) as Promise<void> & { resolve: () => void };
  p.resolve = resolve;
  return p;
}
