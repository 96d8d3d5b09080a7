/**
 * The account's option positions as the page lists them (../positionsTable.ts), sent to the worker over the feed
 * port so the overlay can offer them as the position. Read-only, like the marks' caution with position data:
 * nothing of the position is written into the page — no attribute, no text, no style. The page is looked at once a
 * chain has gone to the worker and then every SCAN_EVERY_MS while it shows one (an SPA may draw its positions
 * later), when the page's main thread is idle; the worker hears only when what was found changed.
 */
import { findPagePositions } from '../positionsTable';
import type { PageContext } from '../page';

/** How often the page is looked at again for positions while a chain is shown (ms). */
export const SCAN_EVERY_MS = 3000;

export function pagePositions(ctx: PageContext): () => void {
  const { state, link, doc } = ctx;
  /** What the worker holds, as JSON: a worker starts with none ('null'), and a page without positions sends nothing. */
  const NONE = JSON.stringify(null);
  let sentKey = NONE;
  let idle: number | null = null;
  let lastScan = -Infinity;

  const scan = () => {
    idle = null;
    if (ctx.signal.aborted || !link.open || !state.reading?.ok) return;
    const t0 = performance.now();
    lastScan = t0;
    const found = findPagePositions(doc.body ?? doc.documentElement);
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
  const timer = setInterval(() => {
    if (state.reading?.ok && performance.now() - lastScan >= SCAN_EVERY_MS) schedule();
  }, SCAN_EVERY_MS);

  return () => {
    offSent();
    offReconnected();
    clearInterval(timer);
    if (idle !== null) cancelIdleCallback(idle);
    idle = null;
  };
}
