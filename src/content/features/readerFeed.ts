/**
 * The reader feed: reads the page's chain live (the reader's watcher batches mutations to animation frames and
 * re-reads only changed rows) and sends each reading to the worker at once, as a patch of the rows that changed
 * when the chain keeps its layout, else whole. Nothing waits for an answer: a patch is a few rows, and the worker
 * takes together what comes faster than it computes. Before the frame is connected, only the newest reading waits.
 */
import type { ReadResult, TeachProfile } from '../../brokers';
import { watchChain } from '../../brokers/watch';
import type { Chain } from '../../chain/types';
import { readSiteProfile } from '../../storage/profileCheck';
import type { PageContext } from '../page';
import {
  chainShape,
  diffByIdentity,
  diffChain,
  packChain,
  patchOf,
  type ChainMeta,
  type RowChange,
} from '../workerApi';

/** Stop looking for a chain on a page that never shows one after this long (ms). */
export const DETECT_GIVE_UP_MS = 120_000;
/**
 * A chain was read and the page shows none now (an SPA moved to another view): after this long the overlay goes
 * and the popup says so, instead of showing the last chain as if it were live. (A redraw that drops the table for
 * a frame is not a page without a chain.)
 */
export const CHAIN_GONE_MS = 2000;

export function readerFeed(ctx: PageContext): () => void {
  const { state, link, cost, doc } = ctx;
  const location = ctx.win.location;
  let stopped = false;
  /**
   * The chain the worker holds (to send it only what changed): the reader's layout number for it, the number it
   * was pushed to the worker with, and its shape string once one was needed.
   */
  let lastSent: { chain: Chain; readerLayout: number | undefined; sentLayout: number; shape: string | null } | null =
    null;
  const setSent = (sent: typeof lastSent) => {
    lastSent = sent;
    state.sentLayout = sent?.sentLayout;
  };
  let layoutSeq = 0;
  let connectingToSend = false;
  /** When the oldest reading not yet sent was made (the first one waits for the overlay to start). */
  let unsentSince: number | null = null;
  let goneTimer: ReturnType<typeof setTimeout> | null = null;

  const publish = (result: ReadResult): void => {
    state.reading = result;
    ctx.bus.emit('reading', result);
    if (!result.ok) {
      // Nothing intrusive on a page without a chain: only the popup says so.
      if (state.status.state !== 'ready')
        state.status = { state: 'no-chain', reason: result.reason, chainLike: result.chainLike === true };
      else goneTimer ??= setTimeout(chainGone, CHAIN_GONE_MS);
      return;
    }
    if (goneTimer !== null) {
      clearTimeout(goneTimer);
      goneTimer = null;
    }
    unsentSince ??= Date.now();
    if (link.open) {
      sendReading(result);
      return;
    }
    if (connectingToSend) return;
    connectingToSend = true;
    void link.connect().then(() => {
      connectingToSend = false;
      if (!stopped && link.open && state.reading?.ok) sendReading(state.reading);
    });
  };

  /** The chain has been gone for CHAIN_GONE_MS: no overlay, no marks; the next chain read goes to the worker whole. */
  const chainGone = () => {
    goneTimer = null;
    const reading = state.reading;
    if (ctx.signal.aborted || !reading || reading.ok) return;
    state.status = { state: 'no-chain', reason: reading.reason, chainLike: reading.chainLike === true };
    state.shownStrikes = new Set();
    setSent(null);
    ctx.bus.emit('gone');
  };

  const sendReading = (result: ReadResult & { ok: true }) => {
    if (ctx.signal.aborted || !state.engine) return;
    const t0 = performance.now();
    const meta: ChainMeta = {
      adapter: result.report.adapter,
      rowsRead: result.report.rowsRead,
      rowsDropped: result.report.rowsDropped,
      confidence: result.report.confidence,
      site: location.hostname,
      pageUrl: location.origin + location.pathname,
      pageTitle: doc.title,
      vixSightings: result.vixSightings,
      readAtEpochMs: Date.now(),
      readSinceEpochMs: unsentSince ?? Date.now(),
      pageCost: cost.summary(),
    };
    unsentSince = null;
    // Only the rows that changed cross to the worker when the chain keeps its layout, packed in one buffer; the state
    // comes back through the page-view port (compact, and only when the page has a use for it). A patch's buffer
    // (~15 KB) is copied, not transferred: the port leads to another process, so its bytes are copied either way,
    // and in six paired runs of the 1,000-row ticking page the send took 0.35–0.46 ms on average copied against
    // 0.41–0.60 transferred (one copied run thrown off by the machine: 1.06), with a lower p95 per update in five of
    // the six (3 Dec). A whole chain (up to megabytes, once per layout) is still transferred.
    const prev = lastSent;
    let changes: RowChange[] | null = null;
    if (prev) {
      // The reader's own layout number: compare rows by identity (no string of every strike, no quote compare).
      if (result.layout !== undefined && result.layout === prev.readerLayout)
        // The reader says which rows it replaced since the chain sent last, when that is the chain it started from.
        changes = result.changes?.from === prev.chain ? result.changes.rows : diffByIdentity(prev.chain, result.chain);
      if (!changes) changes = diffChain(prev.chain, result.chain, (prev.shape ??= chainShape(prev.chain)));
    }
    if (prev && changes) {
      const patch = patchOf(prev.sentLayout, result.chain, changes);
      link.send({ kind: 'patch', id: link.nextId(), patch, meta });
      setSent({ chain: result.chain, readerLayout: result.layout, sentLayout: prev.sentLayout, shape: prev.shape });
    } else {
      const sentLayout = ++layoutSeq;
      const whole = packChain(result.chain);
      link.send({ kind: 'push', id: link.nextId(), ...whole, meta, layout: sentLayout }, [whole.rows.buffer]);
      setSent({ chain: result.chain, readerLayout: result.layout, sentLayout, shape: null });
    }
    cost.sent(performance.now() - t0);
    ctx.bus.emit('sent');
  };

  // The worker's chain is not this one (a refused patch) or is gone (a restarted worker): the newest reading whole.
  const offRefused = ctx.bus.on('refused', () => {
    if (!state.reading?.ok || ctx.signal.aborted) return;
    setSent(null);
    publish(state.reading);
  });
  const offReconnected = ctx.bus.on('reconnected', () => {
    setSent(null);
    if (state.reading) publish(state.reading);
  });

  // A page that shows no chain for DETECT_GIVE_UP_MS is left alone until the SPA navigates.
  let watch: AbortController | null = null;
  /** The layout the trader taught for this site (teach mode), if any: it reads the page instead of the detector. */
  let profile: TeachProfile | null = null;
  const startWatching = () => {
    watch?.abort();
    const controller = new AbortController();
    watch = controller;
    const startedAt = performance.now();
    let everFound = false;
    state.chainWatch = watchChain(doc.body ?? doc.documentElement, {
      signal: controller.signal,
      read: { url: location.href, title: doc.title, profile: profile ?? undefined },
      now: () => new Date(),
      onFlush: (ms) => cost.flushed(ms),
      onChange: (result, update) => {
        everFound ||= result.ok;
        if (!everFound && performance.now() - startedAt > DETECT_GIVE_UP_MS) controller.abort();
        cost.readTask(update ? 'update' : 'first');
        try {
          publish(result);
        } finally {
          cost.readTask(null);
        }
      },
    });
  };
  // The taught profile is read before the first reading (one storage read; none stored: the detector reads).
  void readSiteProfile(location.host).then((p) => {
    profile = p;
    if (!stopped && ctx.isValid()) startWatching();
  });
  const offLocation = ctx.onLocationChange(() => {
    if (!stopped) startWatching();
  });
  // The saved profile reads this site from now on, starting now.
  const offTaught = ctx.bus.on('taught', (saved) => {
    profile = saved;
    startWatching();
  });
  // A page that replaces its whole chain container (an SPA re-rendering the table) is read again by the watcher
  // itself: it notices its grid left the page.

  return () => {
    stopped = true;
    offRefused();
    offReconnected();
    offLocation();
    offTaught();
    watch?.abort();
    watch = null;
    state.chainWatch = null;
    if (goneTimer !== null) clearTimeout(goneTimer);
    goneTimer = null;
  };
}
