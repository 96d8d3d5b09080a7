import { browser, type Browser } from 'wxt/browser';
import { isMessage, type ToBackground, type ClaimFrameReply, type ToContent, type ToFrames } from '../messages';

/**
 * The overlay handshake relay. The content script registers a one-time nonce before it creates the overlay
 * frame; the frame claims it here (keyed by its tab) and then only accepts the MessagePort posted with that
 * nonce. The nonce never appears in the page's DOM, so a page script cannot attach its own port to the engine.
 */
const nonces = new Map<number, string>();

export function handleBackgroundMessage(message: unknown, sender: Browser.runtime.MessageSender): unknown {
  const tabId = sender.tab?.id;
  if (tabId === undefined) return undefined;
  const msg = message as ToBackground;
  if (isMessage<ToBackground>(message, 'hedgelens:register-frame') && msg.type === 'hedgelens:register-frame') {
    if (sender.frameId !== 0 || typeof msg.nonce !== 'string') return undefined; // top-frame content script only
    nonces.set(tabId, msg.nonce);
    return Promise.resolve({ ok: true });
  }
  if (isMessage<ToBackground>(message, 'hedgelens:claim-frame')) {
    // Only an extension page (our overlay.html) may claim.
    if (!sender.url?.startsWith(browser.runtime.getURL('/overlay.html'))) return undefined;
    const nonce = nonces.get(tabId) ?? null;
    nonces.delete(tabId);
    const reply: ClaimFrameReply = { nonce, tabId };
    return Promise.resolve(reply);
  }
  return undefined;
}

export function startBackground(): void {
  browser.runtime.onMessage.addListener((message, sender) => handleBackgroundMessage(message, sender) as never);
  browser.tabs.onRemoved.addListener((tabId) => nonces.delete(tabId));
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
