/**
 * The popup bridge: answers the popup's (and the keyboard shortcut's) messages to this tab: its status, teach this
 * page, report this page, show or hide the overlay.
 */
import { browser } from 'wxt/browser';
import { isMessage, type TabStatus, type TeachReply, type ToContent } from '../../messages';
import type { PageContext } from '../page';
import { acceptView } from '../view';
import type { PageView } from '../workerApi';

/** How long the popup waits for the engine's view of this moment before it gets the last status (ms). */
export const STATUS_WAIT_MS = 500;

export function popupBridge(ctx: PageContext): () => void {
  const { state } = ctx;

  /**
   * The tab's status for the popup. The page views that come on every update leave out the figures that move on
   * every tick (see pageViewKey), so the current view is asked for here (at most STATUS_WAIT_MS: a stalled engine
   * gets the last status, not a popup that waits).
   */
  const statusNow = async (): Promise<TabStatus> => {
    if (state.teaching) return { state: 'teaching' };
    const engine = state.engine;
    if (engine && state.status.state === 'ready') {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const view = await Promise.race([
        engine.pageView().catch(() => null),
        new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), STATUS_WAIT_MS))),
      ]);
      clearTimeout(timer);
      if (view) acceptView(ctx, view as PageView);
    }
    return state.status;
  };

  const listener = (message: unknown) => {
    if (isMessage<ToContent>(message, 'hedgelens:status')) return statusNow();
    if (isMessage<ToContent>(message, 'hedgelens:teach')) {
      ctx.bus.emit('teach');
      const reply: TeachReply = { ok: true };
      return Promise.resolve(reply);
    }
    if (isMessage<ToContent>(message, 'hedgelens:report')) {
      ctx.bus.emit('report');
      return Promise.resolve({ ok: true });
    }
    if (isMessage<ToContent>(message, 'hedgelens:toggle-overlay')) {
      ctx.bus.emit('toggle');
      return Promise.resolve({ visible: state.dock?.isVisible() ?? false });
    }
    return undefined;
  };
  browser.runtime.onMessage.addListener(listener);
  return () => {
    try {
      browser.runtime.onMessage.removeListener(listener);
    } catch {
      /* the extension context is gone: nothing to remove */
    }
  };
}
