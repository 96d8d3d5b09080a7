/**
 * Never silent: when the page clearly holds a chain-like table the reader could not read, one quiet line says so
 * with *Teach this page* and *Report this page* (unreadNotice.ts). It goes when a chain is read, when the trader
 * starts teaching, and with the content script. A trader who prefers the popup alone to say so turns the line off
 * in Options (pagePrefs.ts); the popup's *Report this page* then opens the report here all the same.
 */
import type { ReadResult } from '../../brokers';
import { watchUnreadLineOnPage } from '../../storage/pagePrefs';
import type { PageContext } from '../page';
import { initUnreadNotice } from '../unreadNotice';

export function unreadLine(ctx: PageContext): () => void {
  let stopNotice: (() => void) | null = null;
  /** The trader's preference; null until read (nothing is shown before it is known). */
  let onPage: boolean | null = null;
  let last: (ReadResult & { ok: false }) | null = null;
  const hide = () => {
    stopNotice?.();
    stopNotice = null;
  };
  const show = (result: ReadResult & { ok: false }, openReport = false) => {
    hide();
    stopNotice = initUnreadNotice({
      doc: ctx.doc,
      reason: result.reason,
      onTeach: () => ctx.bus.emit('teach'),
      signal: ctx.signal,
      openReport,
    });
  };
  const offReading = ctx.bus.on('reading', (result) => {
    if (result.ok) {
      last = null;
      return hide();
    }
    last = result.chainLike ? result : null;
    if (stopNotice || !last || ctx.state.teaching || onPage !== true) return;
    show(last);
  });
  const offTeach = ctx.bus.on('teach', hide);
  const offReport = ctx.bus.on('report', () => {
    const r = last ?? (ctx.state.reading && !ctx.state.reading.ok ? ctx.state.reading : null);
    if (r && !ctx.state.teaching) show(r, true);
  });
  const stopWatching = watchUnreadLineOnPage((on) => {
    onPage = on;
    if (!on) hide();
    else if (last && !stopNotice && !ctx.state.teaching) show(last);
  });
  return () => {
    offReading();
    offTeach();
    offReport();
    stopWatching();
    hide();
  };
}
