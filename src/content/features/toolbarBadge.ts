/**
 * The toolbar badge of this tab: the ALVH stage and the threat level of the condor on the page, for a trader who
 * keeps the broker tab open and glances at the toolbar. The background draws it (src/background/badge.ts); this
 * sends it only when the stage, the threat or the underlying changes, and clears it when the chain is gone or the
 * content script ends. What goes is a stage name, a threat word and the underlying's symbol: no strikes, no figures.
 */
import { browser } from 'wxt/browser';
import type { ToBackground } from '../../messages';
import type { PageContext } from '../page';

export function toolbarBadge(ctx: PageContext): () => void {
  let last = '';
  const send = (msg: ToBackground & { type: 'hedgelens:badge' }) => {
    const key = JSON.stringify([msg.stage, msg.threat, msg.symbol]);
    if (key === last) return;
    last = key;
    // The background may be restarting, or the extension reloaded (an orphaned content script): nothing to do then.
    void browser.runtime.sendMessage(msg).catch(() => undefined);
  };
  const clear = () => send({ type: 'hedgelens:badge', stage: null, threat: null, symbol: null });
  const offPosition = ctx.bus.on('position', (p) =>
    p
      ? send({
          type: 'hedgelens:badge',
          stage: p.stage,
          threat: p.threat,
          symbol: ctx.state.lastSummary?.symbol ?? null,
        })
      : clear(),
  );
  const offGone = ctx.bus.on('gone', clear);
  return () => {
    offPosition();
    offGone();
    if (!ctx.signal.aborted) clear();
  };
}
