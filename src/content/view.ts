/**
 * The engine's page views as the page takes them, and the expiry the overlay shows (what the picker and the row
 * marks work on).
 */
import type { PageContext, PageState, ShownExpiry } from './page';
import type { PageView } from './workerApi';

/**
 * The expiry the overlay shows and its strikes. They change only when the chain's shape does (a tick changes
 * quotes, not strikes), so they are rebuilt only then, not on every update.
 */
export function shownExpiry(state: PageState): ShownExpiry | null {
  const reading = state.reading;
  if (!reading?.ok) return null;
  const expiries = reading.chain.expiries;
  const index = Math.max(
    0,
    expiries.findIndex((x) => x.date === state.lastSummary?.expiry),
  );
  const e = expiries[index];
  if (!e) return null;
  const key = `${state.sentLayout ?? ''}|${index}|${e.date}|${e.root ?? ''}|${e.rows.length}`;
  if (state.shown?.key !== key) {
    const strikes = e.rows.map((r) => r.strike);
    state.shown = { key, index, date: e.date, strikes, set: new Set(strikes) };
  }
  return state.shown;
}

/** Each engine update as the page needs it: status for the popup, strikes for picking, then the row marks. */
export function acceptView(ctx: Pick<PageContext, 'signal' | 'state' | 'bus'>, v: PageView): void {
  // The signal, not a runtime lookup per call: the content script's interval notices an invalidation.
  if (ctx.signal.aborted) return;
  const { state } = ctx;
  // The page shows no chain now (see the feed's chainGone): the engine's view is of the last one, not of this page.
  if (state.reading?.ok === false) return;
  if (v.status === 'error') state.status = { state: 'error', message: v.message ?? 'the engine failed' };
  if (v.status !== 'ready' || !v.summary) return;
  state.lastSummary = v.summary;
  state.status = {
    state: 'ready',
    summary: v.summary,
    rowsDropped: state.reading?.report.rowsDropped ?? 0,
    adapter: state.reading?.report.adapter ?? 'unknown',
    position: v.position,
  };
  state.shownStrikes = shownExpiry(state)?.set ?? new Set();
  ctx.bus.emit('view', v.marks);
  ctx.bus.emit('position', v.position);
}
