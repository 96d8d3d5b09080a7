/**
 * Teach mode (the popup's or the overlay's "Teach this page", see ../teachMode.ts): the trader clicks one row's
 * strike and bid cells; the saved profile reads this site from then on, starting now (the feed hears `taught`).
 */
import type { PageContext } from '../page';
import { startTeachMode, type TeachSession } from '../teachMode';

export function teach(ctx: PageContext): () => void {
  const { state } = ctx;
  let teaching: TeachSession | null = null;
  const start = () => {
    if (teaching?.active) return;
    // The overlay may cover rows the trader needs to click: out of the way while teaching.
    const dockShown = state.dock?.isVisible() === true;
    if (dockShown) state.dock?.setVisible(false);
    const done = () => {
      teaching = null;
      state.teaching = false;
      if (dockShown && !state.userHidden) state.dock?.setVisible(true);
    };
    const location = ctx.win.location;
    state.teaching = true;
    teaching = startTeachMode({
      doc: ctx.doc,
      signal: ctx.signal,
      host: location.host,
      url: location.href,
      title: ctx.doc.title,
      onSaved: (saved) => {
        done();
        ctx.bus.emit('taught', saved);
      },
      onCancel: done,
    });
    // A session that could not start (the content script is ending) is no session.
    if (!teaching.active) {
      teaching = null;
      state.teaching = false;
    }
  };
  const offTeach = ctx.bus.on('teach', start);
  return () => {
    offTeach();
    teaching?.cancel();
    teaching = null;
    state.teaching = false;
  };
}
