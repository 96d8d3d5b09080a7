/**
 * Click-to-build: the frame's "pick on the chain" starts the picker (../picker.ts); each pick is shown in the frame,
 * and four picks become the position in the engine.
 */
import type { PageContext } from '../page';
import { createPicker } from '../picker';

export function clickToBuild(ctx: PageContext): () => void {
  const { state, link } = ctx;
  const picker = createPicker({
    doc: ctx.doc,
    strikes: () => state.shownStrikes,
    signal: ctx.signal,
    onProgress: (strikes) => link.tellFrame({ type: 'hedgelens:picked', strikes, picking: picker.active }),
    onDone: (strikes) => {
      link.tellFrame({ type: 'hedgelens:picked', strikes: [], picking: false });
      void state.engine?.setPosition({ kind: 'strikes', strikes, quantity: 1 });
    },
  });
  const offPick = ctx.bus.on('pick', (on) => (on ? picker.start() : picker.stop()));
  return () => {
    offPick();
    picker.stop();
  };
}
