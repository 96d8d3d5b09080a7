/**
 * The overlay's dock on the page (made by the link, see ../link.ts and ../dock.ts): shown once a chain goes to the
 * worker unless the trader hid it or is teaching the page, hidden when the chain is gone, collapsed or expanded as the frame asks, and
 * shown or hidden by the popup's toggle.
 */
import type { PageContext } from '../page';

export function overlayDock(ctx: PageContext): () => void {
  const { state } = ctx;
  const offs = [
    // Only when it changes: showing the dock measures it (a forced layout, 150-250 ms on a 20,000-row page). Not
    // while teaching: the dock stays out of the way of the rows the trader clicks (teach mode shows it again).
    ctx.bus.on('sent', () => {
      if (state.dock && !state.userHidden && !state.teaching && !state.dock.isVisible()) state.dock.setVisible(true);
    }),
    ctx.bus.on('gone', () => state.dock?.setVisible(false)),
    ctx.bus.on('collapse', (collapsed) => state.dock?.setCollapsed(collapsed)),
    ctx.bus.on('toggle', () => {
      if (!state.dock) return;
      state.userHidden = state.dock.isVisible();
      state.dock.setVisible(!state.userHidden);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
