/**
 * Never silent: when the page clearly holds a chain-like table the reader could not read, one quiet line says so
 * with *Teach this page* and *Report this page* (unreadNotice.ts). It goes when a chain is read, when the trader
 * starts teaching, and with the content script.
 */
import type { PageContext } from '../page';
import { initUnreadNotice } from '../unreadNotice';

export function unreadLine(ctx: PageContext): () => void {
  let stopNotice: (() => void) | null = null;
  const hide = () => {
    stopNotice?.();
    stopNotice = null;
  };
  const offReading = ctx.bus.on('reading', (result) => {
    if (result.ok) return hide();
    if (stopNotice || !result.chainLike || ctx.state.teaching) return;
    stopNotice = initUnreadNotice({
      doc: ctx.doc,
      reason: result.reason,
      onTeach: () => ctx.bus.emit('teach'),
      signal: ctx.signal,
    });
  });
  const offTeach = ctx.bus.on('teach', hide);
  return () => {
    offReading();
    offTeach();
    hide();
  };
}
