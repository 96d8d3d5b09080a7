import { browser, type Browser } from 'wxt/browser';
import { isMessage, type ToBackground, type ClaimFrameReply, type ToContent, type ToFrames } from '../messages';
import { saveProfile, type ProfileWrite } from '../storage/profiles';
import { forgetBadgeTab, showBadge } from './badge';

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
  if (isMessage<ToBackground>(message, 'hedgelens:save-profile') && msg.type === 'hedgelens:save-profile') {
    if (sender.frameId !== 0) return undefined; // the top frame's content script only
    return saveTaughtProfile(msg.profile, sender.url);
  }
  if (isMessage<ToBackground>(message, 'hedgelens:badge') && msg.type === 'hedgelens:badge') {
    if (sender.frameId !== 0) return undefined; // the top frame's content script only
    return showBadge(tabId, msg).then(() => ({ ok: true }));
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

/**
 * Stores a profile taught in a tab (teach mode). Saved here rather than in the content script: the extension's
 * lock (Web Locks of the extension's origin) serialises it with the options page's imports and deletes, which a
 * lock taken in the page's origin would not (and a page script could hold that one forever). A tab may only save
 * the profile of its own host.
 */
export async function saveTaughtProfile(profile: unknown, senderUrl: string | undefined): Promise<ProfileWrite> {
  let host: string | null = null;
  try {
    host = senderUrl ? new URL(senderUrl).host.toLowerCase() : null;
  } catch {
    host = null;
  }
  const claimed =
    typeof profile === 'object' && profile !== null && typeof (profile as { host?: unknown }).host === 'string'
      ? (profile as { host: string }).host.trim().toLowerCase()
      : null;
  if (!host || claimed !== host) {
    return {
      ok: false,
      message: `Not saved: a page on ${host ?? 'an unknown site'} may only save the profile of its own site (this one is for ${claimed ?? 'no site'}).`,
    };
  }
  return saveProfile(profile);
}

export function startBackground(): void {
  browser.runtime.onMessage.addListener((message, sender) => handleBackgroundMessage(message, sender) as never);
  browser.tabs.onRemoved.addListener((tabId) => {
    nonces.delete(tabId);
    waiting.delete(tabId);
    void forgetBadgeTab(tabId);
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
