/**
 * The account's option positions as the page lists them (../positionsTable.ts), sent to the worker over the feed
 * port so the overlay can offer them as the position. Read-only, like the marks' caution with position data:
 * nothing of the position is written into the page — no attribute, no text, no style. The page is looked at once a
 * chain has gone to the worker and then every SCAN_EVERY_MS while it shows one (searched whole every
 * SEARCH_EVERY_MS: an SPA may draw its positions later), when the page's main thread is idle; the worker hears only
 * when what was found changed.
 */
import { findPositionContainers, readPositions } from '../positionsTable';
import type { PageContext } from '../page';

/** How often the positions tables found are read again while a chain is shown (ms). */
export const SCAN_EVERY_MS = 3000;
/**
 * How often the whole page is searched for positions tables (ms): the search looks at every element (~20 ms on a
 * 20,000-row chain on a loaded laptop), the re-reading of the tables found only at them. A table that appears later
 * (an SPA drawing its positions after its chain) is found within this time; one that leaves the page at once.
 */
export const SEARCH_EVERY_MS = 30_000;

export function pagePositions(ctx: PageContext): () => void {
  const { state, link, doc } = ctx;
  /** What the worker holds, as JSON: a worker starts with none ('null'), and a page without positions sends nothing. */
  const NONE = JSON.stringify(null);
  let sentKey = NONE;
  let idle: number | null = null;
  let lastScan = -Infinity;
  let lastSearch = -Infinity;
  let known: Element[] = [];

  const scan = () => {
    idle = null;
    if (ctx.signal.aborted || !link.open || !state.reading?.ok) return;
    const t0 = performance.now();
    lastScan = t0;
    if (t0 - lastSearch >= SEARCH_EVERY_MS || known.some((el) => !el.isConnected)) {
      known = findPositionContainers(doc.body ?? doc.documentElement);
      lastSearch = t0;
    }
    const found = readPositions(known);
    const key = JSON.stringify(found);
    if (key !== sentKey) {
      sentKey = key;
      link.send({ kind: 'legs', id: link.nextId(), legs: found });
    }
    ctx.cost.add(performance.now() - t0, 'read');
  };
  const schedule = () => {
    if (idle !== null || ctx.signal.aborted) return;
    // The page's own requestIdleCallback (see rowMarks): positions are not urgent.
    idle = requestIdleCallback(scan, { timeout: 1000 });
  };
  const offSent = ctx.bus.on('sent', () => {
    if (performance.now() - lastScan >= SCAN_EVERY_MS) schedule();
  });
  // A new worker holds no legs: they go again with the chain.
  const offReconnected = ctx.bus.on('reconnected', () => {
    sentKey = NONE;
    lastScan = -Infinity;
  });
  // An SPA moved to another view: the page is searched again at the next look.
  const offLocation = ctx.onLocationChange(() => {
    lastSearch = -Infinity;
    lastScan = -Infinity;
  });
  const timer = setInterval(() => {
    if (state.reading?.ok && performance.now() - lastScan >= SCAN_EVERY_MS) schedule();
  }, SCAN_EVERY_MS);

  return () => {
    offSent();
    offReconnected();
    offLocation();
    clearInterval(timer);
    if (idle !== null) cancelIdleCallback(idle);
    idle = null;
  };
}
