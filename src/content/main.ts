/**
 * The content script's work on a broker page: find the chain, dock the overlay frame, connect the engine
 * through a MessagePort, keep the chain current, answer the popup. Everything heavy runs in the worker.
 *
 * This file only lists the page's features and composes them; each lives in ./features with one function that
 * starts it on the shared context (./page.ts) and returns what ends it.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { clickToBuild } from './features/clickToBuild';
import { overlayDock } from './features/overlayDock';
import { pagePositions } from './features/pagePositions';
import { popupBridge } from './features/popupBridge';
import { readerFeed } from './features/readerFeed';
import { rowMarks } from './features/rowMarks';
import { teach } from './features/teach';
import { toolbarBadge } from './features/toolbarBadge';
import { unreadLine } from './features/unreadLine';
import { createPageContext, type PageOptions } from './context';
import type { PageFeature, PageState } from './page';

/**
 * The page's features, in the order they start (they end in the reverse order). The feed comes last: its first
 * reading may come at once, and the others listen for what follows from it.
 */
export const FEATURES: readonly PageFeature[] = [
  popupBridge,
  overlayDock,
  rowMarks,
  clickToBuild,
  teach,
  unreadLine,
  toolbarBadge,
  pagePositions,
  readerFeed,
];

export interface ContentHandle {
  state: PageState;
  /** Ends every feature: no marks, no dock, no listeners, observers or timers of ours are left. Idempotent. */
  stop(): void;
}

/** The features on a page, without WXT (tests give their own page, signal and location events). */
export function composeContent(
  opts: Omit<PageOptions, 'signal'> & { features?: readonly PageFeature[] },
): ContentHandle {
  const ending = new AbortController();
  const ctx = createPageContext({ ...opts, signal: ending.signal });
  const stops = (opts.features ?? FEATURES).map((start) => start(ctx));
  return {
    state: ctx.state,
    stop() {
      if (ending.signal.aborted) return;
      // First the signal (callbacks already queued see it and do nothing), then each feature, the newest first.
      ending.abort();
      for (const stop of stops.reverse()) stop();
      ctx.link.close();
    },
  };
}

export function startContent(ctx: ContentScriptContext, doc: Document = document): ContentHandle {
  // One WXT listener for the SPA's navigations (it starts WXT's location watcher); features subscribe to it.
  const onLocation = new Set<() => void>();
  ctx.addEventListener(window, 'wxt:locationchange', () => {
    for (const fn of [...onLocation]) fn();
  });
  const content = composeContent({
    doc,
    isValid: () => !ctx.isInvalid,
    onLocationChange: (fn) => {
      onLocation.add(fn);
      return () => onLocation.delete(fn);
    },
  });
  ctx.onInvalidated(() => content.stop());
  // An extension reloaded or updated mid-session leaves this script orphaned (browser.runtime.id gone): the
  // context's interval notices within a second and every feature ends with it (the dock and the marks go).
  ctx.setInterval(() => undefined, 1000);
  return content;
}
