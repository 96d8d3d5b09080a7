/**
 * The overlay frame: an extension page docked in the broker page. It owns the Web Worker (the only placement
 * that works under strict page CSPs, DESIGN.md §1), accepts exactly one MessagePort from its own tab's
 * content script (checked by a nonce claimed from the background, never visible to the page), and hands it
 * to the worker so the content script talks to the engine directly.
 */
import { h, type render as preactRender } from 'preact';
import { wrap } from 'comlink';
import { browser } from 'wxt/browser';
import { OverlayApp, type FrameProblem } from './OverlayApp';
import type { EngineApi } from '../worker/engine';
import { saveCurrentSnapshot } from './saveSnapshot';
import { feedAlvhInputs } from './alvhInputsLoader';
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

export async function startOverlayFrame(root: HTMLElement, render: typeof preactRender): Promise<void> {
  const theme = /(?:^|[#&])theme=(dark|light)\b/.exec(location.hash)?.[1];
  if (theme) document.documentElement.dataset.theme = theme;
  const worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), { type: 'module' });
  const attach = (port: MessagePort) => {
    const msg: ToWorker = { type: 'hedgelens:attach', port };
    worker.postMessage(msg, [port]);
  };
  const own = new MessageChannel();
  attach(own.port2);
  const engine = wrap<EngineApi>(own.port1);

  let problem: FrameProblem = null;
  const onCollapse = (collapsed: boolean) => {
    const msg: FrameToPage = { type: 'hedgelens:frame-size', collapsed };
    window.parent.postMessage(msg, '*'); // layout only, no data
  };
  let inputProblems: string[] = [];
  let saved: SaveReply | null = null;
  const onSave = async () => {
    saved = await saveCurrentSnapshot(engine);
    draw();
  };
  let picked: number[] = [];
  let picking = false;
  const onPick = (on: boolean) => {
    const msg: FrameToPage = { type: 'hedgelens:pick', on };
    window.parent.postMessage(msg, '*'); // a request to start picking: no data
  };
  const draw = () =>
    render(
      h(OverlayApp, {
        engine,
        problem,
        onCollapse,
        picking: { picked, active: picking, onPick },
        saving: { onSave, saved },
        inputProblems,
      }),
      root,
    );
  feedAlvhInputs(engine, (problems) => {
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
    return saveCurrentSnapshot(engine).then((r) => {
      saved = r;
      draw();
      return r;
    });
  });
  if (!nonce) {
    problem = {
      kind: 'handshake',
      message: 'HedgeLens lost its connection to this page. Reload the page to reconnect.',
    };
    draw();
    return;
  }
  let connected = false;
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
    if (data.nonce !== nonce) return;
    const port = event.ports[0];
    if (!port) return;
    connected = true;
    attach(port);
  });
  draw();
  const ready: FrameToPage = { type: 'hedgelens:frame-ready' };
  window.parent.postMessage(ready, '*'); // carries nothing; the reply is checked by nonce
}
