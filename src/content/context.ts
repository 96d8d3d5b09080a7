/**
 * The page's context made whole: the state, the bus and the cost meter (page.ts), and the link to the overlay frame
 * (link.ts), which needs the rest of the context and so is made last.
 */
import { createPageCost } from './cost';
import { createFrameLink } from './link';
import { createBus, createPageState, type FrameLink, type PageContext } from './page';

export interface PageOptions {
  doc: Document;
  signal: AbortSignal;
  isValid: () => boolean;
  onLocationChange: (fn: () => void) => () => void;
}

export function createPageContext(opts: PageOptions): PageContext {
  const partial = {
    doc: opts.doc,
    win: (opts.doc.defaultView ?? window) as Window,
    signal: opts.signal,
    isValid: opts.isValid,
    onLocationChange: opts.onLocationChange,
    state: createPageState(),
    bus: createBus(),
    cost: createPageCost(),
  };
  // The link needs the rest of the context; it is made last and completes it.
  const ctx = partial as PageContext & { link: FrameLink };
  ctx.link = createFrameLink(ctx);
  return ctx;
}
