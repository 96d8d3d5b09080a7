/**
 * Row marks: the condor's legs, breakevens and the expected-move band on the broker's own rows (see ../marks.ts),
 * from each engine update. Legs and breakevens on the page are position data: marked only when the trader turned
 * them on (Options).
 */
import { watchMarkPositionRows } from '../../storage/pagePrefs';
import { clearMarks, createMarker } from '../marks';
import type { PageContext } from '../page';
import { shownExpiry } from '../view';
import type { PageView } from '../workerApi';

export function rowMarks(ctx: PageContext): () => void {
  const { state, doc, cost } = ctx;
  const marker = createMarker(doc, doc);
  let pendingMarks: PageView['marks'] | undefined;
  let idle: number | null = null;

  /** Row marks are cosmetic: applied when the page's main thread is idle, newest spec only. */
  const scheduleMarks = (marks: PageView['marks']) => {
    pendingMarks = marks;
    if (idle !== null) return;
    // The page's own requestIdleCallback: the context's wrapper adds an abort listener per call that is never
    // removed (ten per second on a ticking chain, for as long as the page is open).
    idle = requestIdleCallback(
      () => {
        idle = null;
        const m = pendingMarks;
        if (ctx.signal.aborted || m === undefined) return;
        const t0 = performance.now();
        const shown = shownExpiry(state);
        if (!m || !shown || m.expiry !== shown.date) marker.clear();
        else {
          // The rows as the reader read them: no scan of the page for strike cells (~14 ms on 1,000 rows).
          const layout = state.reading?.ok ? state.reading.layout : undefined;
          const reader = state.chainWatch;
          marker.apply(
            shown.strikes,
            state.markPositionRows
              ? { legs: m.legs, breakevens: m.breakevens, expectedMove: m.expectedMove, hedges: [] }
              : { legs: [], breakevens: null, expectedMove: m.expectedMove, hedges: [] },
            layout,
            reader ? (i) => reader.rowOf(layout, shown.index, i) : undefined,
          );
        }
        cost.add(performance.now() - t0, 'marks');
      },
      { timeout: 500 },
    );
  };

  const stopWatchingPref = watchMarkPositionRows((on) => {
    state.markPositionRows = on;
    // The worker tells the page of a moved leg or breakeven row only when the page marks them.
    ctx.link.send({ kind: 'uses', id: ctx.link.nextId(), positionRows: on, shortDelta: state.watchShortDelta });
    if (pendingMarks !== undefined) scheduleMarks(pendingMarks);
  });
  const offView = ctx.bus.on('view', scheduleMarks);
  const offGone = ctx.bus.on('gone', () => marker.clear());

  return () => {
    stopWatchingPref();
    offView();
    offGone();
    if (idle !== null) cancelIdleCallback(idle);
    idle = null;
    marker.clear();
    // Every mark of ours, the picker's too: the page is left as it was.
    clearMarks(doc);
  };
}
