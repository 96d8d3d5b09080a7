import { browser, type Browser } from 'wxt/browser';
import { isMessage, type ToBackground, type ClaimFrameReply, type ToContent, type ToFrames } from '../messages';

/**
 * The overlay handshake relay. The content script registers a one-time nonce before it creates the overlay
 * frame; the frame claims it here (keyed by its tab) and then only accepts the MessagePort posted with that
 * nonce. The nonce never appears in the page's DOM, so a page script cannot attach its own port to the engine.
 */
const nonces = new Map<number, string>();
/** Frames waiting for their tab's next registration (a re-handshake after the frame restarted its worker). */
const waiting = new Map<number, (nonce: string | null) => void>();
/** How long a waiting claim waits for the content script's new nonce (ms). */
const CLAIM_WAIT_MS = 10_000;

export function handleBackgroundMessage(message: unknown, sender: Browser.runtime.MessageSender): unknown {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return undefined;
  const msg = message as ToBackground;
  if (isMessage<ToBackground>(message, 'hedgelens:register-frame') && msg.type === 'hedgelens:register-frame') {
    if (sender.frameId !== 0 || typeof msg.nonce !== 'string') return undefined; // top-frame content script only
    const waiter = waiting.get(tabId);
    if (waiter) {
      waiting.delete(tabId);
      waiter(msg.nonce);
    } else {
      nonces.set(tabId, msg.nonce);
    }
    return Promise.resolve({ ok: true });
  }
  if (isMessage<ToBackground>(message, 'hedgelens:claim-frame')) {
    // Only an extension page (our overlay.html) may claim.
    if (!sender.url?.startsWith(browser.runtime.getURL('/overlay.html'))) return undefined;
    const nonce = nonces.get(tabId) ?? null;
    nonces.delete(tabId);
    if (nonce === null && msg.type === 'hedgelens:claim-frame' && msg.wait === true) {
      waiting.get(tabId)?.(null); // one waiting frame per tab: the newest
      return new Promise<ClaimFrameReply>((resolve) => {
        const timer = setTimeout(() => {
          if (waiting.get(tabId) === done) waiting.delete(tabId);
          resolve({ nonce: null, tabId });
        }, CLAIM_WAIT_MS);
        const done = (n: string | null) => {
          clearTimeout(timer);
          resolve({ nonce: n, tabId });
        };
        waiting.set(tabId, done);
      });
    }
    const reply: ClaimFrameReply = { nonce, tabId };
    return Promise.resolve(reply);
  }
  return undefined;
}

export function startBackground(): void {
  browser.runtime.onMessage.addListener((message, sender) => handleBackgroundMessage(message, sender) as never);
  browser.tabs.onRemoved.addListener((tabId) => {
    nonces.delete(tabId);
    waiting.delete(tabId);
  });
  browser.commands.onCommand.addListener(async (command) => {
    const [tab] = await browser.tabs.query({ active: true, lastFocusedWindow: true });
    if (tab?.id === undefined) return;
    if (command === 'toggle-overlay') {
      const msg: ToContent = { type: 'hedgelens:toggle-overlay' };
      await browser.tabs.sendMessage(tab.id, msg).catch(() => undefined);
    } else if (command === 'save-snapshot') {
      // The tab's overlay frame holds the state and saves it.
      const msg: ToFrames = { type: 'hedgelens:save-snapshot', tabId: tab.id };
      await browser.runtime.sendMessage(msg).catch(() => undefined);
    }
  });
}
