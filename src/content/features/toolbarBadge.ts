/**
 * The toolbar badge of this tab: the ALVH stage and the threat level of the condor on the page, for a trader who
 * keeps the broker tab open and glances at the toolbar. The background draws it (src/background/badge.ts); this
 * sends it only when the stage, the threat or the underlying changes, and clears it when the chain is gone or the
 * content script ends. What goes is a stage name, a threat word and the underlying's symbol; and, only while the
 * trader has the short-delta notification on, the short strike with the largest |delta| (sent again on each new
 * hundredth of it). All of it goes to the extension's background, held in this script's memory meanwhile: nothing
 * of it is written into the page.
 */
import { browser } from 'wxt/browser';
import type { PositionSummary, ToBackground } from '../../messages';
import { deltaHundredths } from '../../shared/shortDelta';
import { watchNotifyShortDelta } from '../../storage/pagePrefs';
import type { PageContext } from '../page';

export function toolbarBadge(ctx: PageContext): () => void {
  const { state } = ctx;
  let last = '';
  let position: PositionSummary | null = null;
  const send = (msg: ToBackground & { type: 'hedgelens:badge' }) => {
    const d = msg.shortDelta;
    const key = JSON.stringify([
      msg.stage,
      msg.threat,
      msg.symbol,
      d && [d.kind, d.strike, deltaHundredths(d.deltaAbs)],
    ]);
    if (key === last) return;
    last = key;
    // The background may be restarting, or the extension reloaded (an orphaned content script): nothing to do then.
    void browser.runtime.sendMessage(msg).catch(() => undefined);
  };
  const clear = () => send({ type: 'hedgelens:badge', stage: null, threat: null, symbol: null });
  const report = () =>
    position
      ? send({
          type: 'hedgelens:badge',
          stage: position.stage,
          threat: position.threat,
          symbol: state.lastSummary?.symbol ?? null,
          ...(state.watchShortDelta ? { shortDelta: position.shortDelta ?? null } : {}),
        })
      : clear();
  const offPosition = ctx.bus.on('position', (p) => {
    position = p;
    report();
  });
  const offGone = ctx.bus.on('gone', () => {
    position = null;
    clear();
  });
  const stopWatchingPref = watchNotifyShortDelta(({ on }) => {
    if (on === state.watchShortDelta) return;
    state.watchShortDelta = on;
    // The worker passes the delta's moves by a hundredth on to the page only while they are watched.
    ctx.link.send({ kind: 'uses', id: ctx.link.nextId(), positionRows: state.markPositionRows, shortDelta: on });
    report();
  });
  return () => {
    stopWatchingPref();
    offPosition();
    offGone();
    if (!ctx.signal.aborted) clear();
  };
}
