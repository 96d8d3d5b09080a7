/**
 * The link to the overlay frame: its dock on the page, the handshake that gives the content script a port to the
 * frame's worker, the reconnect when the frame restarts that worker, and the feed port chains and page views go
 * through (one message each way per update). Made with the page's context (see page.ts); nothing here runs until
 * the first chain is read and the feed asks to connect.
 */
import { browser } from 'wxt/browser';
import { transfer, wrap, type Remote } from 'comlink';
import { isMessage, type FrameToPage, type PageToFrame, type ToBackground } from '../messages';
import { createDock, pageTheme, type Dock } from './dock';
import type { FrameLink, PageContext } from './page';
import { acceptView } from './view';
import type { EngineApi, FeedOut } from './workerApi';

export function createFrameLink(ctx: Omit<PageContext, 'link'>): FrameLink {
  const { state } = ctx;
  /** The feed port to the worker (see EngineApi.attachFeed). */
  let feed: MessagePort | null = null;
  let feedSeq = 0;
  /** The id of the last whole chain sent: a refusal of a patch sent before it is already mended. */
  let lastPushId = 0;
  let connecting: Promise<Remote<EngineApi> | null> | null = null;
  const ports: MessagePort[] = [];
  const listening = new AbortController();
  let dock: Dock | null = null;

  const frameOrigin = () => new URL(browser.runtime.getURL('/overlay.html')).origin;

  /**
   * A handshake with the frame: a fresh one-time nonce registered with the background first, then a MessagePort
   * posted to the frame with it. Runs once when the frame first says it is ready, and again whenever the frame
   * restarted its worker and says so (the old port then leads nowhere).
   */
  const handshake = async (dock: Dock, origin: string, nonce: string | null) => {
    if (nonce === null) {
      nonce = crypto.randomUUID();
      const register: ToBackground = { type: 'hedgelens:register-frame', nonce };
      await browser.runtime.sendMessage(register);
    }
    if (!ctx.isValid() || listening.signal.aborted) return null;
    const channel = new MessageChannel();
    const hello: PageToFrame = { type: 'hedgelens:connect', nonce };
    dock.iframe.contentWindow?.postMessage(hello, origin, [channel.port2]);
    channel.port1.start();
    ports.push(channel.port1);
    const engine = wrap<EngineApi>(channel.port1);
    state.engine = engine;
    // Chains and patches go, page views come, on a feed port of its own: one message each way per update.
    const feedChannel = new MessageChannel();
    feedChannel.port1.onmessage = (ev: MessageEvent<FeedOut>) => {
      const t0 = performance.now();
      const m = ev.data;
      if (m.kind === 'view') acceptView(ctx, m.view);
      // A patch did not fit the worker's chain (it restarted, or missed one): the whole chain goes again.
      else if (m.id > lastPushId) ctx.bus.emit('refused');
      ctx.cost.add(performance.now() - t0, 'answer');
    };
    ports.push(feedChannel.port1);
    feed = feedChannel.port1;
    void engine.attachFeed(transfer(feedChannel.port2, [feedChannel.port2]));
    link.send({
      kind: 'uses',
      id: link.nextId(),
      positionRows: state.markPositionRows,
      shortDelta: state.watchShortDelta,
    });
    return engine;
  };

  const link: FrameLink = {
    get open() {
      return feed !== null;
    },
    nextId: () => ++feedSeq,
    send(msg, transfers = []) {
      if (msg.kind === 'push') lastPushId = msg.id;
      feed?.postMessage(msg, transfers);
    },
    tellFrame(msg) {
      state.dock?.iframe.contentWindow?.postMessage(msg, frameOrigin());
    },
    connect() {
      if (connecting) return connecting;
      connecting = (async () => {
        const nonce = crypto.randomUUID();
        const register: ToBackground = { type: 'hedgelens:register-frame', nonce };
        await browser.runtime.sendMessage(register);
        if (listening.signal.aborted) return null;
        const frameUrl = browser.runtime.getURL('/overlay.html');
        const origin = new URL(frameUrl).origin;
        // A dock left by an earlier instance of this content script (the extension was reloaded or updated) goes
        // first: one dock per page, ever.
        for (const stale of ctx.doc.querySelectorAll('hedgelens-dock')) stale.remove();
        // The theme is the only thing the frame's URL carries: no data, just how to look.
        const made = createDock(ctx.doc, `${frameUrl}#theme=${pageTheme(ctx.doc)}`);
        dock = made;
        state.dock = made;
        return await new Promise<Remote<EngineApi> | null>((resolve) => {
          let firstNonce: string | null = nonce;
          const onMessage = (event: MessageEvent) => {
            if (event.source !== made.iframe.contentWindow) return;
            const data = event.data as FrameToPage;
            if (isMessage<FrameToPage>(data, 'hedgelens:frame-size') && data.type === 'hedgelens:frame-size') {
              // The frame's own requests to its dock (collapse/expand, pick strikes on the chain).
              ctx.bus.emit('collapse', Boolean(data.collapsed));
            } else if (isMessage<FrameToPage>(data, 'hedgelens:pick') && data.type === 'hedgelens:pick') {
              ctx.bus.emit('pick', Boolean(data.on));
            } else if (isMessage<FrameToPage>(data, 'hedgelens:teach')) {
              ctx.bus.emit('teach');
            } else if (isMessage<FrameToPage>(data, 'hedgelens:frame-ready')) {
              // First time: the nonce registered above. Again later: the frame restarted its engine; a new nonce,
              // a new port, and the whole chain again (the new worker holds nothing).
              const use = firstNonce;
              firstNonce = null;
              const again = use === null;
              void handshake(made, origin, use)
                .then((engine) => {
                  resolve(engine);
                  if (again && engine) ctx.bus.emit('reconnected');
                })
                .catch((err: unknown) => {
                  state.status = { state: 'error', message: `Could not reconnect the overlay: ${String(err)}` };
                });
            }
          };
          ctx.win.addEventListener('message', onMessage, { signal: listening.signal });
          // Closed before the frame was ready: nothing will answer.
          listening.signal.addEventListener('abort', () => resolve(null), { once: true });
        });
      })().catch((err: unknown) => {
        state.status = { state: 'error', message: `Could not start the overlay: ${String(err)}` };
        return null;
      });
      return connecting;
    },
    close() {
      listening.abort();
      dock?.remove();
      dock = null;
      state.dock = null;
      state.engine = null;
      feed = null;
      for (const port of ports.splice(0)) {
        port.onmessage = null;
        port.close();
      }
    },
  };
  return link;
}
